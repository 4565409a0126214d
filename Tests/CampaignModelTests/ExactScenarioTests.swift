import CampaignModel
import SimKernel
import Testing

// Deterministic scenarios whose numbers are derived by hand from MODEL.md.
@Suite struct ExactScenarioTests {
  let s = Time.second

  @Test func drainWithoutFaultsFinishesAtLastDispatchPlusAPI() {
    // 10 msg/s → interval 100 ms; the last of N leaves at (N−1)·interval, sent api later.
    let api = 200 * Time.millisecond
    let (result, trace) = runChecked(single(audience: 500, mps: 10, latency: Latencies(api: .fixed(api))))
    let c = result.campaigns[0]
    #expect(c.sendingFinishedAt == 499 * 100 * Time.millisecond + api)
    #expect(c.firstDispatchAt == 0)
    #expect(c.count(.delivered) == 500)  // deliver latency 0, read probability 0
    #expect(c.attempts[1] == 500)
    #expect(c.state == .completed)
    #expect(c.errors.allSatisfy { $0 == 0 })
    #expect(result.senders[0].dispatches == 500)
    #expect(trace.filter { $0.transition == .dispatch }.map(\.time) == (0..<500).map { SimTime($0) * 100_000 })
  }

  @Test func intervalIsFlooredToWholeMicroseconds() {
    // 3 msg/s → floor(1e6/3) = 333_333 µs.
    let (result, _) = runChecked(single(audience: 4, mps: 3))
    let finished: SimTime? = result.campaigns[0].sendingFinishedAt
    let expected: SimTime = 3 * 333_333
    #expect(finished == expected)
  }

  @Test func outageOfDSecondsAtRMessagesPerSecondGivesDTimesRErrors() {
    // 10 msg/s, outage [10 s, 15 s): the 50 attempts dispatched inside fail with
    // 131016; their retries are ready later than every first attempt, so they go last and succeed.
    let faults = Faults(outages: [Outage(sender: "s", start: 10 * s, duration: 5 * s)])
    let (result, trace) = runChecked(single(audience: 1000, mps: 10, faults: faults))
    let c = result.campaigns[0]
    #expect(c.errorCount(.outage) == 50)
    #expect(c.count(.delivered) == 1000)
    #expect(c.attempts[1] == 950 && c.attempts[2] == 50)
    let retried = trace.filter { $0.transition == .redispatch }
    #expect(retried.count == 50)
    #expect(retried.first?.time == 100 * s)  // right after the 1000th first attempt at 99.9 s
    #expect(c.sendingFinishedAt == 100 * s + 49 * 100 * Time.millisecond)
  }

  @Test func throttleRefusesAttemptsCloserThanItsSpacing() {
    // 10 msg/s against a 2 msg/s throttle over [10 s, 20 s): one in five passes.
    let faults = Faults(throttles: [Throttle(sender: "s", start: 10 * s, duration: 10 * s, mps: 2)])
    let (result, _) = runChecked(single(audience: 1000, mps: 10, faults: faults))
    #expect(result.campaigns[0].errorCount(.throttled) == 80)
    #expect(result.campaigns[0].count(.delivered) == 1000)
  }

  @Test func outageComesBeforeThrottle() {
    // Attempts refused by the outage never pass the throttle rule.
    let faults = Faults(
      outages: [Outage(sender: "s", start: 0, duration: 1 * s)],
      throttles: [Throttle(sender: "s", start: 0, duration: 2 * s, mps: 1)])
    let (result, _) = runChecked(single(audience: 100, mps: 10, faults: faults))
    let c = result.campaigns[0]
    #expect(c.errorCount(.outage) == 10)
    // [1 s, 2 s): 1.0 passes (first to pass in the window), 1.1…1.9 are refused.
    #expect(c.errorCount(.throttled) == 9)
  }

