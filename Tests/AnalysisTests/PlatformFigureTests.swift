import CampaignModel
import RunPlan
import ScenarioFormat
import SimKernel
import Testing

@testable import Analysis

/// The §9 figures: defined for every run, reported for scenarios that use §9 or name them, and
/// usable in thresholds, `compare` and sweeps like any other.
@Suite struct PlatformFigureTests {
  /// Limit-aware from 250 at 1 msg/s with tiers 250 → 500 → unlimited, half used, 1 h delay:
  /// upgrades at 3724 s and 7324 s (derived in PlatformJSONTests).
  func scaling(audience: Int = 1_000, mps: Double = 1) -> Scenario {
    var scenario = drain(audience: audience, mps: mps, api: 0, limit: 250, pacing: .limitAware)
    scenario.scaling = ScalingPolicy(tiers: [250, 500, nil], delay: Time.hour)
    return scenario
  }

  @Test func valuesOfAScalingRun() throws {
    let figures = Simulation(scenario: scaling()).run().figureValues()
    #expect(figures["final_limit"] == .some(nil))
    #expect(figures["limit_upgrades"] == 2)
    #expect(figures["unlimited_at"] == 7324)
    #expect(figures["quality_low_s"] == 0)
    #expect(figures["c.reports"] == 0 && figures["c.errors_cap"] == 0)
    // Run-level figures have no per-campaign variant.
    #expect(figures["c.final_limit"] == nil)
  }

  @Test func aRunThatNeverScalesKeepsItsLimit() throws {
    // 200 contacts never use half of 500 (ceil(250)): no upgrade, the limit stays 500.
    var scenario = scaling(audience: 200)
    scenario.messagingLimit = 500
    let figures = Simulation(scenario: scenario).run().figureValues()
    #expect(figures["final_limit"] == 500)
    #expect(figures["limit_upgrades"] == 0)
    #expect(figures["unlimited_at"] == .some(nil))
  }

  @Test func reportedOnlyWhenTheScenarioUsesPlatformDynamicsOrNamesOne() throws {
    let v1 = drain(audience: 10)
    #expect(!v1.wantsPlatformFigures)
    let plain = Simulation(scenario: v1).run().figureValues()
    #expect(plain.names == Figures.names(campaignIDs: ["c"], platform: false))
    #expect(plain["final_limit"] == nil && plain["marketing_cap"] == nil)
    // A threshold on a §9 figure asks for them; a v1 run has a well-defined value.
    var named = ScenarioFile(v1)
    named.thresholds = try Conditions.conjunction("final_limit >= 10000", campaignIDs: ["c"])
    #expect(named.wantsPlatformFigures)
    let table = ReplicatedRun.run(v1, threads: 1, platform: named.wantsPlatformFigures).figures
    // drain() is unlimited: the limit is +∞, so the threshold holds.
    #expect(table["final_limit"]?.mean == .some(nil))
    let outcomes = ThresholdCheck.evaluate(named.thresholds, figures: table)
    #expect(outcomes.count == 1 && outcomes[0].passed && outcomes[0].observed == .infinity)
    #expect(table["c.marketing_cap"]?.mean == 0)
  }

  @Test func thresholdsReadMissingTimesAndLimitsAsInfinite() throws {
    let table = ReplicatedRun.run(scaling(), threads: 1).figures
    func holds(_ text: String) throws -> Bool {
      let thresholds = try Conditions.conjunction(text, campaignIDs: ["c"])
      return ThresholdCheck.evaluate(thresholds, figures: table).allSatisfy(\.passed)
    }
    #expect(try holds("unlimited_at <= 3h"))
    #expect(try !holds("unlimited_at <= 2h"))
    #expect(try holds("limit_upgrades == 2"))
    #expect(try holds("final_limit > 100000"))
    #expect(try holds("c.errors_cap == 0 and reports_fraction <= 1%"))
    var never = scaling(audience: 200)
    never.messagingLimit = 500
    let stuck = ReplicatedRun.run(never, threads: 1).figures
    let outcome = ThresholdCheck.evaluate(
      try Conditions.conjunction("unlimited_at <= 3d", campaignIDs: ["c"]), figures: stuck)
    #expect(outcome[0].observed == .infinity && !outcome[0].passed)
  }

  @Test func compareKnowsWhichWayTheyShouldMove() {
    func stats(_ value: Double?) -> FigureStatistics { FigureStatistics(values: [value]) }
    // Scaling sooner is better; never scaling is worse than scaling at all.
    #expect(
      Compare.compare(name: "unlimited_at", baseline: stats(7324), current: stats(3600), tolerance: 0).verdict
        == .improved)
    #expect(
      Compare.compare(name: "unlimited_at", baseline: stats(7324), current: stats(nil), tolerance: 0).verdict
        == .regressed)
    #expect(
      Compare.compare(name: "final_limit", baseline: stats(2000), current: stats(nil), tolerance: 0).verdict
        == .improved)
    #expect(
      Compare.compare(name: "promo.marketing_cap_fraction", baseline: stats(0.01), current: stats(0.02), tolerance: 0)
        .verdict == .regressed)
    #expect(
      Compare.compare(name: "quality_low_s", baseline: stats(0), current: stats(60), tolerance: 0).verdict == .regressed
    )
  }

  @Test func aSweepOfAFigureOfThemCarriesThemAtEveryPoint() throws {
    // A v1 scenario whose sweep charts `final_limit`: every point reports the §9 figures.
    let base = drain(audience: 100, limit: 250)
    var file = ScenarioFile(base)
    file.sweep = SweepPlan(figure: "final_limit")
    let axes = [SweepAxis(path: "senders.s.throughput_mps", values: [.int(10), .int(20)])]
    let sweep = try Sweep.run(
      base: base, axes: axes, replications: 1, threads: 2, platform: file.wantsPlatformFigures)
    #expect(sweep.figures.map { $0["final_limit"]?.mean } == [250, 250])
    #expect(sweep.figures.map { $0["limit_upgrades"]?.mean } == [0, 0])
    let sameNames = sweep.figures.allSatisfy { $0.names == Figures.names(campaignIDs: ["c"]) }
    #expect(sameNames)
  }
}
