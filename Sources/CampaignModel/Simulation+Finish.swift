import SimKernel

extension Engine {
  /// Settles what is still open when the run ends (attempts of waiting
  /// messages, campaign end states, `sending_finished_at`) and assembles the result.
  mutating func finish() -> RunResult {
    var results: [CampaignResult] = []
    for (c, run) in campaigns.enumerated() {
      var result = CampaignResult(campaign: scenario.campaigns[c], maxRetries: maxRetries)
      let slots = c * attemptSlots..<(c + 1) * attemptSlots
      result.attempts = Array(attempts[slots])
      if !run.closed {
        result.attempts[0] += run.audience - run.cursor
        for (k, n) in retryingByAttempts[slots].enumerated() { result.attempts[k] += n }
      }
      for transition in MessageTransition.all {
        let n = transitions[c * MessageTransition.all.count + transition.index]
        result.finalStates[transition.from.rawValue] -= n
        result.finalStates[transition.to.rawValue] += n
      }
      result.failureReasons = Array(reasons[c * FailureReason.allCases.count..<(c + 1) * FailureReason.allCases.count])
      result.errors = Array(errors[c * ErrorCode.allCases.count..<(c + 1) * ErrorCode.allCases.count])
      result.latency = Array(latency[c * LatencySpan.allCases.count..<(c + 1) * LatencySpan.allCases.count])
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
      senders: senders.map(\.stats), timeSeries: timeSeries)
    result.endedAt = endedAt
    result.events = kernel.processed
    return result
  }
}
