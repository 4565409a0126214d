import SimKernel

// Dispatch (MODEL.md §4): choosing the next ready message, the platform rules
// in their order, retries and window expiry.
extension Engine {
  /// The sender is free at `t`. It keeps dispatching in place for as long as
  /// its next free time would be the kernel's very next event anyway, so a
  /// busy sender costs no queue operation per message.
  mutating func senderFree(_ s: Int, at start: SimTime) {
    var t = start
    while let next = step(s, at: t) {
      if kernel.takeInPlace(at: next, rank: senderRank(s), until: horizon) {
        tick()
        t = next
      } else {
        kernel.schedule(.senderFree(s), at: next, rank: senderRank(s))
        return
      }
    }
  }

  /// Dispatches the ready message with the smallest `(ready time, campaign
  /// order, message index)` and returns when the sender is free again; or
  /// schedules the sender's wake-up (nothing ready, or a full limit under
  /// `limit_aware`) and returns `nil`.
  @inline(__always)
  mutating func step(_ s: Int, at t: SimTime) -> SimTime? {
    // Entries of campaigns whose window closed are dropped when they surface.
    while let top = senders[s].retries.min, campaigns[top.campaign].closed { senders[s].retries.removeMin() }

    var bestReady = SimTime.max
    var bestKey = UInt64.max
    var fromRetry = false
    var nextReady = SimTime.max
    if let top = senders[s].retries.min {
      if top.ready <= t {
        (bestReady, bestKey, fromRetry) = (top.ready, top.orderKey, true)
      } else {
        nextReady = top.ready
      }
    }
    // First attempts: a campaign's are all ready at its start, so the best is the first open
    // campaign in `(start, campaign order)`. Skipping spent ones at the head keeps a dispatch
    // as cheap with 10 000 campaigns as with one.
    let order = senders[s].campaigns
    var head = senders[s].head
    while head < order.count,
      campaigns[order[head]].closed || campaigns[order[head]].cursor >= campaigns[order[head]].audience
    {
      head += 1
    }
    senders[s].head = head
    if head < order.count {
      let c = order[head]
      let run = campaigns[c]
      if run.start > t {
        nextReady = min(nextReady, run.start)
      } else {
        let key = UInt64(c) << RetryQueue.Entry.messageBits | UInt64(run.cursor)
        if run.start < bestReady || (run.start == bestReady && key < bestKey) {
          (bestReady, bestKey, fromRetry) = (run.start, key, false)
        }
      }
    }
    guard bestReady != SimTime.max else {
      if nextReady != SimTime.max { kernel.schedule(.senderFree(s), at: nextReady, rank: senderRank(s)) }
      return nil
    }
    if limitAware, platform.limit.isFull(at: t) {
      // Stand still until the oldest counted acceptance leaves the window, or a pending upgrade
      // of the limit takes effect.
      senders[s].stats.limitPauses += 1
      let wake = platform.limit.wakeTime(afterFullAt: t)
      kernel.schedule(.senderFree(s), at: wake, rank: senderRank(s))
      if let hooks { hooks.tracer?.limitPause(sender: s, at: t, until: wake) }
      return nil
    }
    let c = Int(bestKey >> RetryQueue.Entry.messageBits)
    let m = Int(bestKey & (1 << RetryQueue.Entry.messageBits - 1))
    let attempt: Int
    if fromRetry {
      attempt = senders[s].retries.removeMin().attempts + 1
      campaigns[c].retrying -= 1
      retryingByAttempts.add(c, attempt - 1, -1)
    } else {
      attempt = 1
      campaigns[c].cursor += 1
    }
    dispatch(sender: s, campaign: c, message: m, attempt: attempt, at: t)
    return platform.senders[s].nextFree(afterDispatchAt: t)
  }

  @inline(__always)
  mutating func dispatch(sender s: Int, campaign c: Int, message m: Int, attempt: Int, at t: SimTime) {
    // Dispatch times never pass the horizon: the kernel hands out none later.
    let slot = timeSeries.slot(campaign: c, at: t)
    record(attempt == 1 ? .dispatch : .redispatch, campaign: c, message: m, at: t, slot: slot)
    timeSeries.countSend(campaign: c, at: t, slot: slot)
    if campaigns[c].firstDispatchAt == nil { campaigns[c].firstDispatchAt = t }
    senders[s].stats.dispatches += 1

    let message = campaigns[c].stream.child(UInt64(m))
    let draws = message.child(UInt64(attempt))
    let response = t + models[c].apiLatency(draws)

    if let refusal = platform.decide(sender: s, contact: models[c].rules, contact: message, attempt: draws, at: t) {
      senders[s].stats.errors += 1
      errors.add(c, refusal.code.reportIndex)
      if let kind = refusal.kind { errorKinds.add(c, kind.rawValue) }
      timeSeries.add(slot: slot, column: TimeSeries.errorsColumn)
      handleError(refusal, campaign: c, message: m, attempt: attempt, draws: draws, response: response)
      return
    }
    if let upgradeAt = platform.accept(sender: s, at: t) {
      kernel.schedule(.limitUpgrade, at: upgradeAt, rank: Engine.upgradeRank)
    }
    senders[s].stats.acceptances += 1
    timeSeries.add(slot: slot, column: TimeSeries.acceptancesColumn)
    attempts.add(c, attempt)
    record(.accept, campaign: c, message: m, at: response)
    if response <= horizon { recordLatency(.startToSent, campaign: c, response - campaigns[c].start) }
    afterAcceptance(campaign: c, message: m, stream: message, draws: draws, sentAt: response)
  }

