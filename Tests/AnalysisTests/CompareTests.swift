import CampaignModel
import RunPlan
import Testing

@testable import Analysis

@Suite struct CompareTests {
  func verdict(_ name: String, _ baseline: [Double?], _ current: [Double?], tolerance: Double = 0) -> Verdict {
    Compare.compare(
      name: name, baseline: FigureStatistics(values: baseline), current: FigureStatistics(values: current),
      tolerance: tolerance
    ).verdict
  }

  @Test func singleRunsCompareExactlyWithEachFiguresDirection() {
    #expect(verdict("promo.delivered_fraction", [0.9], [0.9]) == .same)
    #expect(verdict("promo.delivered_fraction", [0.9], [0.91]) == .improved)
    #expect(verdict("promo.delivered_fraction", [0.9], [0.89]) == .regressed)
    #expect(verdict("failed_fraction", [0.01], [0.02]) == .regressed)
    #expect(verdict("failed_fraction", [0.02], [0.01]) == .improved)
    #expect(verdict("promo.sending_finished_at", [3600], [3700]) == .regressed)
    #expect(verdict("promo.sending_finished_at", [3600], [3500]) == .improved)
    // A figure with no better direction.
    #expect(verdict("messages", [100], [200]) == .changed)
  }

  @Test func toleranceForgivesSmallRegressionsOnly() {
    // +2.7 % later finish: regressed at 2 %, within tolerance at 3 %.
    #expect(verdict("sending_finished_at", [3600], [3700], tolerance: 0.02) == .regressed)
    #expect(verdict("sending_finished_at", [3600], [3700], tolerance: 0.03) == .withinTolerance)
    // From zero any increase is infinitely large in relative terms.
    #expect(verdict("errors_131049", [0], [1], tolerance: 0.5) == .regressed)
  }

  @Test func neverFinishingIsARegressionAndFinishingAgainAnImprovement() {
    #expect(verdict("sending_finished_at", [3600], [nil]) == .regressed)
    #expect(verdict("sending_finished_at", [nil], [3600]) == .improved)
    #expect(verdict("sending_finished_at", [nil], [nil]) == .same)
    // A percentile of no samples has no order: it only changed.
    #expect(verdict("start_to_sent_p50", [1.5], [nil]) == .changed)
  }

  @Test func replicationsTurnSmallDifferencesIntoNoise() {
    let baseline: [Double?] = [0.950, 0.955, 0.945, 0.952, 0.948]
    // Means 0.95 and 0.947: Welch's interval of the difference (about ±0.006) covers 0.003.
    #expect(verdict("delivered_fraction", baseline, [0.947, 0.952, 0.942, 0.949, 0.945]) == .withinNoise)
    // 0.05 lower is far outside it.
    #expect(verdict("delivered_fraction", baseline, [0.900, 0.905, 0.895, 0.902, 0.898]) == .regressed)
    #expect(verdict("delivered_fraction", baseline, [0.990, 0.995, 0.985, 0.992, 0.988]) == .improved)
    // A single run against replications: inside the prediction interval of one more run is noise.
    #expect(verdict("delivered_fraction", baseline, [0.955]) == .withinNoise)
    #expect(verdict("delivered_fraction", [0.955], baseline) == .withinNoise)
    #expect(verdict("delivered_fraction", baseline, [0.9]) == .regressed)
  }

  @Test func noiseMarginIsWelchWithFlooredDegreesOfFreedom() throws {
    let a = FigureStatistics(values: [1, 2, 3, 4, 5])  // var 2.5, n 5
    let b = FigureStatistics(values: [2, 4, 6])  // var 4, n 3
    // se² = 2.5/5 + 4/3 = 1.8333…; df = se⁴ / ((0.5)²/4 + (4/3)²/2) = 3.3613… → 3.
    let margin = try #require(Compare.noiseMargin(a, b))
    #expect(abs(margin - 3.182446305284263 * (2.5 / 5 + 4.0 / 3).squareRoot()) < 1e-12)
  }

  @Test func figuresOnOneSideOnlyAreListedNotFailed() {
    let baseline = FigureTable(
      names: ["a.messages", "messages"], statistics: [.init(values: [1]), .init(values: [1])])
    let current = FigureTable(names: ["messages", "b.messages"], statistics: [.init(values: [1]), .init(values: [1])])
    let rows = Compare.compare(baseline: baseline, current: current, tolerance: 0)
    #expect(rows.map(\.name) == ["a.messages", "messages", "b.messages"])
    #expect(rows.map(\.verdict) == [.onlyInBaseline, .same, .onlyInCurrent])
  }
}
