import SimKernel

// Dispatch (MODEL.md §4): choosing the next ready message, the platform rules
// in their order, retries and window expiry.
extension Simulation {
  /// The outcome of an attempt, decided at its dispatch time.
  enum Outcome {
    case accepted
    case error(ErrorCode)
  }

  /// The sender is free at `t`: dispatch the ready message with the smallest
  /// `(ready time, campaign order, message index)`, or idle until there is one.
  func senderFree(_ s: Int, at t: SimTime) {
    // Entries of campaigns whose window closed are dropped when they surface.
    while let top = senders[s].retries.min, campaigns[top.campaign].closed { _ = senders[s].retries.popMin() }

    var bestReady = SimTime.max
    var bestKey = UInt64.max
    var fromRetry = false
    if let top = senders[s].retries.min, top.ready <= t {
      (bestReady, bestKey, fromRetry) = (top.ready, top.key, true)
    }
    var nextReady = fromRetry ? t : (senders[s].retries.min?.ready ?? SimTime.max)
    for c in senders[s].campaigns {
      let run = campaigns[c]
      guard !run.closed, run.cursor < run.audience else { continue }
      if run.start > t {
        nextReady = min(nextReady, run.start)
        continue
      }
      let key = UInt64(c) << 40 | UInt64(run.cursor)
      if run.start < bestReady || (run.start == bestReady && key < bestKey) {
        (bestReady, bestKey, fromRetry) = (run.start, key, false)
      }
    }
    guard bestReady != SimTime.max else {
      if nextReady != SimTime.max { kernel.schedule(.senderFree(s), at: nextReady, rank: senderRank(s)) }
      return
    }
    if limitAware, let limit, limitCount(at: t) >= limit {
      // Stand still until the oldest counted acceptance leaves the 24 h window.
      result.senders[s].limitPauses += 1
      kernel.schedule(.senderFree(s), at: limitWindow.first! + Time.day, rank: senderRank(s))
      return
    }
    let attempt: Int
    if fromRetry {
      let entry = senders[s].retries.removeMin()
      attempt = Int(entry.attempts) + 1
      campaigns[entry.campaign].retrying -= 1
      campaigns[entry.campaign].retryingByAttempts[Int(entry.attempts)] -= 1
    } else {
      attempt = 1
      campaigns[Int(bestKey >> 40)].cursor += 1
    }
    dispatch(sender: s, campaign: Int(bestKey >> 40), message: Int(bestKey & (1 << 40 - 1)), attempt: attempt, at: t)
    kernel.schedule(.senderFree(s), at: t + senders[s].interval, rank: senderRank(s))
  }

  /// Accepted attempts of the business with dispatch time in `(t − 24h, t]`.
  @inline(__always)
  func limitCount(at t: SimTime) -> Int {
    while let oldest = limitWindow.first, oldest <= t - Time.day { limitWindow.removeFirst() }
    return limitWindow.count
  }

  func dispatch(sender s: Int, campaign c: Int, message m: Int, attempt: Int, at t: SimTime) {
    record(attempt == 1 ? .dispatch : .redispatch, campaign: c, message: m, at: t)
    if result.campaigns[c].firstDispatchAt == nil {
      result.campaigns[c].firstDispatchAt = t
      result.campaigns[c].state = result.campaigns[c].state.after(.firstDispatch)!
    }
    result.senders[s].dispatches += 1
    result.timeSeries.add(TimeSeries.Column.sends.rawValue, campaign: c, at: t)

    let run = campaigns[c]
    let message = run.stream.child(UInt64(m))
    let draws = message.child(UInt64(attempt))
    let response = t + (run.api.isConstant ? run.api.sample(0) : run.api.sample(draws.openUniform(0)))
    let outcome = decide(sender: s, run: run, message: message, draws: draws, at: t)

    switch outcome {
    case .accepted:
      if limit != nil { limitWindow.append(t) }
      result.senders[s].acceptances += 1
      result.timeSeries.add(TimeSeries.Column.acceptances.rawValue, campaign: c, at: t)
      result.campaigns[c].attempts[attempt] += 1
      record(.accept, campaign: c, message: m, at: response)
      if response <= horizon {
        result.campaigns[c].latency[LatencySpan.startToSent.rawValue].record(UInt64(response - run.start))
      }
      afterAcceptance(campaign: c, message: m, stream: message, sentAt: response)
    case .error(let code):
      result.senders[s].errors += 1
      result.campaigns[c].errors[ErrorCode.reportOrder.firstIndex(of: code)!] += 1
      result.timeSeries.add(TimeSeries.Column.errors.rawValue, campaign: c, at: t)
      handleError(code, campaign: c, message: m, attempt: attempt, response: response)
    }
  }