  /// The response to a refused attempt arrives at `response`: a final state, a
  /// retry, or expiry when the retry could not happen inside the window.
  mutating func handleError(
    _ refusal: Refusal, campaign c: Int, message m: Int, attempt: Int, draws: RandomStream, response: SimTime
  ) {
    // Each way out tells the hooks what followed; refusals are off the accepted hot path.
    guard let kind = refusal.kind else {
      attempts.add(c, attempt)
      if refusal == .invalidContact {
        record(.rejectInvalid, campaign: c, message: m, at: response, reason: .invalid)
      } else {
        record(.rejectBlocked, campaign: c, message: m, at: response, reason: .blocked)
      }
      if let hooks { traceRefusal(hooks, refusal, campaign: c, message: m, draws: draws, response, after: .final) }
      return
    }
    let backoff: SimTime
    switch retry.decision(after: kind, retriesUsed: attempt - 1, attempt: draws) {
    case .giveUp(let reason):
      attempts.add(c, attempt)
      record(
        reason == .retriesExhausted ? .fail : .rejectBlocked, campaign: c, message: m, at: response, reason: reason)
      if let hooks {
        traceRefusal(hooks, refusal, campaign: c, message: m, draws: draws, response, after: .gaveUp(reason))
      }
      return
    case .retry(let after):
      backoff = after
    }
    let ready = response + backoff
    let windowEnd = campaigns[c].windowEnd
    if ready >= windowEnd {
      attempts.add(c, attempt)
      let expiredAt = max(response, windowEnd)
      if response >= windowEnd {
        record(.fail, campaign: c, message: m, at: response, reason: .expired)
      } else {
        record(.awaitRetry, campaign: c, message: m, at: response)
        record(.expireRetrying, campaign: c, message: m, at: windowEnd, reason: .expired)
      }
      if let hooks {
        let base = retry.backoff(for: kind, afterRetries: attempt - 1)
        let after = AfterRefusal.expired(backoff: base, jitterCut: base - backoff, at: expiredAt)
        traceRefusal(hooks, refusal, campaign: c, message: m, draws: draws, response, after: after)
      }
      return
    }
    record(.awaitRetry, campaign: c, message: m, at: response)
    if let hooks {
      let base = retry.backoff(for: kind, afterRetries: attempt - 1)
      let after = AfterRefusal.retry(backoff: base, jitterCut: base - backoff, readyAt: ready)
      traceRefusal(hooks, refusal, campaign: c, message: m, draws: draws, response, after: after)
    }
    senders[campaigns[c].sender].retries.insert(.init(ready: ready, campaign: c, message: m, attempts: attempt))
    campaigns[c].retrying += 1
    retryingByAttempts.add(c, attempt)
  }

  func traceRefusal(
    _ hooks: EngineHooks, _ refusal: Refusal, campaign c: Int, message m: Int, draws: RandomStream,
    _ response: SimTime, after: AfterRefusal
  ) {
    hooks.tracer?.refused(
      refusal, campaign: c, message: m, attempt: draws, response: response, limit: platform.limit.limit, after: after)
  }

  /// `start + window`: every message still queued or retrying ends `failed` (expired).
  mutating func closeWindow(_ c: Int, at t: SimTime) {
    campaigns[c].closed = true
    let run = campaigns[c]
    let queued = run.audience - run.cursor
    if queued > 0 {
      attempts.add(c, 0, queued)
      if hooks != nil {
        for m in run.cursor..<run.audience { record(.expireQueued, campaign: c, message: m, at: t, reason: .expired) }
      } else {
        record(.expireQueued, campaign: c, message: -1, at: t, count: queued, reason: .expired)
      }
      campaigns[c].cursor = run.audience
    }
    if run.retrying > 0 {
      for k in 0..<attemptSlots {
        attempts.add(c, k, retryingByAttempts[c, k])
        retryingByAttempts[c, k] = 0
      }
      if hooks != nil {
        let waiting = senders[run.sender].retries.items.filter { $0.campaign == c }.sorted { $0.precedes($1) }
        for entry in waiting { record(.expireRetrying, campaign: c, message: entry.message, at: t, reason: .expired) }
      } else {
        record(.expireRetrying, campaign: c, message: -1, at: t, count: run.retrying, reason: .expired)
      }
      campaigns[c].retrying = 0
    }
  }
}
