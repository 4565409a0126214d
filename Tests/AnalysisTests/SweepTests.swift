import CampaignModel
import RunPlan
import ScenarioFormat
import SimKernel
import Testing

@testable import Analysis

@Suite struct SweepTests {
  @Test func gridIsEveryCombinationFirstAxisSlowest() {
    let axes = [
      SweepAxis(path: "a", values: [.int(1), .int(2)]),
      SweepAxis(path: "b", values: [.string("x"), .string("y"), .string("z")]),
    ]
    let grid = Sweep.grid(axes).map { $0.values.map(\.description).joined() }
    #expect(grid == ["1x", "1y", "1z", "2x", "2y", "2z"])
    #expect(Sweep.grid([]).count == 1)
  }

  @Test func aPointIsTheScenarioWithItsValuesAndTheSameSeed() throws {
    let base = noisy()
    let axes = [SweepAxis(path: "senders.s.throughput_mps", values: [.int(50), .int(100)])]
    let sweep = try Sweep.run(base: base, axes: axes, replications: 1, threads: 2)
    // 50 msg/s is the scenario itself: the point reproduces a plain run exactly.
    #expect(sweep.figures[0].statistics.map(\.mean) == Simulation(scenario: base).run().figureValues().values)
    // Common random numbers: the same contacts are invalid at both throughputs.
    #expect(sweep.figures[0]["c.invalid_contact"]?.mean == sweep.figures[1]["c.invalid_contact"]?.mean)
    #expect(sweep.figures[1]["c.sending_started_at"]?.mean == 0)
    #expect(sweep.runs == 2)
  }

  @Test func badSweepValuesAreRefusedBeforeAnythingRuns() {
    let axes = [SweepAxis(path: "senders.s.throughput_mps", values: [.int(80), .int(-1)])]
    #expect(throws: ParameterError.self) { try Sweep.run(base: noisy(), axes: axes, replications: 1, threads: 1) }
  }

  /// The no-fault drain at 10 msg/s: the last of N messages is dispatched at (N − 1) · 0.1 s
  /// and sent 100 ms later, so it is done within 10 minutes iff (N − 1) · 0.1 + 0.1 ≤ 600,
  /// i.e. N ≤ 6 000; within an hour iff N ≤ 36 000.
  @Test func findMaxAudienceOfTheDrainIsDerivedByHand() throws {
    let search = FindMax(
      parameter: "campaigns.c.audience",
      until: try Conditions.conjunction("c.sending_finished_at <= 10m", campaignIDs: ["c"]))
    let result = try Sweep.findMax(base: drain(audience: 1), axes: [], search: search, replications: 1, threads: 2)
    let answer = try #require(result.answers.first)
    #expect(answer.status == .found && answer.value == 6_000 && answer.firstFailing == 6_001)
    #expect(answer.figures["c.sending_finished_at"]?.mean == 600)
    #expect(answer.failedConditions.map(\.figure) == ["c.sending_finished_at"])
    // Doubling from 1 to 8 192, then bisection between 4 096 and 8 192.
    #expect(answer.probes.prefix(14).map(\.value) == (0..<14).map { 1 << $0 })
    #expect(answer.probes.count == 14 + 12)

    let hour = FindMax(
      parameter: "campaigns.c.audience",
      until: try Conditions.conjunction("c.sending_finished_at <= 1h", campaignIDs: ["c"]), low: 35_000, high: 37_000)
    let bracketed = try Sweep.findMax(base: drain(audience: 1), axes: [], search: hour, replications: 1, threads: 2)
    #expect(bracketed.answers[0].value == 36_000 && bracketed.answers[0].firstFailing == 36_001)
  }