  /// Rules 1–7 of MODEL.md §4, first that applies.
  @inline(__always)
  func decide(sender s: Int, run: CampaignRun, message: RandomStream, draws: RandomStream, at t: SimTime) -> Outcome {
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
  func inOutage(sender s: Int, at t: SimTime) -> Bool {
    var cursor = senders[s].outageCursor
    let outages = senders[s].outages
    while cursor < outages.count && outages[cursor].end <= t { cursor += 1 }
    senders[s].outageCursor = cursor
    return cursor < outages.count && outages[cursor].start <= t
  }

  /// Rule 2; an attempt inside the window that is not refused passes it and
  /// becomes the one the next is measured against.
  @inline(__always)
  func throttled(sender s: Int, at t: SimTime) -> Bool {
    var cursor = senders[s].throttleCursor
    let count = senders[s].throttles.count
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
  func handleError(_ code: ErrorCode, campaign c: Int, message m: Int, attempt: Int, response: SimTime) {
    switch code {
    case .invalidContact:
      result.campaigns[c].attempts[attempt] += 1
      record(.rejectInvalid, campaign: c, message: m, at: response, reason: .invalid)
      return
    case .blocked:
      result.campaigns[c].attempts[attempt] += 1
      record(.rejectBlocked, campaign: c, message: m, at: response, reason: .blocked)
      return
    default: break
    }
    let retriesUsed = attempt - 1
    guard retriesUsed < maxRetries else {
      result.campaigns[c].attempts[attempt] += 1
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
      result.campaigns[c].attempts[attempt] += 1
      if response >= windowEnd {
        record(.fail, campaign: c, message: m, at: response, reason: .expired)
      } else {
        record(.awaitRetry, campaign: c, message: m, at: response)
        record(.expireRetrying, campaign: c, message: m, at: windowEnd, reason: .expired)
      }
      return
    }
    record(.awaitRetry, campaign: c, message: m, at: response)
    let s = senderOf(campaign: c)
    senders[s].retries.insert(RetryEntry(ready: ready, key: UInt64(c) << 40 | UInt64(m), attempts: Int32(attempt)))
    campaigns[c].retrying += 1
    campaigns[c].retryingByAttempts[attempt] += 1
  }

  @inline(__always) func senderOf(campaign c: Int) -> Int { senderIndexOfCampaign[c] }

  /// `start + window`: every message still queued or retrying ends `failed` (expired).
  func closeWindow(_ c: Int, at t: SimTime) {
    campaigns[c].closed = true
    let run = campaigns[c]
    let queued = run.audience - run.cursor
    if queued > 0 {
      result.campaigns[c].attempts[0] += queued
      if observer != nil {
        for m in run.cursor..<run.audience { record(.expireQueued, campaign: c, message: m, at: t, reason: .expired) }
      } else {
        record(.expireQueued, campaign: c, message: -1, at: t, count: queued, reason: .expired)
      }
      campaigns[c].cursor = run.audience
    }
    if run.retrying > 0 {
      for (k, n) in run.retryingByAttempts.enumerated() { result.campaigns[c].attempts[k] += n }
      if observer != nil {
        let waiting = senders[senderOf(campaign: c)].retries.unordered.filter { $0.campaign == c }.sorted()
        for entry in waiting { record(.expireRetrying, campaign: c, message: entry.message, at: t, reason: .expired) }
      } else {
        record(.expireRetrying, campaign: c, message: -1, at: t, count: run.retrying, reason: .expired)
      }
      campaigns[c].retrying = 0
      campaigns[c].retryingByAttempts = Array(repeating: 0, count: run.retryingByAttempts.count)
    }
  }
}
