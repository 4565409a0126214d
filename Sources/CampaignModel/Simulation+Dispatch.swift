import SimKernel

// Dispatch (MODEL.md §4): choosing the next ready message, the platform rules
// in their order, retries and window expiry.
extension Engine {
  /// The outcome of an attempt, decided at its dispatch time.
  enum Outcome {
    case accepted
    case error(ErrorCode)
  }

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
    for c in senders[s].campaigns {
      let run = campaigns[c]
      guard !run.closed, run.cursor < run.audience else { continue }
      if run.start > t {
        nextReady = min(nextReady, run.start)
        continue
      }
      let key = UInt64(c) << RetryQueue.Entry.messageBits | UInt64(run.cursor)
      if run.start < bestReady || (run.start == bestReady && key < bestKey) {
        (bestReady, bestKey, fromRetry) = (run.start, key, false)
      }
    }
    guard bestReady != SimTime.max else {
      if nextReady != SimTime.max { kernel.schedule(.senderFree(s), at: nextReady, rank: senderRank(s)) }
      return nil
    }
    if limitAware, let limit, limitCount(at: t) >= limit {
      // Stand still until the oldest counted acceptance leaves the 24 h window.
      senders[s].stats.limitPauses += 1
      kernel.schedule(.senderFree(s), at: limitWindow.first! + Time.day, rank: senderRank(s))
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
    return t + senders[s].interval
  }

  /// Accepted attempts of the business with dispatch time in `(t − 24h, t]`.
  @inline(__always)
  mutating func limitCount(at t: SimTime) -> Int {
    while let oldest = limitWindow.first, oldest <= t - Time.day { limitWindow.removeFirst() }
    return limitWindow.count
  }

  @inline(__always)
  mutating func dispatch(sender s: Int, campaign c: Int, message m: Int, attempt: Int, at t: SimTime) {
    // Dispatch times never pass the horizon: the kernel hands out none later.
    let slot = timeSeries.slot(campaign: c, at: t)
    record(attempt == 1 ? .dispatch : .redispatch, campaign: c, message: m, at: t, slot: slot)
    if campaigns[c].firstDispatchAt == nil { campaigns[c].firstDispatchAt = t }
    senders[s].stats.dispatches += 1

    let run = campaigns[c]
    let message = run.stream.child(UInt64(m))
    let draws = message.child(UInt64(attempt))
    let response = t + (run.api.isConstant ? run.api.sample(0) : run.api.sample(draws.openUniform(0)))

    switch decide(sender: s, run: run, message: message, draws: draws, at: t) {
    case .accepted:
      if limit != nil { limitWindow.append(t) }
      senders[s].stats.acceptances += 1
      timeSeries.add(slot: slot, column: TimeSeries.acceptancesColumn)
      attempts.add(c, attempt)
      record(.accept, campaign: c, message: m, at: response)
      if response <= horizon { recordLatency(.startToSent, campaign: c, response - run.start) }
      afterAcceptance(campaign: c, message: m, stream: message, sentAt: response)
    case .error(let code):
      senders[s].stats.errors += 1
      errors.add(c, code.reportIndex)
      timeSeries.add(slot: slot, column: TimeSeries.errorsColumn)
      handleError(code, campaign: c, message: m, attempt: attempt, response: response)
    }
  }

  /// Rules 1–7 of MODEL.md §4, first that applies.
  @inline(__always)
  mutating func decide(sender s: Int, run: CampaignRun, message: RandomStream, draws: RandomStream, at t: SimTime)
    -> Outcome
  {
    if inOutage(sender: s, at: t) { return .error(.outage) }
    if throttled(sender: s, at: t) { return .error(.throttled) }
    let u = message.uniform(0)
    if u < run.invalidBelow { return .error(.invalidContact) }
    if u < run.blockedBelow && run.blockedIsError { return .error(.blocked) }
    if let limit, limitCount(at: t) >= limit { return .error(.messagingLimit) }
    if transientRate > 0 && draws.uniform(1) < transientRate { return .error(.transient) }
    return .accepted
  }

