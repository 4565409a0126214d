import CampaignModel
import Foundation
import SimKernel
import Testing

/// |observed − p| within 4 standard errors of a binomial proportion.
func withinFourSigma(_ observed: Int, of n: Int, p: Double) -> Bool {
  let sigma = (p * (1 - p) / Double(n)).squareRoot()
  return abs(Double(observed) / Double(n) - p) <= 4 * sigma + 1e-12
}

@Suite struct StatisticalTests {
  @Test func failedFractionIsTransientRateToTheFourthWithThreeRetries() {
    // Each of the 4 attempts fails independently with p; the window leaves room for all.
    let p = 0.3
    let n = 40_000
    let (result, _) = runChecked(single(audience: n, mps: 1000, faults: Faults(transientErrorRate: p)))
    let c = result.campaigns[0]
    #expect(withinFourSigma(c.count(.failed), of: n, p: p * p * p * p))
    #expect(c.count(FailureReason.retriesExhausted) == c.count(.failed))
    // Messages needing exactly k attempts: p^(k−1)(1−p).
    for k in 1...3 {
      #expect(withinFourSigma(c.attempts[k], of: n, p: pow(p, Double(k - 1)) * (1 - p)), "attempts[\(k)]")
    }
  }

  @Test func contactCategoriesAndEngagementWithin4Sigma() {
    let n = 50_000
    let mix = ContactMix(invalid: 0.1, blocked: 0.05, offline: 0.2, readReceiptsOff: 0.3)
    let engagement = Engagement(read: 0.6, respond: 0.25)
    let (result, _) = runChecked(single(audience: n, mps: 1000, contacts: mix, engagement: engagement))
    let c = result.campaigns[0]
    let reachable = 1 - 0.1 - 0.05 - 0.2
    #expect(withinFourSigma(c.count(.invalidContact), of: n, p: 0.1))
    #expect(withinFourSigma(c.count(.blockedOrSpam), of: n, p: 0.05))
    #expect(withinFourSigma(c.count(.sent), of: n, p: 0.2))
    #expect(withinFourSigma(c.count(.responded), of: n, p: reachable * 0.6 * 0.25))
    #expect(withinFourSigma(c.count(.read), of: n, p: reachable * 0.6 * 0.75 * 0.7))
    // Delivered and still there: did not read, or read with receipts off and did not respond.
    #expect(withinFourSigma(c.count(.delivered), of: n, p: reachable * (0.4 + 0.6 * 0.75 * 0.3)))
  }

  @Test func silentBlocksStaySentInsteadOfFailing() {
    let n = 20_000
    let (result, _) = runChecked(
      single(audience: n, mps: 1000, contacts: ContactMix(blocked: 0.2), blockedSignal: .silent))
    let c = result.campaigns[0]
    #expect(c.count(.blockedOrSpam) == 0)
    #expect(withinFourSigma(c.count(.sent), of: n, p: 0.2))
  }

  @Test func exponentialDeliveryLatencyMeanWithin4Sigma() {
    let n = 20_000
    let mean = 5 * Time.second
    let (result, _) = runChecked(single(audience: n, mps: 1000, latency: Latencies(deliver: .exponential(mean: mean))))
    let h = result.campaigns[0].latency(.sentToDelivered)
    #expect(h.totalCount == UInt64(n))
    // The exponential's σ is its mean; HDR buckets add at most 0.1 %.
    #expect(abs(h.mean - Double(mean)) < 4 * Double(mean) / Double(n).squareRoot() + 0.001 * Double(mean))
    // Median of an exponential: mean · ln 2.
    let median = Double(h.valueAtPercentile(50))
    #expect(abs(median / (Double(mean) * 0.6931471805599453) - 1) < 0.03)
  }
}
