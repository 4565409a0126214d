import SimKernel

extension Engine {
  /// Settles what is still open when the run ends (attempts of waiting
  /// messages, campaign end states, `sending_finished_at`) and assembles the result.
  mutating func finish() -> RunResult {
    var results: [CampaignResult] = []
    for (c, run) in campaigns.enumerated() {
      var result = CampaignResult(campaign: scenario.campaigns[c], maxRetries: maxRetries)
      result.attempts = attempts.row(c)
      if !run.closed {
        result.attempts[0] += run.audience - run.cursor
        for (k, n) in retryingByAttempts.row(c).enumerated() { result.attempts[k] += n }
      }
      for transition in MessageTransition.allCases {
        let n = transitions[c, transition.index]
        result.finalStates[transition.from.rawValue] -= n
        result.finalStates[transition.to.rawValue] += n
      }
      result.failureReasons = reasons.row(c)
      result.errors = errors.row(c)
      result.errorsByKind = errorKinds.row(c)
      result.reports = reportCounts[c, 0]
      result.latencyRecords = latency[c * LatencySpan.count..<(c + 1) * LatencySpan.count].map { recorder in
        defer { recorder.release() }
        return recorder.frozen()
      }
      result.firstDispatchAt = run.firstDispatchAt
      if run.firstDispatchAt != nil { result.state = result.state.after(.firstDispatch)! }
      let delivered = MessageState.allCases.contains { $0.reachedDelivery && result.count($0) > 0 }
      result.state = result.state.after(.runEnded(anyDelivered: delivered))!
      let unfinished = MessageState.allCases.contains { $0.isInProgress && result.count($0) > 0 }
      result.sendingFinishedAt = unfinished || run.sendingFinishedAt == SimTime.min ? nil : run.sendingFinishedAt
      results.append(result)
    }
    var result = RunResult(
      scenario: scenario, seed: seed, replication: replication, horizon: horizon, campaigns: results,
      senders: senders.map(\.stats), timeSeries: timeSeries.series())
    result.endedAt = endedAt
    result.events = kernel.processed
    result.limitChanges = platform.limit.changes
    result.qualityChanges = platform.quality?.changes ?? []
    result.qualityTrackedUntil = platform.quality?.stoppedAt
    result.throughputChanges = platform.throughputChanges
    return result
  }
}
