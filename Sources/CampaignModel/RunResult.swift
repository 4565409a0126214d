import Histogram
import SimKernel

/// The four latency spans of MODEL.md §8, in report order.
public enum LatencySpan: Int, Sendable, CaseIterable, CustomStringConvertible {
  case startToSent, sentToDelivered, deliveredToRead, readToResponded

  public static let count = 4

  public var description: String {
    switch self {
    case .startToSent: "start_to_sent"
    case .sentToDelivered: "sent_to_delivered"
    case .deliveredToRead: "delivered_to_read"
    case .readToResponded: "read_to_responded"
    }
  }
}

/// What happened to one campaign's messages.
public struct CampaignResult: Sendable {
  public let id: String
  public let sender: String
  public let audience: Int
  public internal(set) var state: CampaignState = .queued
  /// Messages per final state, indexed by `MessageState.rawValue`.
  public internal(set) var finalStates: [Int]
  /// Messages per failure reason, indexed by `FailureReason.rawValue`.
  public internal(set) var failureReasons: [Int]
  /// `attempts[k]`: messages dispatched exactly `k` times.
  public internal(set) var attempts: [Int]
  /// Error responses per code, indexed like `ErrorCode.reportOrder`.
  public internal(set) var errors: [Int]
  /// Error responses per kind, indexed by `ErrorKind.rawValue` (MODEL.md §8 v2).
  public internal(set) var errorsByKind: [Int]
  /// Contacts who reported the business by the horizon (MODEL.md §9.2).
  public internal(set) var reports = 0
  public internal(set) var firstDispatchAt: SimTime?
  /// When the last message left queued/sending/retrying; `nil` while some have not.
  public internal(set) var sendingFinishedAt: SimTime?
  /// When the campaign drained its audience: `sendingFinishedAt`, unless the sending window
  /// ended with messages still waiting (they leave by expiring, which is not finishing) or the
  /// horizon cut the campaign.
  public var drainedAt: SimTime? { count(FailureReason.expired) == 0 ? sendingFinishedAt : nil }
  /// Latency histograms in microseconds, indexed by `LatencySpan.rawValue`.
  /// Per span, compact (see `LatencyRecord`); `latency(_:)` builds the histogram.
  public internal(set) var latencyRecords: [LatencyRecord]
  public var latency: [Histogram<UInt64>] { latencyRecords.map { $0.histogram() } }

  init(campaign: Campaign, maxRetries: Int) {
    id = campaign.id
    sender = campaign.sender
    audience = campaign.audience
    finalStates = Array(repeating: 0, count: MessageState.allCases.count)
    finalStates[MessageState.queued.rawValue] = campaign.audience
    failureReasons = Array(repeating: 0, count: FailureReason.allCases.count)
    attempts = Array(repeating: 0, count: maxRetries + 2)
    errors = Array(repeating: 0, count: ErrorCode.allCases.count)
    errorsByKind = Array(repeating: 0, count: ErrorKind.count)
    latencyRecords = []  // filled from the engine's recorders when the run ends
  }

  public func count(_ state: MessageState) -> Int { finalStates[state.rawValue] }
  public func count(_ reason: FailureReason) -> Int { failureReasons[reason.rawValue] }
  public func errorCount(_ code: ErrorCode) -> Int { errors[code.reportIndex] }
  public func errorCount(kind: ErrorKind) -> Int { errorsByKind[kind.rawValue] }
  public func latency(_ span: LatencySpan) -> Histogram<UInt64> { latencyRecords[span.rawValue].histogram() }
}

public struct SenderResult: Sendable {
  public let id: String
  public internal(set) var dispatches: Int = 0
  public internal(set) var acceptances: Int = 0
  public internal(set) var errors: Int = 0
  /// Times the sender stood still because the messaging limit was full (`limit_aware`).
  public internal(set) var limitPauses: Int = 0
}

/// Everything one replication of a scenario produced.
public struct RunResult: Sendable {
  public let scenario: Scenario
  public let seed: UInt64
  public let replication: Int
  public let horizon: SimTime
  /// The time of the last thing that happened (never past the horizon).
  public internal(set) var endedAt: SimTime = 0
  public internal(set) var campaigns: [CampaignResult]
  public internal(set) var senders: [SenderResult]
  public internal(set) var timeSeries: TimeSeries
  /// Kernel events handled.
  public internal(set) var events: Int = 0
  /// Each change of the messaging limit in force (MODEL.md §9.1), in time order.
  public internal(set) var limitChanges: [LimitChange] = []
  /// The quality rating over time (MODEL.md §9.2): its value at the first campaign start, then
  /// each change seen at an acceptance; empty when the scenario does not track quality.
  public internal(set) var qualityChanges: [QualityChange] = []
  /// When quality stopped being rated because no rule could use it any more (`nil`: rated to the end).
  public internal(set) var qualityTrackedUntil: SimTime? = nil
  /// Each sender's throughput upgrade (MODEL.md §9.3), in time order.
  public internal(set) var throughputChanges: [ThroughputChange] = []

  /// The limit in force at the end of the run (`nil`: unlimited).
  public var finalLimit: Int? { limitChanges.last.map(\.to) ?? scenario.messagingLimit }
  /// When the limit became unlimited by scaling, if it did.
  public var unlimitedAt: SimTime? { limitChanges.first { $0.to == nil }?.at }

  /// The limit in force at `t`.
  public func limit(at t: SimTime) -> Int? {
    var limit = scenario.messagingLimit
    for change in limitChanges where change.at <= t { limit = change.to }
    return limit
  }

  /// Microseconds spent at `low` quality up to `endedAt`.
  public var qualityLowTime: SimTime {
    var total: SimTime = 0
    let last = qualityTrackedUntil ?? endedAt
    for (index, change) in qualityChanges.enumerated() where change.quality == .low {
      let end = index + 1 < qualityChanges.count ? qualityChanges[index + 1].at : max(last, change.at)
      total += end - change.at
    }
    return total
  }

  /// The failure reasons this run reports: v1's five, plus `marketing_cap` with §9 keys.
  public var reportedFailureReasons: [FailureReason] {
    scenario.usesPlatformDynamics ? FailureReason.allCases : FailureReason.v1
  }

  public var messages: Int { campaigns.reduce(0) { $0 + $1.audience } }
  public var dispatches: Int { senders.reduce(0) { $0 + $1.dispatches } }

  public func totalCount(_ state: MessageState) -> Int { campaigns.reduce(0) { $0 + $1.count(state) } }
}
