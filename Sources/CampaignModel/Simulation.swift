import SimKernel

/// One replication of a scenario: the senders' dispatch loops on the kernel,
/// the platform rules of MODEL.md §4 and the after-acceptance chain of §5.
///
/// Per message the engine stores nothing (unless asked to trace some): first attempts come from a cursor
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

  /// Where a run has got to, for progress displays.
  public struct Progress: Sendable {
    /// Simulated time reached.
    public let now: SimTime
    public let horizon: SimTime
    /// Messages that have left queued/sending/retrying for good.
    public let settled: Int
    public let messages: Int
    public let events: Int

    public init(now: SimTime, horizon: SimTime, settled: Int, messages: Int, events: Int) {
      self.now = now
      self.horizon = horizon
      self.settled = settled
      self.messages = messages
      self.events = events
    }
  }

  var engine: Engine

  /// The histories of the messages `trace` selected, by campaign order then message index;
  /// filled by `run`.
  public private(set) var traces: [MessageTrace] = []

  /// Prepares replication `replication` of `scenario`. The scenario must be
  /// valid (see the parser); `seed` overrides the scenario's. `trace` selects messages whose
  /// whole history is kept (`traces`); it changes nothing in the result.
  public init(
    scenario: Scenario, seed: UInt64? = nil, replication: Int = 0, observer: Observer? = nil,
    trace: TraceSelection? = nil
  ) {
    engine = Engine(
      scenario: scenario, seed: seed ?? scenario.seed, replication: replication, observer: observer, trace: trace)
  }

  /// Runs to the horizon (or until nothing is left to happen) and returns the
  /// result. `progress`, when given, is called every `progressInterval` events.
  public func run(progressInterval: Int = 1 << 18, progress: ((Progress) -> Void)? = nil) -> RunResult {
    engine.progress = progress
    // A power of two, so the check on the hot path is a mask.
    let interval = max(1, progressInterval)
    engine.progressMask = (1 << (Int.bitWidth - (interval - 1).leadingZeroBitCount)) - 1
    let result = engine.run()
    if let tracer = engine.hooks?.tracer { traces = tracer.finish(result) }
    return result
  }
}

/// The simulation's state and logic. A struct, so that every access to its
/// fields is checked for exclusivity at compile time rather than at run time
/// (in a class that check costs more than the simulation itself).
struct Engine {
  enum Event {
    case senderFree(Int)
    case windowEnd(Int)
    case limitUpgrade
  }

  struct SenderRun {
    /// The sender's campaigns by `(start, campaign order)`: the order their first attempts are
    /// ready in. Those before `head` have sent every first attempt or closed.
    var campaigns: [Int]
    var head = 0
    var retries = RetryQueue()
    var stats: SenderResult
  }

  /// Everything the hot path needs about a campaign, as plain values.
  struct CampaignRun {
    var start: SimTime
    var windowEnd: SimTime
    var audience: Int
    var cursor = 0
    var closed = false
    var retrying = 0
    var sender: Int
    var stream: RandomStream
    var firstDispatchAt: SimTime?
    var sendingFinishedAt = SimTime.min
  }

  let scenario: Scenario
  let seed: UInt64
  let replication: Int
  let horizon: SimTime
  /// Observers and tracing; `nil` (the usual case) costs the hot path one test per call site.
  let hooks: EngineHooks?
  let limitAware: Bool
  let retry: RetryPolicy
  let maxRetries: Int
  /// Width of the per-campaign attempt counters: attempts 0 … 1 + max_retries.
  let attemptSlots: Int
  var kernel = Kernel<Event>()
  var senders: [SenderRun] = []
  var campaigns: [CampaignRun] = []
  /// The platform's model of each campaign's contacts; apart from `campaigns` so that the
  /// small, often-copied run state stays small.
  let modelTable: ContactModelTable
  let models: UnsafeMutablePointer<ContactModel>
  /// WhatsApp's side: windows, the messaging limit and its scaling, quality, upgrades, caps.
  var platform: PlatformState
  var timeSeries: TimeSeriesRecorder
  var endedAt: SimTime = 0
  var settled = 0
  var progress: ((Simulation.Progress) -> Void)?
  var progressMask = 0
  // Per-campaign counters (campaign × kind) behind pointers: no uniqueness or
  // exclusivity checks on the hot path.
  let transitions: CounterBlock
  let reasons: CounterBlock
  let attempts: CounterBlock
  let retryingByAttempts: CounterBlock
  let errors: CounterBlock
  let errorKinds: CounterBlock
  let reportCounts: CounterBlock
  let latency: [LatencyRecorder]
  /// The recorders' headers, read on the hot path without retaining their arenas.
  let latencyHeaders: [UnsafeMutablePointer<Int64>]

