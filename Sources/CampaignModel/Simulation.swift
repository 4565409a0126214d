import DequeModule
import HeapModule
import SimKernel

/// One replication of a scenario: the senders' dispatch loops on the kernel,
/// the platform rules of MODEL.md §4 and the after-acceptance chain of §5.
///
/// Per message the engine stores nothing: first attempts come from a cursor
/// per campaign, a message's random values are recomputed from its stream, and
/// everything after acceptance is drawn and recorded the moment the attempt is
/// accepted (it cannot influence anything else). Memory grows only with what
/// is in flight: waiting retries, the 24 h limit window, time-series buckets.
public final class Simulation {
  /// One message changing state, for observers (tests, traces).
  public struct TransitionRecord: Sendable, Equatable {
    public let campaign: Int
    public let message: Int
    public let transition: MessageTransition
    public let time: SimTime
  }

  public typealias Observer = (TransitionRecord) -> Void

  enum Event {
    case senderFree(Int)
    case windowEnd(Int)
  }

  /// A message waiting for its retry: ordered by `(ready, campaign order, index)`.
  struct RetryEntry: Comparable {
    var ready: SimTime
    var key: UInt64  // campaign << 40 | message index
    var attempts: Int32

    static func < (lhs: RetryEntry, rhs: RetryEntry) -> Bool {
      lhs.ready < rhs.ready || (lhs.ready == rhs.ready && lhs.key < rhs.key)
    }
    static func == (lhs: RetryEntry, rhs: RetryEntry) -> Bool { lhs.ready == rhs.ready && lhs.key == rhs.key }

    var campaign: Int { Int(key >> 40) }
    var message: Int { Int(key & (1 << 40 - 1)) }
  }

  struct ThrottleWindow {
    var start: SimTime
    var end: SimTime
    var spacing: SimTime
    var lastPassed: SimTime?
  }

  struct SenderRun {
    var interval: SimTime
    var campaigns: [Int]
    var retries = Heap<RetryEntry>()
    var outages: [(start: SimTime, end: SimTime)]  // merged, sorted
    var outageCursor = 0
    var throttles: [ThrottleWindow]  // disjoint, sorted
    var throttleCursor = 0
  }

  struct CampaignRun {
    var start: SimTime
    var windowEnd: SimTime
    var audience: Int
    var cursor = 0
    var closed = false
    var retrying = 0
    var retryingByAttempts: [Int]
    var stream: RandomStream
    var invalidBelow: Double
    var blockedBelow: Double
    var unreachableBelow: Double
    var blockedIsError: Bool
    var receiptsOff: Double
    var read: Double
    var respond: Double
    var api: Sampler
    var deliver: Sampler
    var readLatency: Sampler
    var respondLatency: Sampler
  }

  let scenario: Scenario
  let horizon: SimTime
  let observer: Observer?
  let limit: Int?
  let limitAware: Bool
  let transientRate: Double
  let maxRetries: Int
  var kernel = Kernel<Event>()
  var senders: [SenderRun] = []
  var campaigns: [CampaignRun] = []
  var senderIndexOfCampaign: [Int] = []
  /// Dispatch times of the acceptances still inside the rolling 24 h, oldest first.
  var limitWindow = Deque<SimTime>()
  var result: RunResult

  /// Prepares replication `replication` of `scenario`. The scenario must be
  /// valid (see the parser); `seed` overrides the scenario's.
  public init(scenario: Scenario, seed: UInt64? = nil, replication: Int = 0, observer: Observer? = nil) {
    self.scenario = scenario
    self.horizon = scenario.effectiveHorizon
    self.observer = observer
    self.limit = scenario.messagingLimit
    self.limitAware = scenario.pacing == .limitAware
    self.transientRate = scenario.faults.transientErrorRate
    self.maxRetries = scenario.retry.maxRetries
    let seed = seed ?? scenario.seed
    result = RunResult(
      scenario: scenario, seed: seed, replication: replication, horizon: horizon,
      campaigns: scenario.campaigns.map { CampaignResult(campaign: $0, maxRetries: scenario.retry.maxRetries) },
      senders: scenario.senders.map { SenderResult(id: $0.id) },
      timeSeries: TimeSeries(campaignCount: scenario.campaigns.count, width: scenario.bucket, horizon: horizon))

    let runStream = RandomStream(seed: seed).child(UInt64(replication))
    let senderIndex = Dictionary(uniqueKeysWithValues: scenario.senders.enumerated().map { ($1.id, $0) })
    for sender in scenario.senders {
      var outages = scenario.faults.outages.filter { $0.sender == sender.id && $0.duration > 0 }
        .map { (start: $0.start, end: $0.end) }.sorted { $0.start < $1.start }
      outages = Simulation.merge(outages)
      let throttles = scenario.faults.throttles.filter { $0.sender == sender.id && $0.duration > 0 }
        .sorted { $0.start < $1.start }
        .map { ThrottleWindow(start: $0.start, end: $0.end, spacing: $0.spacing, lastPassed: nil) }
      senders.append(
        SenderRun(interval: sender.interval, campaigns: [], outages: outages, throttles: throttles))
    }
    for (index, campaign) in scenario.campaigns.enumerated() {
      senders[senderIndex[campaign.sender]!].campaigns.append(index)
      senderIndexOfCampaign.append(senderIndex[campaign.sender]!)
      let mix = campaign.contacts
      campaigns.append(
        CampaignRun(
          start: campaign.start, windowEnd: campaign.windowEnd, audience: campaign.audience,
          retryingByAttempts: Array(repeating: 0, count: maxRetries + 2),
          stream: runStream.child(stableHash(campaign.id)),
          invalidBelow: mix.invalid, blockedBelow: mix.invalid + mix.blocked,
          unreachableBelow: mix.invalid + mix.blocked + mix.offline,
          blockedIsError: campaign.blockedSignal == .error, receiptsOff: mix.readReceiptsOff,
          read: campaign.engagement.read, respond: campaign.engagement.respond,
          api: campaign.latency.api.sampler, deliver: campaign.latency.deliver.sampler,
          readLatency: campaign.latency.read.sampler, respondLatency: campaign.latency.respond.sampler))
    }
  }

