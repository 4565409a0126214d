import CampaignModel
import SimKernel
import Testing

// MODEL.md §9 on deterministic scenarios; every number derived by hand in the comments.
@Suite struct PlatformDynamicsTests {
  let s = Time.second
  let ms = Time.millisecond

  @Test func limitAwareFromTwoThousandScalesToUnlimitedAtTheDerivedTimes() {
    // 80 msg/s: interval 12 500 µs; acceptance k (1-based) at (k − 1) · 12.5 ms.
    // 2K: the 1 000th acceptance (12.4875 s) uses half → 10K pending at 12.4875 s + 6 h.
    // The 2 000th (24.9875 s) fills the window; at 25 s the sender stands still until the
    // upgrade (sooner than the oldest acceptance leaving at 24 h): 21 612.4875 s.
    // 10K: 5 000 in the look-back is reached at the 3 000th acceptance after that, at
    // 21 612.4875 + 2 999 · 0.0125 = 21 649.975 s → 100K at 43 249.975 s. The window (2 000 + 8 000)
    // is full after 21 712.475 s; the sender waits for the upgrade.
    // 100K: 50 000 is reached 40 000 acceptances after 43 249.975 s, at 43 749.9625 s →
    // unlimited at 65 349.9625 s; the window fills (90 000 more) at 44 374.9625 s.
    // The last 50 000 of 150 000 go from 65 349.9625 s at 80 msg/s: the last at 65 974.95 s.
    var scenario = single(audience: 150_000, mps: 80, limit: 2000, pacing: .limitAware)
    scenario.scaling = ScalingPolicy()
    let (result, _) = runChecked(scenario)
    let c = result.campaigns[0]
    #expect(
      result.limitChanges == [
        LimitChange(at: 21_612_487_500, from: 2000, to: 10000),
        LimitChange(at: 43_249_975_000, from: 10000, to: 100_000),
        LimitChange(at: 65_349_962_500, from: 100_000, to: nil),
      ])
    #expect(result.senders[0].limitPauses == 3)
    #expect(c.count(.delivered) == 150_000)
    #expect(c.sendingFinishedAt == 65_974_950_000)
    #expect(result.finalLimit == nil)
    #expect(result.unlimitedAt == 65_349_962_500)
    #expect(result.qualityChanges == [QualityChange(at: 0, quality: .high, reports: 0, deliveries: 0)])
    // Unlimited and no throughput upgrade: from the first acceptance after that, no rule reads
    // quality, and it is no longer rated.
    #expect(result.qualityTrackedUntil == 65_349_962_500)
    #expect(result.dispatches == 150_000)
  }

  @Test func reportsKeepTheBusinessFromScaling() {
    // 250 tier at 10 msg/s, limit-aware, delay 1 h; every contact is delivered at once and
    // reports 30 min later. The 125th acceptance (12.4 s) sees no report yet (rate 0, high) and
    // earns 2K at 3 612.4 s. The 250 reports land at 1 800 … 1 824.9 s, so at 3 612.4 s the rate
    // is 250/250: low. 2K → 10K needs 1 000 acceptances at medium or better: never.
    // After the pause the other 750 go at 10 msg/s: the last at 3 612.4 + 74.9 = 3 687.3 s,
    // whose report (the last event) is at 5 487.3 s; low from 3 612.4 s: 1 874.9 s.
    var scenario = single(
      audience: 1000, mps: 10, limit: 250, pacing: .limitAware, engagement: Engagement(report: 1),
      latency: Latencies(report: .fixed(30 * Time.minute)))
    scenario.scaling = ScalingPolicy(delay: Time.hour)
    let (result, _) = runChecked(scenario)
    #expect(result.limitChanges == [LimitChange(at: 3_612_400_000, from: 250, to: 2000)])
    #expect(
      result.qualityChanges == [
        QualityChange(at: 0, quality: .high, reports: 0, deliveries: 0),
        QualityChange(at: 3_612_400_000, quality: .low, reports: 250, deliveries: 250),
      ])
    #expect(result.campaigns[0].reports == 1000)
    #expect(result.campaigns[0].sendingFinishedAt == 3_687_300_000)
    #expect(result.endedAt == 5_487_300_000)
    #expect(result.qualityLowTime == 1_874_900_000)
    #expect(result.qualityTrackedUntil == nil)  // 10K stays ahead: quality can still decide
    #expect(result.finalLimit == 2000)
  }

  @Test func minQualityLowLetsABadBusinessScaleAnyway() {
    var scenario = single(
      audience: 1000, mps: 10, limit: 250, pacing: .limitAware, engagement: Engagement(report: 1),
      latency: Latencies(report: .fixed(30 * Time.minute)))
    scenario.scaling = ScalingPolicy(delay: Time.hour, minQuality: .low)
    let (result, _) = runChecked(scenario)
    // As above up to 3 612.4 s; then the 750th acceptance after it (1 000 in the look-back) at
    // 3 612.4 + 74.9 s earns 10K at 3 687.3 s + 1 h.
    #expect(result.limitChanges.map(\.at) == [3_612_400_000, 7_287_300_000])
    #expect(result.finalLimit == 10000)
  }

  @Test func throughputUpgradePausesTheSenderThenUsesTheNewInterval() {
    // Unlimited from the start: the first acceptance (t = 0) starts the upgrade 10 → 100 msg/s
    // with a 1 s pause. Dispatches at 0.1 … 0.9 s meet the pause: 9 × 131016, retried 30 s after.
    // The dispatch at 1.0 s is at the pause's end, so the next interval is 10 ms: messages
    // 10 … 99 go at 1.00 … 1.89 s. The retries are ready at 30.1 … 30.9 s and go then.
    var scenario = single(audience: 100, mps: 10)
    scenario.senders[0].upgrade = ThroughputUpgrade(throughputMPS: 100, pause: 1 * s)
    let (result, trace) = runChecked(scenario)
    let c = result.campaigns[0]
    #expect(c.errorCount(.outage) == 9)
    #expect(c.errorCount(kind: .transient) == 9)
    #expect(
      result.throughputChanges == [ThroughputChange(sender: 0, at: 0, fromMPS: 10, toMPS: 100, pauseEnd: 1 * s)])
    let firsts = trace.filter { $0.transition == .dispatch }.map(\.time)
    #expect(firsts[10] == 1 * s && firsts[11] == 1 * s + 10 * ms && firsts[99] == 1 * s + 890 * ms)
    #expect(c.sendingFinishedAt == 30 * s + 900 * ms)
    #expect(c.count(.delivered) == 100)
  }

  @Test func throughputUpgradeWaitsForTheUnlimitedTier() {
    // 250 tier, scaling with tiers [250, unlimited]: the 125th acceptance (12.4 s) earns
    // unlimited at 12.4 s + 1 h. Acceptances before that do not start the upgrade; the first
    // after it does (limit-aware: the sender waits from 25 s to 3 612.4 s, the upgrade goes
    // first at that microsecond, then the dispatch is accepted and starts the pause).
    var scenario = single(audience: 400, mps: 10, limit: 250, pacing: .limitAware)
    scenario.scaling = ScalingPolicy(tiers: [250, nil], delay: Time.hour)
    scenario.senders[0].upgrade = ThroughputUpgrade(throughputMPS: 100, pause: 1 * s)
    let (result, _) = runChecked(scenario)
    #expect(result.limitChanges == [LimitChange(at: 3_612_400_000, from: 250, to: nil)])
    #expect(result.throughputChanges.map(\.at) == [3_612_400_000])
    // Dispatches at 3 612.5 … 3 613.3 s meet the pause (9), then 10 ms spacing.
    #expect(result.campaigns[0].errorCount(.outage) == 9)
  }

  @Test func capWithAFixedDurationAndACapBackoffList() {
    // Capped for [0, 1 h). Attempt 1 at 0 → cap, ready at 10 m; attempt 2 at 600 s → cap, ready
    // 600 + 1 200 = 1 800 s; attempt 3 → cap, ready 1 800 + 2 400 = 4 200 s ≥ 3 600 s: accepted.
    var retry = RetryPolicy()
    retry.capBackoff = [10 * Time.minute, 20 * Time.minute, 40 * Time.minute]
    var scenario = single(audience: 1, contacts: ContactMix(marketingCapped: 1), retry: retry)
    scenario.campaigns[0].capDuration = .fixed(Time.hour)
    let (result, trace) = runChecked(scenario)
    let c = result.campaigns[0]
    #expect(c.errorCount(kind: .cap) == 3 && c.errorCount(.messagingLimit) == 3 && c.errorCount(kind: .limit) == 0)
    #expect(c.attempts[4] == 1)
    #expect(trace.filter { $0.transition == .redispatch }.map(\.time) == [600 * s, 1800 * s, 4200 * s])
    #expect(c.count(.delivered) == 1)

    scenario.retry.maxRetries = 2
    let exhausted = runChecked(scenario).0.campaigns[0]
    #expect(exhausted.count(.blockedOrSpam) == 1 && exhausted.count(FailureReason.marketingCap) == 1)
    #expect(exhausted.sendingFinishedAt == 1800 * s)
  }

  @Test func capDoesNotCountTowardTheLimitAndComesAfterIt() {
    // Limit 1 (24 h), everyone capped for [0, 150 ms), 10 msg/s, limit backoff 12 h.
    // 0 at 0 s and 1 at 0.1 s are capped (rule 5b: not counted); 2 at 0.2 s is accepted and fills
    // the window. The cap backoff defaults to the limit backoff, 12 h: the retries at 12 h and
    // 24 h (+ 0.1 s) meet rule 5 (the window still holds 0.2 s), which comes before the cap.
    // At 36 h the window is empty: message 0 is accepted; message 1, 0.1 s later, is refused a
    // fourth time and, with its 3 retries used, ends blocked_or_spam (messaging_limit).
    var scenario = single(audience: 3, limit: 1, contacts: ContactMix(marketingCapped: 1))
    scenario.campaigns[0].capDuration = .fixed(150 * ms)
    let (result, trace) = runChecked(scenario)
    let c = result.campaigns[0]
    #expect(c.errorCount(kind: .cap) == 2 && c.errorCount(kind: .limit) == 5)
    #expect(result.senders[0].acceptances == 2)
    #expect(trace.filter { $0.transition == .accept }.map(\.time) == [200 * ms, 36 * Time.hour])
    #expect(c.count(FailureReason.messagingLimit) == 1 && c.count(FailureReason.marketingCap) == 0)
  }

  @Test func retryOnWithoutCapEndsCappedContactsAtTheirResponse() {
    var retry = RetryPolicy(retryOn: [.transient, .limit])
    retry.limitBackoff = [20 * s]
    var scenario = single(
      audience: 10, mps: 1, limit: 5, contacts: ContactMix(marketingCapped: 1),
      latency: Latencies(api: .fixed(100 * ms)), retry: retry)
    scenario.campaigns[0].capDuration = .fixed(1 * s)
    let (result, _) = runChecked(scenario)
    let c = result.campaigns[0]
    // Message 0 at 0 s is capped: blocked_or_spam (marketing_cap) at its response, 0.1 s.
    // The others (1 s … 9 s) are past the cap; 1 … 5 fill the limit, 6 … 9 are refused by it
    // and retried 20 s after their response, when the window (24 h) is still full: retried
    // until exhausted (3 retries), ending blocked_or_spam (messaging_limit).
    #expect(c.count(FailureReason.marketingCap) == 1)
    #expect(c.count(FailureReason.messagingLimit) == 4)
    #expect(c.count(.delivered) == 5)
    #expect(c.errorCount(kind: .cap) == 1 && c.errorCount(kind: .limit) == 16)
  }

  @Test func shortLimitWindowLetsRefusedRetriesThrough() {
    // Limit 5 per 10 s at 1 msg/s: 0 … 4 s accepted; 5 … 9 s refused (five in (t − 10 s, t]),
    // retried 20 s after: at 25 … 29 s the window is empty again.
    var scenario = single(audience: 10, mps: 1, limit: 5, retry: RetryPolicy(limitBackoff: [20 * s]))
    scenario.limitWindow = 10 * s
    let (result, _) = runChecked(scenario)
    let c = result.campaigns[0]
    #expect(c.errorCount(kind: .limit) == 5)
    #expect(c.count(.delivered) == 10)
    #expect(c.sendingFinishedAt == 29 * s)
  }

  @Test func limitBackoffListIsIndexedByRetriesUsed() {
    // Limit 1 per 10 s, one accepted at 0 s; message 1 at 1 s is refused again and again:
    // backoffs [2 s, 4 s] (last repeats) over all kinds: ready 3 s (refused), 7 s (refused),
    // 11 s: the window (1 s, 11 s] is empty → accepted.
    var scenario = single(audience: 2, mps: 1, limit: 1, retry: RetryPolicy(limitBackoff: [2 * s, 4 * s]))
    scenario.limitWindow = 10 * s
    let (_, trace) = runChecked(scenario)
    #expect(trace.filter { $0.transition == .redispatch }.map(\.time) == [3 * s, 7 * s, 11 * s])
  }

  @Test func acceptancesNeverExceedTheLimitInForceAndTheLimitNeverFalls() {
    // Naive pacing, scaling from 250 with a 1 h window and look-back: a busy mix of refusals.
    var scenario = single(
      audience: 5000, mps: 20, limit: 250, contacts: ContactMix(invalid: 0.05, marketingCapped: 0.1),
      engagement: Engagement(report: 0.005), retry: RetryPolicy(limitBackoff: [10 * Time.minute]), seed: 3)
    scenario.limitWindow = Time.hour
    scenario.scaling = ScalingPolicy(lookback: 2 * Time.hour, delay: 30 * Time.minute)
    var accepted: [SimTime] = []
    var dispatchTimes: [Int: SimTime] = [:]
    let result = Simulation(
      scenario: scenario,
      observer: { record in
        switch record.transition {
        case .dispatch, .redispatch: dispatchTimes[record.message] = record.time
        case .accept: accepted.append(dispatchTimes[record.message]!)
        default: break
        }
      }
    ).run()
    #expect(result.invariantViolations().isEmpty)
    #expect(!result.limitChanges.isEmpty)
    for (a, b) in zip(result.limitChanges, result.limitChanges.dropFirst()) {
      #expect((a.to ?? Int.max) <= (b.from ?? Int.max) && (b.from ?? Int.max) < (b.to ?? Int.max))
    }
    // Two pointers over the sorted dispatch times of acceptances.
    var low = 0
    for (high, t) in accepted.enumerated() {
      while accepted[low] <= t - scenario.limitWindow { low += 1 }
      let limit = result.limit(at: t) ?? Int.max
      #expect(high - low + 1 <= limit, "at \(t)")
      if high - low + 1 > limit { break }
    }
  }
}