  @Test func invalidAndBlockedContactsEndAtTheResponse() {
    let api = 100 * Time.millisecond
    let invalid = runChecked(
      single(audience: 20, contacts: ContactMix(invalid: 1), latency: Latencies(api: .fixed(api)))
    ).0
    #expect(invalid.campaigns[0].count(.invalidContact) == 20)
    #expect(invalid.campaigns[0].count(.invalidContact) == invalid.campaigns[0].errorCount(.invalidContact))
    #expect(invalid.campaigns[0].sendingFinishedAt == 19 * 100 * Time.millisecond + api)
    #expect(invalid.campaigns[0].state == .failed)

    let blocked = runChecked(single(audience: 20, contacts: ContactMix(blocked: 1))).0
    #expect(blocked.campaigns[0].count(.blockedOrSpam) == 20)
    #expect(blocked.campaigns[0].count(FailureReason.blocked) == 20)
    #expect(blocked.campaigns[0].errorCount(.blocked) == 20)

    // What WhatsApp really does: no error, the message stays `sent`.
    let silent = runChecked(single(audience: 20, contacts: ContactMix(blocked: 1), blockedSignal: .silent)).0
    #expect(silent.campaigns[0].count(.sent) == 20)
    #expect(silent.campaigns[0].errors.reduce(0, +) == 0)
    #expect(silent.campaigns[0].state == .failed)  // nobody reached `delivered`
  }

  @Test func offlineContactsStaySent() {
    let (result, _) = runChecked(
      single(audience: 30, contacts: ContactMix(offline: 1), engagement: Engagement(read: 1)))
    #expect(result.campaigns[0].count(.sent) == 30)
  }

  @Test func tierLimitWithNaivePacingAndTwelveHourBackoff() {
    // Limit 100, 300 contacts at 1 msg/s, 3 retries, 12 h limit backoff.
    // Round 1 (t = 0…299 s): 100 accepted, 200 refused → ready 12 h later.
    // Round 2 (12 h + 100…299 s): the first 100 still count → 200 refused.
    // Round 3 (24 h + 100…299 s): the first 100 left the window → 100 accepted, 100 refused.
    // Round 4 (36 h + 200…299 s): round 3's acceptances still count → 100 refused, retries exhausted.
    let (result, _) = runChecked(single(audience: 300, mps: 1, limit: 100))
    let c = result.campaigns[0]
    #expect(c.errorCount(.messagingLimit) == 600)
    #expect(c.count(.sent) + c.count(.delivered) == 200)
    #expect(c.count(.blockedOrSpam) == 100)
    #expect(c.count(FailureReason.messagingLimit) == 100)
    #expect(c.attempts[1] == 100 && c.attempts[3] == 100 && c.attempts[4] == 100)
    #expect(c.sendingFinishedAt == 36 * Time.hour + 299 * s)
  }

  @Test func tierLimitWithLimitAwarePacingWaitsInsteadOfRetrying() {
    // The sender stands still at 100 s until the acceptance at 0 s leaves the
    // window (24 h), sends 100 more, stands still again until 48 h.
    let (result, trace) = runChecked(single(audience: 300, mps: 1, limit: 100, pacing: .limitAware))
    let c = result.campaigns[0]
    #expect(c.errors.reduce(0, +) == 0)
    #expect(c.count(.delivered) == 300)
    #expect(c.attempts[1] == 300)
    let dispatchTimes = trace.filter { $0.transition == .dispatch }.map(\.time)
    #expect(dispatchTimes[100] == Time.day && dispatchTimes[199] == Time.day + 99 * s)
    #expect(dispatchTimes[200] == 2 * Time.day)
    #expect(c.sendingFinishedAt == 2 * Time.day + 99 * s)
    #expect(result.senders[0].limitPauses == 2)
  }

