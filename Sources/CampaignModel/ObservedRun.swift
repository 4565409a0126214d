import SimKernel

/// A `RunResult` assembled from what happened outside the engine: the emulator of MODEL.md §10,
/// where a real sender is the dispatcher. It keeps the same series, histograms and counters the
/// engine keeps, so every report writer works unchanged on it.
///
/// Time-series edges may be recorded in any time order, and a tentative edge may be taken back
/// (`count: -1`): the emulator learns only at the end that an error was the sender's last word.
public struct ObservedRun {
  let scenario: Scenario
  var timeSeries: TimeSeriesRecorder
  let latency: [LatencyRecorder]
  let errors: CounterBlock
  let errorKinds: CounterBlock
  var senders: [SenderResult]

  /// `scenario` as served: campaigns and senders in file order.
  public init(scenario: Scenario) {
    self.scenario = scenario
    let campaigns = scenario.campaigns.count
    timeSeries = TimeSeriesRecorder(campaignCount: campaigns, width: scenario.bucket, horizon: Time.day)
    latency = (0..<campaigns * LatencySpan.count).map { _ in LatencyRecorder() }
    errors = CounterBlock(campaigns: campaigns, width: ErrorCode.count)
    errorKinds = CounterBlock(campaigns: campaigns, width: ErrorKind.count)
    senders = scenario.senders.map { SenderResult(id: $0.id) }
  }

  /// A message of `campaign` took `transition` at `time` (negative `count` withdraws one).
  public mutating func record(_ transition: MessageTransition, campaign: Int, at time: SimTime, count: Int = 1) {
    let slot = timeSeries.slot(campaign: campaign, at: max(0, time))
    timeSeries.add(slot: slot, column: TimeSeries.firstEdgeColumn + transition.index, count: count)
  }

  /// An attempt dispatched at `time` by `sender`: accepted when `error` is `nil`. Counted where
  /// the outcome is decided, as the engine counts it (MODEL.md §4).
  public mutating func recordAttempt(
    campaign: Int, sender: Int, at time: SimTime, error: ErrorCode?, kind: ErrorKind? = nil
  ) {
    let slot = timeSeries.slot(campaign: campaign, at: max(0, time))
    senders[sender].dispatches += 1
    if let error {
      senders[sender].errors += 1
      errors.add(campaign, error.reportIndex)
      if let kind { errorKinds.add(campaign, kind.rawValue) }
      timeSeries.add(slot: slot, column: TimeSeries.errorsColumn)
    } else {
      senders[sender].acceptances += 1
      timeSeries.add(slot: slot, column: TimeSeries.acceptancesColumn)
    }
  }

  public func recordLatency(_ span: LatencySpan, campaign: Int, _ value: SimTime) {
    latency[campaign * LatencySpan.count + span.rawValue].record(UInt64(max(0, value)))
  }

  /// What one campaign's messages came to, counted by the caller from its per-message records.
  public struct CampaignOutcome: Sendable {
    public var messages = 0
    public var finalStates = Array(repeating: 0, count: MessageState.allCases.count)
    public var failureReasons = Array(repeating: 0, count: FailureReason.allCases.count)
    /// `attempts[k]`: messages tried exactly `k` times; grows as needed.
    public var attempts: [Int] = [0]
    /// Contacts who reported the business by the end (MODEL.md §9.2).
    public var reports = 0
    public var firstDispatchAt: SimTime?
    public var sendingFinishedAt: SimTime?

    public init() {}

    public mutating func count(attempts k: Int) {
      if attempts.count <= k { attempts += Array(repeating: 0, count: k + 1 - attempts.count) }
      attempts[k] += 1
    }
  }

  /// The result, ending at `end`. Campaign audiences become the number of messages the sender
  /// tried, so the scenario in the report says what was actually served.
  public func finish(
    at end: SimTime, outcomes: [CampaignOutcome], limitChanges: [LimitChange] = [],
    qualityChanges: [QualityChange] = [], throughputChanges: [ThroughputChange] = []
  ) -> RunResult {
    var served = scenario
    served.horizon = end
    for (c, outcome) in outcomes.enumerated() { served.campaigns[c].audience = outcome.messages }
    var results: [CampaignResult] = []
    for (c, outcome) in outcomes.enumerated() {
      var result = CampaignResult(campaign: served.campaigns[c], maxRetries: scenario.retry.maxRetries)
      result.finalStates = outcome.finalStates
      result.failureReasons = outcome.failureReasons
      var attempts = outcome.attempts
      if attempts.count < result.attempts.count {
        attempts += Array(repeating: 0, count: result.attempts.count - attempts.count)
      }
      result.attempts = attempts
      result.errors = errors.row(c)
      result.errorsByKind = errorKinds.row(c)
      result.reports = outcome.reports
      result.latencyRecords = latency[c * LatencySpan.count..<(c + 1) * LatencySpan.count].map { $0.frozen() }
      result.firstDispatchAt = outcome.firstDispatchAt
      if outcome.firstDispatchAt != nil { result.state = .sending }
      let delivered = MessageState.allCases.contains { $0.reachedDelivery && result.count($0) > 0 }
      result.state = result.state.after(.runEnded(anyDelivered: delivered)) ?? result.state
      result.sendingFinishedAt = outcome.sendingFinishedAt
      results.append(result)
    }
    var result = RunResult(
      scenario: served, seed: scenario.seed, replication: 0, horizon: end, campaigns: results, senders: senders,
      timeSeries: timeSeries.series())
    result.endedAt = end
    result.limitChanges = limitChanges.filter { $0.at <= end }
    result.qualityChanges = qualityChanges.filter { $0.at <= end }
    result.throughputChanges = throughputChanges.filter { $0.at <= end }
    return result
  }
}