  @Test func findMaxReportsNoneAndAtLeastAtTheEndsOfItsRange() throws {
    let until = try Conditions.conjunction("c.sending_finished_at <= 10m", campaignIDs: ["c"])
    let tooHigh = FindMax(parameter: "campaigns.c.audience", until: until, low: 7_000, high: 8_000)
    let none = try Sweep.findMax(base: drain(audience: 1), axes: [], search: tooHigh, replications: 1, threads: 1)
    #expect(none.answers[0].status == .none && none.answers[0].value == nil && none.answers[0].probes.count == 1)
    let tooLow = FindMax(parameter: "campaigns.c.audience", until: until, low: 10, high: 100)
    let atLeast = try Sweep.findMax(base: drain(audience: 1), axes: [], search: tooLow, replications: 1, threads: 1)
    #expect(atLeast.answers[0].status == .atLeast && atLeast.answers[0].value == 100)
  }

  /// MODEL.md §4 by hand, limit L = 250 at 80 msg/s, 7-day window, api 200 ms, no faults.
  /// Limit-aware: L a day at 0 h, 24 h and 48 h; the (3L+1)-th waits until 72 h, so 3L = 750.
  /// Naive: L accepted at once, the rest refused (retry 12 h later: refused again; 24 h: the
  /// next L accepted; 36 h: refused, retries exhausted), so 2L delivered whatever N, and
  /// ≥ 95 % delivered holds up to N = floor(2L / 0.95) = 526.
  @Test func capacityOfTheSmallestTierIsDerivedByHand() throws {
    let base = drain(audience: 1, mps: 80, api: 200 * Time.millisecond, limit: 250, window: 7 * Time.day)
    let search = FindMax(
      parameter: "campaigns.c.audience",
      until: try Conditions.conjunction(
        "c.sending_finished_at <= 3d and c.delivered_fraction >= 0.95", campaignIDs: ["c"]),
      low: 1, high: 2_000)
    let axes = [SweepAxis(path: "pacing", values: [.string("naive"), .string("limit_aware")])]
    let result = try Sweep.findMax(base: base, axes: axes, search: search, replications: 1, threads: 2)
    #expect(result.answers.map(\.value) == [526, 750])
    // What binds: naive fails on delivery (500 / 527 < 0.95), limit-aware on time.
    #expect(result.answers[0].failedConditions.map(\.figure) == ["c.delivered_fraction"])
    #expect(result.answers[1].failedConditions.map(\.figure) == ["c.sending_finished_at"])
    // The 750th: dispatched at 48 h + 249 · 12.5 ms, sent 200 ms later.
    let finished: Double = 2 * 86_400 + 249 * 0.0125 + 0.2
    #expect(result.answers[1].figures["c.sending_finished_at"]?.mean == finished)
  }

  @Test func capacityDoesNotDependOnTheThreadCount() throws {
    let search = FindMax(
      parameter: "campaigns.c.audience",
      until: try Conditions.conjunction("c.delivered_fraction >= 0.8", campaignIDs: ["c"]), low: 50, high: 10_000)
    let base = drain(audience: 1, mps: 20, faults: Faults(transientErrorRate: 0.3), replications: 2)
    let axes = [SweepAxis(path: "campaigns.c.window", values: [.string("2m"), .string("5m")])]
    let one = try Sweep.findMax(base: base, axes: axes, search: search, replications: 2, threads: 1)
    let two = try Sweep.findMax(base: base, axes: axes, search: search, replications: 2, threads: 2)
    #expect(one.answers.map(\.value) == two.answers.map(\.value))
    #expect(one.answers.map(\.figures) == two.answers.map(\.figures))
    #expect(one.answers.allSatisfy { $0.status == .found }, "\(one.answers.map { ($0.status, $0.value) })")
  }
}

@Suite struct SweepRangeTests {
  /// `retry.max_retries` stops at 100: doubling past it must end the search, not crash it.
  @Test func aSearchThatRunsOutOfTheParametersRangeIsALowerBound() throws {
    let base = drain(audience: 20, faults: Faults(transientErrorRate: 1))
    let search = FindMax(
      parameter: "retry.max_retries", until: try Conditions.conjunction("c.delivered_fraction <= 0", campaignIDs: ["c"])
    )
    let result = try Sweep.findMax(base: base, axes: [], search: search, replications: 1, threads: 1)
    #expect(result.answers[0].status == .atLeast && result.answers[0].value == 100)
    #expect(result.answers[0].probes.map(\.value).contains(100))
  }
}