  @Test func retriesExhaustedAfterTheBackoffLadder() {
    // Every attempt fails: 0 s, +30 s, +2 m, +10 m → failed at 750 s after four attempts.
    let (result, trace) = runChecked(single(audience: 1, faults: Faults(transientErrorRate: 1)))
    let c = result.campaigns[0]
    #expect(c.count(.failed) == 1 && c.count(FailureReason.retriesExhausted) == 1)
    #expect(c.errorCount(ErrorCode.transient) == 4)
    #expect(c.attempts[4] == 1)
    #expect(trace.filter { $0.transition.to == .sending }.map(\.time) == [0, 30 * s, 150 * s, 750 * s])
    #expect(c.sendingFinishedAt == 750 * s)
  }

  @Test func lastBackoffEntryRepeats() {
    let retry = RetryPolicy(maxRetries: 4, transientBackoff: [10 * Time.second, 20 * Time.second])
    let (_, trace) = runChecked(single(audience: 1, faults: Faults(transientErrorRate: 1), retry: retry))
    #expect(trace.filter { $0.transition.to == .sending }.map(\.time) == [0, 10 * s, 30 * s, 50 * s, 70 * s])
  }

  @Test func zeroRetriesFailsAtTheFirstError() {
    let (result, _) = runChecked(
      single(audience: 5, limit: 2, faults: Faults(), retry: RetryPolicy(maxRetries: 0)))
    #expect(result.campaigns[0].count(FailureReason.messagingLimit) == 3)
    #expect(result.campaigns[0].count(.delivered) == 2)
  }

  @Test func windowEndExpiresQueuedMessages() {
    let (result, _) = runChecked(single(audience: 100, mps: 1, window: 50 * s))
    let c = result.campaigns[0]
    #expect(c.count(.delivered) == 50)
    #expect(c.count(.failed) == 50 && c.count(FailureReason.expired) == 50)
    #expect(c.attempts[0] == 50 && c.attempts[1] == 50)
    #expect(c.sendingFinishedAt == 50 * s)
  }

  @Test func retryReadyAfterWindowEndExpiresAtWindowEnd() {
    // Attempt 1 at 0 s, attempt 2 at 30 s; the next would be ready at 150 s ≥ 100 s.
    let (result, trace) = runChecked(single(audience: 1, window: 100 * s, faults: Faults(transientErrorRate: 1)))
    let c = result.campaigns[0]
    #expect(c.count(FailureReason.expired) == 1 && c.attempts[2] == 1)
    #expect(trace.last?.transition == .expireRetrying && trace.last?.time == 100 * s)
  }

  @Test func retryReadyAfterWindowEndExpiresAtALaterResponse() {
    // The response itself comes after the window end: failed (expired) then.
    let (result, trace) = runChecked(
      single(
        audience: 1, window: 100 * s, latency: Latencies(api: .fixed(200 * s)), faults: Faults(transientErrorRate: 1)))
    #expect(result.campaigns[0].count(FailureReason.expired) == 1)
    #expect(trace.last?.transition == .fail && trace.last?.time == 200 * s)
  }

  @Test func waitingRetriesExpireAtWindowEnd() {
    // 1 msg/s, outage over the first 10 s, window 40 s: the 10 refused messages
    // are ready at 40 s+ (30 s backoff) = window end → expired; the rest of the
    // 100 expire queued.
    let faults = Faults(outages: [Outage(sender: "s", start: 0, duration: 10 * s)])
    let (result, _) = runChecked(single(audience: 100, mps: 1, window: 40 * s, faults: faults))
    let c = result.campaigns[0]
    #expect(c.errorCount(.outage) == 10)
    #expect(c.count(.delivered) == 30)
    #expect(c.count(FailureReason.expired) == 70)
  }