  static func merge(_ sorted: [(start: SimTime, end: SimTime)]) -> [(start: SimTime, end: SimTime)] {
    var merged: [(start: SimTime, end: SimTime)] = []
    for window in sorted {
      if let last = merged.last, window.start <= last.end {
        merged[merged.count - 1].end = max(last.end, window.end)
      } else {
        merged.append(window)
      }
    }
    return merged
  }

  /// Runs to the horizon (or until nothing is left to happen) and returns the result.
  public func run() -> RunResult {
    for (index, campaign) in campaigns.enumerated() {
      kernel.schedule(.windowEnd(index), at: campaign.windowEnd, rank: 0)
    }
    for (index, sender) in senders.enumerated() {
      if let first = sender.campaigns.map({ campaigns[$0].start }).min() {
        kernel.schedule(.senderFree(index), at: first, rank: senderRank(index))
      }
    }
    // Window ends go first at a shared microsecond (nothing is dispatched at
    // `start + window`), then senders in the order they are listed.
    while let (time, event) = kernel.next(until: horizon) {
      switch event {
      case .senderFree(let sender): senderFree(sender, at: time)
      case .windowEnd(let campaign): closeWindow(campaign, at: time)
      }
    }
    finish()
    return result
  }

  @inline(__always) func senderRank(_ sender: Int) -> UInt32 { UInt32(sender + 1) }

  /// Settles what is still open when the run ends: attempts of waiting
  /// messages, campaign end states, `sending_finished_at`.
  func finish() {
    result.events = kernel.processed
    for c in campaigns.indices {
      let run = campaigns[c]
      if !run.closed {
        result.campaigns[c].attempts[0] += run.audience - run.cursor
        for (k, n) in run.retryingByAttempts.enumerated() { result.campaigns[c].attempts[k] += n }
      }
      var campaign = result.campaigns[c]
      let delivered = MessageState.allCases.contains { $0.reachedDelivery && campaign.count($0) > 0 }
      campaign.state = campaign.state.after(.runEnded(anyDelivered: delivered))!
      if MessageState.allCases.contains(where: { $0.isInProgress && campaign.count($0) > 0 }) {
        campaign.sendingFinishedAt = nil
      }
      result.campaigns[c] = campaign
    }
  }

  /// Applies `transition` to `count` messages of `campaign` at `time`, unless
  /// that lies past the horizon, where nothing happens.
  @inline(__always)
  func record(
    _ transition: MessageTransition, campaign c: Int, message: Int, at time: SimTime, count: Int = 1,
    reason: FailureReason? = nil
  ) {
    guard time <= horizon else { return }
    result.campaigns[c].finalStates[transition.from.rawValue] -= count
    result.campaigns[c].finalStates[transition.to.rawValue] += count
    result.timeSeries.add(
      TimeSeries.Column.allCases.count + transition.from.rawValue, campaign: c, at: time, count: -count)
    result.timeSeries.add(
      TimeSeries.Column.allCases.count + transition.to.rawValue, campaign: c, at: time, count: count)
    if let reason { result.campaigns[c].failureReasons[reason.rawValue] += count }
    if transition.from.isInProgress && !transition.to.isInProgress {
      if time > result.campaigns[c].sendingFinishedAt ?? SimTime.min { result.campaigns[c].sendingFinishedAt = time }
    }
    if time > result.endedAt { result.endedAt = time }
    if let observer {
      observer(TransitionRecord(campaign: c, message: message, transition: transition, time: time))
    }
  }
}
