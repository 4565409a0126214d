extension RunResult {
  /// Conservation laws every run must satisfy; an empty list when all hold.
  /// Cheap enough to check after every run (tests do, on every shipped scenario).
  public func invariantViolations() -> [String] {
    var problems: [String] = []
    let maxAttempts = scenario.retry.maxRetries + 1
    for campaign in campaigns {
      let id = campaign.id
      let total = campaign.finalStates.reduce(0, +)
      if total != campaign.audience {
        problems.append("\(id): final states sum to \(total), audience is \(campaign.audience)")
      }
      if campaign.finalStates.contains(where: { $0 < 0 }) { problems.append("\(id): a negative state count") }
      let attempted = campaign.attempts.reduce(0, +)
      if attempted != campaign.audience { problems.append("\(id): attempts histogram sums to \(attempted)") }
      for (k, n) in campaign.attempts.enumerated() where n > 0 && k > maxAttempts {
        problems.append("\(id): \(n) messages with \(k) attempts, more than 1 + max_retries")
      }
      if campaign.count(.failed) != campaign.count(.retriesExhausted) + campaign.count(.expired) {
        problems.append("\(id): failed != retries_exhausted + expired")
      }
      if campaign.count(.blockedOrSpam) != campaign.count(FailureReason.blocked)
        + campaign.count(FailureReason.messagingLimit) + campaign.count(FailureReason.marketingCap)
      {
        problems.append("\(id): blocked_or_spam != blocked + messaging_limit + marketing_cap")
      }
      if campaign.count(MessageState.invalidContact) != campaign.count(FailureReason.invalid) {
        problems.append("\(id): invalid_contact != invalid")
      }
      let dispatches = campaign.attempts.enumerated().reduce(0) { $0 + $1.offset * $1.element }
      let errors = campaign.errors.reduce(0, +)
      let accepted = MessageState.allCases.filter(\.isSuccess).reduce(0) { $0 + campaign.count($1) }
      if errors + accepted > dispatches {
        problems.append("\(id): \(errors) errors + \(accepted) accepted > \(dispatches) dispatches")
      }
      let inProgress = MessageState.allCases.filter(\.isInProgress).reduce(0) { $0 + campaign.count($1) }
      if inProgress == 0 && campaign.state == .queued && dispatches > 0 {
        problems.append("\(id): dispatched but still queued")
      }
    }
    // A coarse bound: at most the largest limit in force per started window. The exact rolling
    // check needs the dispatch times (tests replay them).
    if let limit = limitChanges.isEmpty ? scenario.messagingLimit : nil {
      let accepted = senders.reduce(0) { $0 + $1.acceptances }
      let windows = Int(horizon / scenario.limitWindow) + 1
      if accepted > limit * windows {
        problems.append("\(accepted) acceptances exceed the messaging limit over \(windows) windows")
      }
    }
    for (a, b) in zip(limitChanges, limitChanges.dropFirst()) where (a.to ?? Int.max) != (b.from ?? Int.max) {
      problems.append("limit changes do not chain at \(b.at)")
    }
    if limitChanges.contains(where: { ($0.from ?? Int.max) >= ($0.to ?? Int.max) }) {
      problems.append("the messaging limit fell")
    }
    return problems
  }
}