  @Test func retriesInTheQueueAtWindowEndExpire() {
    // 1 msg/s, window 60 s, outage [0, 5 s): refused messages are ready at
    // 30…34 s but wait behind first attempts (ready at 0 s); at 60 s they are
    // still retrying and expire, with their one attempt counted.
    let faults = Faults(outages: [Outage(sender: "s", start: 0, duration: 5 * s)])
    let (result, trace) = runChecked(single(audience: 100, mps: 1, window: 60 * s, faults: faults))
    let c = result.campaigns[0]
    #expect(c.count(.delivered) == 55)
    #expect(c.count(FailureReason.expired) == 45)
    #expect(c.attempts[0] == 40 && c.attempts[1] == 60)
    #expect(trace.filter { $0.transition == .expireRetrying }.count == 5)
  }

  @Test func afterAcceptanceChainWithFixedLatencies() {
    let latency = Latencies(
      api: .fixed(1 * s), deliver: .fixed(5 * s), read: .fixed(10 * Time.minute), respond: .fixed(Time.minute))
    let (result, trace) = runChecked(
      single(audience: 10, engagement: Engagement(read: 1, respond: 1), latency: latency))
    let c = result.campaigns[0]
    #expect(c.count(.responded) == 10)
    let first = trace.filter { $0.message == 0 }.map { ($0.transition, $0.time) }
    #expect(first.map(\.0) == [.dispatch, .accept, .deliver, .read, .respond])
    #expect(first.map(\.1) == [0, 1 * s, 6 * s, 6 * s + 10 * Time.minute, 6 * s + 11 * Time.minute])
    #expect(c.latency(.sentToDelivered).valuesAreEquivalent(c.latency(.sentToDelivered).max, UInt64(5 * s)))
    #expect(c.latency(.readToResponded).totalCount == 10)
  }

  @Test func readReceiptsOffSkipTheReadState() {
    let latency = Latencies(read: .fixed(Time.minute), respond: .fixed(Time.minute))
    let (result, trace) = runChecked(
      single(
        audience: 10, contacts: ContactMix(readReceiptsOff: 1), engagement: Engagement(read: 1, respond: 1),
        latency: latency))
    #expect(result.campaigns[0].count(.responded) == 10)
    #expect(!trace.contains { $0.transition.to == .read })
    let responses = trace.filter { $0.transition == .respondUnread }
    #expect(responses.map(\.time) == (0..<10).map { SimTime($0) * 100 * Time.millisecond + 2 * Time.minute })
    #expect(result.campaigns[0].latency(.deliveredToRead).totalCount == 0)
  }

  @Test func nothingHappensAfterTheHorizon() {
    // 1 msg/s; deliveries come 10 s after sending; horizon 20 s.
    let (result, _) = runChecked(
      single(audience: 100, mps: 1, latency: Latencies(deliver: .fixed(10 * s)), horizon: 20 * s))
    let c = result.campaigns[0]
    #expect(c.count(.delivered) == 11)  // sent at 0…10 s, delivered at 10…20 s
    #expect(c.count(.sent) == 10)  // sent at 11…20 s
    #expect(c.count(.queued) == 79)
    #expect(c.sendingFinishedAt == nil)
    #expect(result.endedAt == 20 * s)
  }

  @Test func defaultHorizonIsLastWindowEndPlusOneDay() {
    #expect(single(audience: 1, window: 2 * Time.day).effectiveHorizon == 3 * Time.day)
  }

  @Test func campaignsOnOneSenderGoInFileOrder() {
    let scenario = Scenario(
      senders: [Sender(id: "s", throughputMPS: 10)],
      campaigns: [Campaign(id: "a", sender: "s", audience: 30), Campaign(id: "b", sender: "s", audience: 20)])
    let (result, _) = runChecked(scenario)
    #expect(result.campaigns[0].sendingFinishedAt == 29 * 100 * Time.millisecond)
    #expect(result.campaigns[1].firstDispatchAt == 30 * 100 * Time.millisecond)
  }