  init(scenario: Scenario, seed: UInt64, replication: Int, observer: Simulation.Observer?, trace: TraceSelection?) {
    self.scenario = scenario
    self.seed = seed
    self.replication = replication
    self.horizon = scenario.effectiveHorizon
    self.limitAware = scenario.pacing == .limitAware
    self.retry = scenario.retry
    self.maxRetries = scenario.retry.maxRetries
    self.attemptSlots = scenario.retry.maxRetries + 2
    let campaignCount = scenario.campaigns.count
    timeSeries = TimeSeriesRecorder(campaignCount: campaignCount, width: scenario.bucket, horizon: horizon)
    transitions = CounterBlock(campaigns: campaignCount, width: MessageTransition.count)
    reasons = CounterBlock(campaigns: campaignCount, width: FailureReason.count)
    attempts = CounterBlock(campaigns: campaignCount, width: attemptSlots)
    retryingByAttempts = CounterBlock(campaigns: campaignCount, width: attemptSlots)
    errors = CounterBlock(campaigns: campaignCount, width: ErrorCode.count)
    errorKinds = CounterBlock(campaigns: campaignCount, width: ErrorKind.count)
    reportCounts = CounterBlock(campaigns: campaignCount, width: 1)
    latency = (0..<campaignCount * LatencySpan.count).map { _ in LatencyRecorder() }
    latencyHeaders = latency.map(\.header)

    let runStream = RandomStream(seed: seed).child(UInt64(replication))
    let senderIndex = Dictionary(uniqueKeysWithValues: scenario.senders.enumerated().map { ($1.id, $0) })
    modelTable = ContactModelTable(scenario.campaigns.map(\.contactModel))
    models = modelTable.base
    platform = PlatformState(
      limit: scenario.messagingLimit, limitWindow: scenario.limitWindow, scaling: scenario.scaling,
      quality: scenario.tracksQuality ? scenario.quality ?? QualityPolicy() : nil,
      qualityStart: scenario.campaigns.map(\.start).min() ?? 0,
      senders: scenario.senders.map { sender in
        SenderWindows(
          throughputMPS: sender.throughputMPS, outages: scenario.faults.outages.filter { $0.sender == sender.id },
          throttles: scenario.faults.throttles.filter { $0.sender == sender.id }, upgrade: sender.upgrade)
      },
      transientRate: scenario.faults.transientErrorRate)
    for sender in scenario.senders { senders.append(SenderRun(campaigns: [], stats: SenderResult(id: sender.id))) }
    for (index, campaign) in scenario.campaigns.enumerated() {
      let sender = senderIndex[campaign.sender]!
      senders[sender].campaigns.append(index)
      campaigns.append(
        CampaignRun(
          start: campaign.start, windowEnd: campaign.windowEnd, audience: campaign.audience, sender: sender,
          stream: runStream.child(stableHash(campaign.id))))
    }
    let streams = campaigns.map(\.stream)
    hooks = EngineHooks(
      observer: observer, tracer: trace.map { MessageTracer(selection: $0, scenario: scenario, streams: streams) })
    for s in senders.indices {
      senders[s].campaigns.sort { (campaigns[$0].start, $0) < (campaigns[$1].start, $1) }
    }
  }

  mutating func run() -> RunResult {
    for (index, campaign) in campaigns.enumerated() {
      kernel.schedule(.windowEnd(index), at: campaign.windowEnd, rank: 0)
    }
    for (index, sender) in senders.enumerated() {
      if let first = sender.campaigns.map({ campaigns[$0].start }).min() {
        kernel.schedule(.senderFree(index), at: first, rank: senderRank(index))
      }
    }
    // Window ends go first at a shared microsecond (nothing is dispatched at
    // `start + window`), then a limit upgrade (MODEL.md §9.1), then senders in the order they
    // are listed.
    while let (time, event) = kernel.next(until: horizon) {
      tick()
      switch event {
      case .senderFree(let sender): senderFree(sender, at: time)
      case .windowEnd(let campaign): closeWindow(campaign, at: time)
      case .limitUpgrade:
        // An upgrade taking effect happens: it can be the run's last event.
        platform.applyLimitUpgrade(at: time)
        if time > endedAt { endedAt = time }
      }
    }
    return finish()
  }

  static let upgradeRank: UInt32 = 1
  @inline(__always) func senderRank(_ sender: Int) -> UInt32 { UInt32(sender + 2) }

  /// After each handled event: reports progress every `progressMask + 1` events.
  @inline(__always)
  func tick() {
    guard let progress, kernel.processed & progressMask == 0 else { return }
    progress(
      Simulation.Progress(
        now: kernel.now, horizon: horizon, settled: settled, messages: scenario.totalAudience,
        events: kernel.processed))
  }

  /// Applies `transition` to `count` messages of `campaign` at `time`, unless
  /// that lies past the horizon, where nothing happens.
  @inline(__always)
  mutating func record(
    _ transition: MessageTransition, campaign c: Int, message: Int, at time: SimTime, count: Int = 1,
    reason: FailureReason? = nil
  ) {
    guard time <= horizon else { return }
    record(
      transition, campaign: c, message: message, at: time, slot: timeSeries.slot(campaign: c, at: time), count: count,
      reason: reason)
  }

  /// `record` for a time not past the horizon whose time-series slot is known.
  @inline(__always)
  mutating func record(
    _ transition: MessageTransition, campaign c: Int, message: Int, at time: SimTime, slot: Int, count: Int = 1,
    reason: FailureReason? = nil
  ) {
    transitions.add(c, transition.index, count)
    timeSeries.add(slot: slot, column: TimeSeries.firstEdgeColumn &+ transition.index, count: count)
    if let reason { reasons.add(c, reason.rawValue, count) }
    if transition.finishesSending {
      settled &+= count
      if time > campaigns[c].sendingFinishedAt { campaigns[c].sendingFinishedAt = time }
    }
    if time > endedAt { endedAt = time }
    if let hooks { hooks.transition(transition, campaign: c, message: message, at: time, reason: reason) }
  }

  @inline(__always)
  // `mutating` although it changes no stored property: called on a non-mutating `self` from
  // the mutating dispatch path, the whole engine (about 1 KB and 35 references) was copied,
  // retained and released per record.
  mutating func recordLatency(_ span: LatencySpan, campaign c: Int, _ value: SimTime) {
    let i = c &* LatencySpan.count &+ span.rawValue
    if !LatencyRecorder.recordDense(UInt64(value), header: latencyHeaders[i]) { latency[i].record(UInt64(value)) }
  }
}
