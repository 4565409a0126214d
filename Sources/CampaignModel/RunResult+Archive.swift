import Platform
import SimKernel

/// A `RunResult` without its scenario, as plain Codable values: what a shard of a sharded run
/// (`campaign-sim run --shard`) hands to `campaign-sim merge`, so the merged reports are made
/// from the very results the shards computed instead of re-running them.
///
/// Restoring needs the scenario the run was made with; `RunResult(scenario:archive:)` gives back a
/// result every report renders to the same bytes as the original (tested end to end).
public struct RunArchive: Codable, Sendable, Equatable {
  public struct Campaign: Codable, Sendable, Equatable {
    var id: String
    var sender: String
    var audience: Int
    var state: String
    var finalStates: [Int]
    var failureReasons: [Int]
    var attempts: [Int]
    var errors: [Int]
    var errorsByKind: [Int]
    var reports: Int
    var firstDispatchAt: SimTime?
    var sendingFinishedAt: SimTime?
    var latency: [LatencyArchive]
  }

  public struct Sender: Codable, Sendable, Equatable {
    var id: String
    var dispatches: Int
    var acceptances: Int
    var errors: Int
    var limitPauses: Int
  }

  var seed: UInt64
  var replication: Int
  var horizon: SimTime
  var endedAt: SimTime
  var campaigns: [Campaign]
  var senders: [Sender]
  var bucketWidth: SimTime
  var usedBuckets: Int
  var counts: [Int64]
  var events: Int
  /// `[at, from, to]` with `nil` for unlimited.
  var limitChanges: [[Int64?]]
  /// `[at, quality, reports, deliveries]`.
  var qualityChanges: [[Int64]]
  var throughputChanges: [ThroughputArchive]

  struct ThroughputArchive: Codable, Sendable, Equatable {
    var sender: Int
    var at: SimTime
    var fromMPS: Double
    var toMPS: Double
    var pauseEnd: SimTime
  }
}

/// A span's latencies as (value, count) pairs (`LatencyRecord.pairs`: each occupied slot's
/// representative, the raw minimum and maximum kept), from which the histogram is rebuilt exactly.
public struct LatencyArchive: Codable, Sendable, Equatable {
  var values: [UInt64]
  var counts: [UInt64]
}

extension RunResult {
  public var archive: RunArchive {
    RunArchive(
      seed: seed, replication: replication, horizon: horizon, endedAt: endedAt,
      campaigns: campaigns.map { c in
        RunArchive.Campaign(
          id: c.id, sender: c.sender, audience: c.audience, state: c.state.rawValue, finalStates: c.finalStates,
          failureReasons: c.failureReasons, attempts: c.attempts, errors: c.errors, errorsByKind: c.errorsByKind,
          reports: c.reports, firstDispatchAt: c.firstDispatchAt, sendingFinishedAt: c.sendingFinishedAt,
          latency: c.latencyRecords.map { record in
            let pairs = record.pairs
            return LatencyArchive(values: pairs.values, counts: pairs.counts)
          })
      },
      senders: senders.map {
        RunArchive.Sender(
          id: $0.id, dispatches: $0.dispatches, acceptances: $0.acceptances, errors: $0.errors,
          limitPauses: $0.limitPauses)
      },
      bucketWidth: timeSeries.bucketWidth, usedBuckets: timeSeries.usedBuckets, counts: timeSeries.counts,
      events: events,
      limitChanges: limitChanges.map { [$0.at, $0.from.map(Int64.init), $0.to.map(Int64.init)] },
      qualityChanges: qualityChanges.map {
        [$0.at, Int64($0.quality.rawValue), Int64($0.reports), Int64($0.deliveries)]
      },
      throughputChanges: throughputChanges.map {
        RunArchive.ThroughputArchive(
          sender: $0.sender, at: $0.at, fromMPS: $0.fromMPS, toMPS: $0.toMPS, pauseEnd: $0.pauseEnd)
      })
  }

  /// The result `archive` was made from, given the scenario it ran; `nil` when the archive does not
  /// fit the scenario or is malformed (a hand-edited or foreign file).
  public init?(scenario: Scenario, archive a: RunArchive) {
    guard a.campaigns.count == scenario.campaigns.count, a.senders.count == scenario.senders.count,
      a.counts.count == a.usedBuckets * a.campaigns.count * TimeSeries.storedColumns, a.bucketWidth > 0
    else { return nil }
    var campaigns: [CampaignResult] = []
    for (campaign, c) in zip(scenario.campaigns, a.campaigns) {
      guard campaign.id == c.id, campaign.sender == c.sender, campaign.audience == c.audience,
        let state = CampaignState(rawValue: c.state), c.latency.count == LatencySpan.count,
        c.finalStates.count == MessageState.allCases.count, c.failureReasons.count == FailureReason.allCases.count,
        c.errors.count == ErrorCode.allCases.count, c.errorsByKind.count == ErrorKind.count
      else { return nil }
      var result = CampaignResult(campaign: campaign, maxRetries: max(0, c.attempts.count - 2))
      result.state = state
      result.finalStates = c.finalStates
      result.failureReasons = c.failureReasons
      result.attempts = c.attempts
      result.errors = c.errors
      result.errorsByKind = c.errorsByKind
      result.reports = c.reports
      result.firstDispatchAt = c.firstDispatchAt
      result.sendingFinishedAt = c.sendingFinishedAt
      var records: [LatencyRecord] = []
      for archived in c.latency {
        guard archived.values.count == archived.counts.count,
          archived.values.allSatisfy({ $0 <= LatencyRecorder.highestTrackableValue })
        else { return nil }
        records.append(LatencyRecord(values: archived.values, counts: archived.counts))
      }
      result.latencyRecords = records
      campaigns.append(result)
    }
    var senders: [SenderResult] = []
    for (sender, s) in zip(scenario.senders, a.senders) {
      guard sender.id == s.id else { return nil }
      var result = SenderResult(id: s.id)
      result.dispatches = s.dispatches
      result.acceptances = s.acceptances
      result.errors = s.errors
      result.limitPauses = s.limitPauses
      senders.append(result)
    }
    var limitChanges: [LimitChange] = []
    for change in a.limitChanges {
      guard change.count == 3, let at = change[0] else { return nil }
      limitChanges.append(LimitChange(at: at, from: change[1].map { Int($0) }, to: change[2].map { Int($0) }))
    }
    var qualityChanges: [QualityChange] = []
    for change in a.qualityChanges {
      guard change.count == 4, let quality = Quality(rawValue: Int(change[1])) else { return nil }
      qualityChanges.append(
        QualityChange(at: change[0], quality: quality, reports: Int(change[2]), deliveries: Int(change[3])))
    }
    self.init(
      scenario: scenario, seed: a.seed, replication: a.replication, horizon: a.horizon, campaigns: campaigns,
      senders: senders,
      timeSeries: TimeSeries(
        bucketWidth: a.bucketWidth, campaignCount: a.campaigns.count, usedBuckets: a.usedBuckets, counts: a.counts))
    endedAt = a.endedAt
    events = a.events
    self.limitChanges = limitChanges
    self.qualityChanges = qualityChanges
    throughputChanges = a.throughputChanges.map {
      ThroughputChange(sender: $0.sender, at: $0.at, fromMPS: $0.fromMPS, toMPS: $0.toMPS, pauseEnd: $0.pauseEnd)
    }
  }
}
