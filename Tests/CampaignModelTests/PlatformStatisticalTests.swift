import CampaignModel
import SimKernel
import Testing

// MODEL.md §9 on random scenarios: each bound is 4 standard deviations.
@Suite struct PlatformStatisticalTests {
  @Test func fullJitterHalvesTheMeanBackoff() {
    // b − floor(u · b) with u uniform on [0, 1): mean b/2 + 1/2 µs, sd b/√12.
    let policy = RetryPolicy(transientBackoff: [1_000_000], jitter: 1)
    let root = RandomStream(seed: 5)
    let n = 20_000
    var sum = 0.0
    for i in 0..<n {
      guard case .retry(let after) = policy.decision(after: .transient, retriesUsed: 0, attempt: root.child(UInt64(i)))
      else { Issue.record("no retry"); return }
      #expect(after > 0 && after <= 1_000_000)
      sum += Double(after)
    }
    let bound = 4 * 1_000_000 / 12.0.squareRoot() / Double(n).squareRoot()
    #expect(abs(sum / Double(n) - 500_000.5) < bound)
    // Half jitter: b − floor(u · b / 2), mean 3b/4.
    let half = RetryPolicy(transientBackoff: [1_000_000], jitter: 0.5)
    var halfSum = 0.0
    for i in 0..<n {
      if case .retry(let after) = half.decision(after: .transient, retriesUsed: 0, attempt: root.child(UInt64(i))) {
        halfSum += Double(after)
      }
    }
    #expect(abs(halfSum / Double(n) - 750_000.5) < bound / 2)
  }

  @Test func capAndReportFractionsMatchTheirProbabilities() {
    let n = 40_000
    var retry = RetryPolicy(retryOn: [.transient, .limit])
    retry.maxRetries = 3
    let scenario = single(
      audience: n, mps: 1000, contacts: ContactMix(offline: 0.1, marketingCapped: 0.08),
      engagement: Engagement(report: 0.02), retry: retry, seed: 9)
    let (result, _) = runChecked(scenario)
    let c = result.campaigns[0]
    func within4Sigma(_ count: Int, _ p: Double, of total: Int) -> Bool {
      let sigma = (p * (1 - p) / Double(total)).squareRoot()
      return abs(Double(count) / Double(total) - p) < 4 * sigma
    }
    // Every attempt is at t < 1 min, well inside the cap (exponential, mean 36 h, P(< 1 min) ≈ 0.05 %).
    let capped = c.count(FailureReason.marketingCap)
    #expect(within4Sigma(capped, 0.08 * (1 - 0.0005), of: n), "\(capped)")
    // Reports: among the delivered (reachable and not capped).
    let delivered = c.count(.delivered)
    #expect(within4Sigma(c.reports, 0.02, of: delivered), "\(c.reports) of \(delivered)")
  }

  @Test func turningOnAPlatformFeatureMovesNoV1Draw() {
    // Common random numbers (MODEL.md §9.6): with reports and a throughput upgrade that changes
    // nothing before the horizon, each message's fate is the same.
    let base = single(
      audience: 5000, mps: 100, contacts: ContactMix(invalid: 0.05, offline: 0.1, readReceiptsOff: 0.2),
      engagement: Engagement(read: 0.6, respond: 0.2),
      latency: Latencies(deliver: .exponential(mean: 5 * Time.second), read: .exponential(mean: Time.minute)), seed: 4)
    var withReports = base
    withReports.campaigns[0].engagement.report = 0.3
    withReports.scaling = ScalingPolicy()
    let a = runChecked(base).0.campaigns[0]
    let b = runChecked(withReports).0.campaigns[0]
    #expect(a.finalStates == b.finalStates)
    #expect(b.reports > 0)
  }
}