  @Test func earlierReadyTimeWinsOverFileOrder() {
    // b starts at 0, a at 1 s: b's messages are ready earlier and go first.
    let scenario = Scenario(
      senders: [Sender(id: "s", throughputMPS: 10)],
      campaigns: [
        Campaign(id: "a", sender: "s", start: 1 * s, audience: 5), Campaign(id: "b", sender: "s", audience: 20),
      ])
    let (result, _) = runChecked(scenario)
    #expect(result.campaigns[1].firstDispatchAt == 0)
    #expect(result.campaigns[0].firstDispatchAt == 2 * s)
  }

  @Test func sendersSharingTheLimitDispatchInListedOrder() {
    // Limit 1: at t = 0 both senders dispatch; the one listed first gets the acceptance.
    let scenario = Scenario(
      messagingLimit: 1,
      senders: [Sender(id: "x", throughputMPS: 1), Sender(id: "y", throughputMPS: 1)],
      campaigns: [Campaign(id: "on-y", sender: "y", audience: 1), Campaign(id: "on-x", sender: "x", audience: 1)],
      retry: RetryPolicy(maxRetries: 0))
    let (result, _) = runChecked(scenario)
    #expect(result.campaigns[1].count(.delivered) == 1)
    #expect(result.campaigns[0].count(.blockedOrSpam) == 1)
    #expect(result.senders[0].acceptances == 1 && result.senders[1].acceptances == 0)
  }

  @Test func campaignThatNeverDispatchesEndsFailed() {
    let (result, _) = runChecked(single(audience: 0))
    #expect(result.campaigns[0].state == .failed)
    #expect(result.campaigns[0].sendingFinishedAt == nil || result.campaigns[0].audience == 0)
  }

  @Test func timeSeriesCountsSendsAndStatesPerBucket() {
    // 10 msg/s, 1 s buckets, outage over [2 s, 3 s): 10 sends a bucket, the
    // third bucket's 10 are errors; states at each bucket's end follow.
    var scenario = single(
      audience: 50, mps: 10, faults: Faults(outages: [Outage(sender: "s", start: 2 * s, duration: 1 * s)]))
    scenario.bucket = Time.second
    let (result, _) = runChecked(scenario)
    #expect(result.timeSeries.bucketWidth == Time.second)
    let rows = result.timeSeries.rows(campaign: 0, audience: 50, through: result.endedAt)
    let sends = TimeSeries.Column.sends.rawValue
    let errors = TimeSeries.Column.errors.rawValue
    let queued = TimeSeries.Column.allCases.count + MessageState.queued.rawValue
    let retrying = TimeSeries.Column.allCases.count + MessageState.retrying.rawValue
    let delivered = TimeSeries.Column.allCases.count + MessageState.delivered.rawValue
    #expect(rows.prefix(5).map { $0[sends] } == [10, 10, 10, 10, 10])
    #expect(rows.prefix(5).map { $0[errors] } == [0, 0, 10, 0, 0])
    #expect(rows.prefix(5).map { $0[queued] } == [40, 30, 20, 10, 0])
    #expect(rows.prefix(5).map { $0[retrying] } == [0, 0, 10, 10, 10])
    #expect(rows.prefix(5).map { $0[delivered] } == [10, 20, 20, 30, 40])
    // The retries are ready at 32.0…32.9 s and go out then.
    #expect(rows[32][sends] == 10 && rows[32][delivered] == 50 && rows[32][retrying] == 0)
    #expect(rows.count == 33)
  }

  @Test func automaticBucketsCoarsenToAtMost240() {
    let (result, _) = runChecked(single(audience: 1_000, mps: 1))
    // 1 000 s of sending: 10 s buckets are the finest ladder width that fits in 240.
    #expect(result.timeSeries.bucketWidth == 10 * s)
    let rows = result.timeSeries.rows(campaign: 0, audience: 1_000, through: result.endedAt)
    #expect(rows.map { $0[TimeSeries.Column.sends.rawValue] }.reduce(0, +) == 1_000)
    #expect(rows.allSatisfy { $0[TimeSeries.Column.sends.rawValue] == 10 })
  }
}
