import CampaignModel
import RunPlan
import ScenarioFormat

/// One point of a sweep's grid: a value for each varied parameter.
public struct SweepPoint: Sendable {
  public let values: [ParameterValue]

  public func assignments(_ axes: [SweepAxis]) -> [(path: String, value: ParameterValue)] {
    zip(axes, values).map { ($0.path, $1) }
  }
}

/// The figures of every point of a grid.
public struct SweepResult: Sendable {
  public let axes: [SweepAxis]
  public let points: [SweepPoint]
  public let figures: [FigureTable]
  public let runs: Int
}

/// The capacity search at one point of the grid of the other parameters.
public struct CapacityAnswer: Sendable {
  public enum Status: String, Sendable {
    /// `value` meets the conditions and `value + 1` does not.
    case found
    /// Not even `low` meets the conditions.
    case none
    /// `value` (the search's `high`, or the largest value the search may try) still meets them.
    case atLeast = "at least"
  }

  public let point: SweepPoint
  public let status: Status
  /// The largest value found to meet the conditions (`nil` with status `none`).
  public let value: Int?
  /// Figures at `value` (at `low` when none is found).
  public let figures: FigureTable
  /// The smallest value found to fail, and the conditions that failed there: the binding constraint.
  public let firstFailing: Int?
  public let failedConditions: [Threshold]
  /// Every value tried, in order, with whether it met the conditions.
  public let probes: [(value: Int, passed: Bool)]
}

public struct CapacityResult: Sendable {
  public let axes: [SweepAxis]
  public let search: FindMax
  public let answers: [CapacityAnswer]
  public let runs: Int
}

/// Sweeps over a scenario's parameters. Every point runs with the scenario's seed, so the points
/// differ only by the parameters (common random numbers, MODEL.md §6): streams are keyed by
/// campaign, message and attempt, so the same contact draws the same fate at every point.
public enum Sweep {
  /// Every combination of the axes' values; the first axis varies slowest.
  public static func grid(_ axes: [SweepAxis]) -> [SweepPoint] {
    var points: [[ParameterValue]] = [[]]
    for axis in axes {
      points = points.flatMap { prefix in axis.values.map { prefix + [$0] } }
    }
    return points.map(SweepPoint.init)
  }

  public static func scenarios(base: Scenario, axes: [SweepAxis]) throws(ParameterError) -> [Scenario] {
    var scenarios: [Scenario] = []
    for point in grid(axes) {
      scenarios.append(try ScenarioParameters.applying(point.assignments(axes), to: base))
    }
    return scenarios
  }

  /// Runs every (point, replication) pair in parallel; results are gathered by index.
  /// `platform`: whether every point reports the §9 figures (default: when a point uses §9;
  /// the CLI also says so when the sweep's figure or a threshold names one).
  public static func run(
    base: Scenario, axes: [SweepAxis], replications: Int, threads: Int, platform: Bool? = nil
  ) throws(ParameterError) -> SweepResult {
    let points = grid(axes)
    let scenarios = try scenarios(base: base, axes: axes)
    let r = max(1, replications)
    // Every point reports the same figures, so sweep.csv's columns line up even when only some
    // points use §9 (e.g. a sweep of `marketing_capped` from 0).
    let platform = platform ?? (base.wantsPlatformFigures || scenarios.contains(where: \.wantsPlatformFigures))
    let values = Parallel.map(scenarios.count * r, threads: threads) { job in
      Simulation(scenario: scenarios[job / r], replication: job % r).run().figureValues(platform: platform)
    }
    let tables = scenarios.indices.map { p in FigureTable(replications: Array(values[(p * r)..<((p + 1) * r)])) }
    return SweepResult(axes: axes, points: points, figures: tables, runs: scenarios.count * r)
  }

  /// Largest value tried when the search has no `high`.
  public static let searchLimit = 1 << 31 - 1

