import Foundation
import Testing

@testable import Analysis

@Suite struct StatisticsTests {
  /// Two-sided 95 % (p = 0.975) and a few other quantiles of Student's t, as printed in every
  /// table (and by R's qt()).
  /// Reference values from mpmath at 40 digits (regularised incomplete beta, root-found).
  @Test(arguments: [
    (0.975, 1, 12.706204736174693), (0.975, 2, 4.3026527297494618), (0.975, 3, 3.1824463052837084),
    (0.975, 4, 2.7764451051977935), (0.975, 5, 2.5705818356363148), (0.975, 9, 2.262157162798205),
    (0.975, 10, 2.2281388519862742), (0.975, 29, 2.0452296421327039), (0.975, 30, 2.0422724563012379),
    (0.975, 100, 1.9839715185235519), (0.975, 1000, 1.9623390808264081), (0.95, 10, 1.8124611228116759),
    (0.995, 5, 4.0321429835552272), (0.9, 1, 3.0776835371752541),
  ])
  func tQuantileMatchesTables(_ p: Double, _ df: Int, _ expected: Double) {
    let value = StudentT.quantile(p, df: df)
    #expect(abs(value - expected) <= 1e-13 * expected, "t(\(p), \(df)) = \(value), expected \(expected)")
  }

  @Test func tCDFInvertsTheQuantileAndApproachesTheNormal() {
    for df in [1, 2, 7, 8, 50] {
      let t = StudentT.quantile(0.975, df: df)
      #expect(abs(StudentT.twoSidedCDF(t, df: df) - 0.95) < 1e-14)
    }
    // df = 1 is the Cauchy distribution: P(|T| ≤ 1) = 1/2.
    #expect(abs(StudentT.twoSidedCDF(1, df: 1) - 0.5) < 1e-15)
    // Large df: the standard normal's 1.959964.
    #expect(abs(StudentT.quantile(0.975, df: 100_000) - 1.959963984540054) < 1e-4)
  }

  @Test func ownArctangentAgreesWithLibm() {
    for x in stride(from: -30.0, through: 30.0, by: 0.37) + [0, 1, -1, 0.2, 1e-9, 1e9] {
      #expect(abs(StudentT.arctangent(x) - atan(x)) <= 4e-16 * max(1, abs(atan(x))), "atan(\(x))")
    }
  }

  @Test func meanSdAndConfidenceIntervalOfKnownValues() throws {
    let s = FigureStatistics(values: [1, 2, 3, 4, 5])
    #expect(s.mean == 3)
    let sd = try #require(s.sd)
    #expect(abs(sd - 2.5.squareRoot()) < 1e-15)
    // 3 ± t(0.975, 4) · √2.5 / √5
    let half = 2.7764451051977934 * 2.5.squareRoot() / 5.0.squareRoot()
    #expect(abs(try #require(s.ciLow) - (3 - half)) < 1e-12)
    #expect(abs(try #require(s.ciHigh) - (3 + half)) < 1e-12)
    #expect(s.count == 5)
  }

  @Test func oneValueHasNoSpreadAndAMissingValueLeavesTheMeanMissing() {
    let one = FigureStatistics(values: [42.5])
    #expect(one.mean == 42.5 && one.sd == nil && one.ciLow == nil && one.halfWidth == nil)
    let missing = FigureStatistics(values: [1, nil, 3])
    #expect(missing.mean == nil && missing.sd == nil)
    // Equal values keep their exact bits (0.1 + 0.1 + 0.1 would not divide back to 0.1).
    let constant = FigureStatistics(values: [0.1, 0.1, 0.1])
    #expect(constant.mean == 0.1 && constant.sd == 0 && constant.ciLow == 0.1 && constant.ciHigh == 0.1)
  }

  @Test func parallelMapKeepsJobOrderWhateverTheThreads() {
    for threads in [1, 2, 3, 8] {
      let squares = Parallel.map(100, threads: threads) { i in
        // Uneven job lengths so workers finish out of order.
        var x = 0
        for k in 0..<((100 - i) * 500) { x &+= k }
        return i * i + (x == -1 ? 1 : 0)
      }
      #expect(squares == (0..<100).map { $0 * $0 })
    }
  }
}