  /// Outage windows are merged and a sender's dispatch times never decrease,
  /// so a cursor past the windows already over answers in O(1).
  @inline(__always)
  mutating func inOutage(sender s: Int, at t: SimTime) -> Bool {
    var cursor = senders[s].outageCursor
    let count = senders[s].outages.count
    guard cursor < count else { return false }
    while cursor < count && senders[s].outages[cursor].end <= t { cursor += 1 }
    senders[s].outageCursor = cursor
    return cursor < count && senders[s].outages[cursor].start <= t
  }

  /// Rule 2; an attempt inside the window that is not refused passes it and
  /// becomes the one the next is measured against.
  @inline(__always)
  mutating func throttled(sender s: Int, at t: SimTime) -> Bool {
    var cursor = senders[s].throttleCursor
    let count = senders[s].throttles.count
    guard cursor < count else { return false }
    while cursor < count && senders[s].throttles[cursor].end <= t { cursor += 1 }
    senders[s].throttleCursor = cursor
    guard cursor < count, senders[s].throttles[cursor].start <= t else { return false }
    let window = senders[s].throttles[cursor]
    if let last = window.lastPassed, t - last < window.spacing { return true }
    senders[s].throttles[cursor].lastPassed = t
    return false
  }

  /// The response to a refused attempt arrives at `response`: a final state, a
  /// retry, or expiry when the retry could not happen inside the window.
  mutating func handleError(_ code: ErrorCode, campaign c: Int, message m: Int, attempt: Int, response: SimTime) {
    switch code {
    case .invalidContact:
      attempts.add(c, attempt)
      record(.rejectInvalid, campaign: c, message: m, at: response, reason: .invalid)
      return
    case .blocked:
      attempts.add(c, attempt)
      record(.rejectBlocked, campaign: c, message: m, at: response, reason: .blocked)
      return
    default: break
    }
    let retriesUsed = attempt - 1
    guard retriesUsed < maxRetries else {
      attempts.add(c, attempt)
      if code == .messagingLimit {
        record(.rejectBlocked, campaign: c, message: m, at: response, reason: .messagingLimit)
      } else {
        record(.fail, campaign: c, message: m, at: response, reason: .retriesExhausted)
      }
      return
    }
    let backoff =
      code == .messagingLimit ? scenario.retry.limitBackoff : scenario.retry.transientBackoff(afterRetries: retriesUsed)
    let ready = response + backoff
    let windowEnd = campaigns[c].windowEnd
    if ready >= windowEnd {
      attempts.add(c, attempt)
      if response >= windowEnd {
        record(.fail, campaign: c, message: m, at: response, reason: .expired)
      } else {
        record(.awaitRetry, campaign: c, message: m, at: response)
        record(.expireRetrying, campaign: c, message: m, at: windowEnd, reason: .expired)
      }
      return
    }
    record(.awaitRetry, campaign: c, message: m, at: response)
    senders[campaigns[c].sender].retries.insert(.init(ready: ready, campaign: c, message: m, attempts: attempt))
    campaigns[c].retrying += 1
    retryingByAttempts.add(c, attempt)
  }

  /// `start + window`: every message still queued or retrying ends `failed` (expired).
  mutating func closeWindow(_ c: Int, at t: SimTime) {
    campaigns[c].closed = true
    let run = campaigns[c]
    let queued = run.audience - run.cursor
    if queued > 0 {
      attempts.add(c, 0, queued)
      if observer != nil {
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
      if observer != nil {
        let waiting = senders[run.sender].retries.items.filter { $0.campaign == c }.sorted { $0.precedes($1) }
        for entry in waiting { record(.expireRetrying, campaign: c, message: entry.message, at: t, reason: .expired) }
      } else {
        record(.expireRetrying, campaign: c, message: -1, at: t, count: run.retrying, reason: .expired)
      }
      campaigns[c].retrying = 0
    }
  }
}