  /// Bisection for the largest integer value of `search.parameter` meeting every condition of
  /// `search.until`, at each point of the grid of `axes`. Assumes monotonicity: if a value meets
  /// the conditions, every smaller one (≥ low) does too. Points run in parallel; probes of one
  /// point run one after the other (each depends on the last).
  public static func findMax(
    base: Scenario, axes: [SweepAxis], search: FindMax, replications: Int, threads: Int, platform: Bool? = nil
  ) throws(ParameterError) -> CapacityResult {
    let points = grid(axes)
    let bases = try scenarios(base: base, axes: axes)
    // Check the search's bounds once on every point, so a bad value fails before hours of runs.
    for scenario in bases {
      _ = try ScenarioParameters.applying([(search.parameter, .int(search.low))], to: scenario)
      if let high = search.high { _ = try ScenarioParameters.applying([(search.parameter, .int(high))], to: scenario) }
    }
    let r = max(1, replications)
    let inner = max(1, threads / max(1, points.count))
    let platform = platform ?? (base.wantsPlatformFigures || bases.contains(where: \.wantsPlatformFigures))
    let answers = Parallel.map(points.count, threads: threads) { p in
      capacity(at: points[p], base: bases[p], search: search, replications: r, threads: inner, platform: platform)
    }
    return CapacityResult(
      axes: axes, search: search, answers: answers, runs: answers.reduce(0) { $0 + $1.probes.count } * r)
  }

  static func capacity(
    at point: SweepPoint, base: Scenario, search: FindMax, replications: Int, threads: Int, platform: Bool
  ) -> CapacityAnswer {
    var probes: [(value: Int, passed: Bool)] = []
    var tables: [Int: FigureTable] = [:]
    /// Whether `value` meets the conditions; nil when the parser refuses the value (doubling
    /// can run past a parameter's range, e.g. `retry.max_retries` above 100).
    func passes(_ value: Int) -> Bool? {
      guard let scenario = try? ScenarioParameters.applying([(search.parameter, .int(value))], to: base) else {
        return nil
      }
      let table = ReplicatedRun.run(scenario, replications: replications, threads: threads, platform: platform)
        .figures
      tables[value] = table
      let passed = ThresholdCheck.evaluate(search.until, figures: table).allSatisfy(\.passed)
      probes.append((value, passed))
      return passed
    }
    func answer(_ status: CapacityAnswer.Status, _ value: Int?, failing: Int?) -> CapacityAnswer {
      let failed = failing.flatMap { tables[$0] }.map { table in
        ThresholdCheck.evaluate(search.until, figures: table).filter { !$0.passed }.map(\.threshold)
      }
      return CapacityAnswer(
        point: point, status: status, value: value, figures: tables[value ?? search.low]!, firstFailing: failing,
        failedConditions: failed ?? [], probes: probes)
    }

    var good = search.low
    // The low bound was checked legal on every point before the search started.
    guard passes(good) == true else { return answer(.none, nil, failing: good) }
    var bad: Int
    var badIsIllegal = false
    if let high = search.high {
      if high == good || passes(high) == true { return answer(.atLeast, high, failing: nil) }
      bad = high
    } else {
      // Double until a value fails (or is out of the parameter's range): the answer is in [good, bad).
      var probe = max(1, good * 2)
      while true {
        if probe > searchLimit { return answer(.atLeast, good, failing: nil) }
        guard let passed = passes(probe) else {
          badIsIllegal = true
          break
        }
        if !passed { break }
        good = probe
        probe *= 2
      }
      bad = probe
    }
    while bad - good > 1 {
      let middle = good + (bad - good) / 2
      switch passes(middle) {
      case true?: good = middle
      case false?: (bad, badIsIllegal) = (middle, false)
      case nil: (bad, badIsIllegal) = (middle, true)
      }
    }
    // Every legal value met the conditions: the largest legal one is only a lower bound.
    return badIsIllegal ? answer(.atLeast, good, failing: nil) : answer(.found, good, failing: bad)
  }
}
