import CampaignModel
import RunPlan
import ScenarioFormat

/// One shard's share of a sweep or of a replicated run, as a `PartialResult`.
///
/// Jobs are (point, replication) pairs for a grid sweep, grid points for a capacity search (its
/// probes depend on each other) and replications for `run`; each is weighed by its messages and
/// split with `ShardPlan`. A job's result depends only on its scenario and replication (streams
/// derive from (seed, replication), MODEL.md §6), so which shard runs it changes nothing.
public enum ShardedRun {
  /// Runs this shard's part of the sweep planned in `file.sweep` (the resolved plan: the command
  /// line's options already applied). The engine's wall time and RSS are left for the caller to
  /// fill in.
  public static func sweep(_ file: ScenarioFile, shard: ShardSpec, threads: Int) throws(ParameterError)
    -> PartialResult
  {
    let scenario = file.scenario
    let plan = file.sweep ?? SweepPlan()
    // As `sweep` decides it for the whole run: from the file with its resolved plan.
    let platform = file.wantsPlatformFigures
    let bases = try Sweep.scenarios(base: scenario, axes: plan.vary)
    let r = max(1, scenario.replications)
    var partial = PartialResult(
      format: PartialResult.formatName, version: PartialResult.currentVersion, kind: .sweep, shard: shard.index,
      shards: shard.count, digest: "", scenario: effectiveDocument(file).json(), formats: nil, keepAll: nil,
      jobs: 0, figureNames: [], runs: nil, answers: nil, replications: nil,
      engine: PartialResult.Engine(wallSeconds: 0, events: 0, messages: 0, peakRSSBytes: 0))

    if let search = plan.findMax {
      partial.kind = .findMax
      partial.jobs = bases.count
      // The bounds are checked on every point, not just this shard's: a bad value fails every
      // shard at once, as it fails the whole run before any search.
      for base in bases {
        _ = try ScenarioParameters.applying([(search.parameter, .int(search.low))], to: base)
        if let high = search.high { _ = try ScenarioParameters.applying([(search.parameter, .int(high))], to: base) }
      }
      let points = Sweep.grid(plan.vary)
      let mine = ShardPlan.jobs(weights: bases.map { $0.totalAudience * r }, shard: shard)
      let inner = max(1, threads / max(1, mine.count))
      let answers = Parallel.map(mine.count, threads: threads) { i in
        Sweep.capacity(
          at: points[mine[i]], base: bases[mine[i]], search: search, replications: r, threads: inner,
          platform: platform)
      }
      var names: [[String]] = []
      partial.answers = zip(mine, answers).map { point, answer in
        PartialResult.Answer(
          point: point, status: answer.status.rawValue, value: answer.value,
          names: PartialResult.nameIndex(answer.figures.names, in: &names),
          figures: (0..<answer.figures.replications).map { k in answer.figures.statistics.map { $0.values[k] } },
          firstFailing: answer.firstFailing,
          failed: answer.failedConditions.compactMap { failed in search.until.firstIndex(of: failed) },
          probes: answer.probes.map { [$0.value, $0.passed ? 1 : 0] })
      }
      partial.figureNames = names
      // A search's probes keep only their figures, not their event counts: its engine counts stay 0.
    } else {
      partial.jobs = bases.count * r
      let mine = ShardPlan.jobs(weights: (0..<partial.jobs).map { bases[$0 / r].totalAudience }, shard: shard)
      let runs = Parallel.map(mine.count, threads: threads) { i in
        let result = Simulation(scenario: bases[mine[i] / r], replication: mine[i] % r).run()
        return (figures: result.figureValues(platform: platform), events: result.events, messages: result.messages)
      }
      var names: [[String]] = []
      partial.runs = zip(mine, runs).map { job, run in
        PartialResult.JobFigures(
          job: job, names: PartialResult.nameIndex(run.figures.names, in: &names), values: run.figures.values)
      }
      partial.figureNames = names
      partial.engine.events = runs.reduce(0) { $0 + $1.events }
      partial.engine.messages = runs.reduce(0) { $0 + $1.messages }
    }
    partial.digest = partial.computedDigest
    return partial
  }

  /// Runs this shard's replications of `file.scenario` (its `replications` in all). `formats`
  /// are the report formats the merge will write; with `keepAll` every replication's whole result
  /// is kept (the HTML and CSV reports draw them all), else only replication 0's.
  public static func replications(
    _ file: ScenarioFile, formats: [String], keepAll: Bool, shard: ShardSpec, threads: Int
  ) -> PartialResult {
    let scenario = file.scenario
    let platform = file.wantsPlatformFigures
    let count = max(1, scenario.replications)
    let mine = ShardPlan.jobs(weights: Array(repeating: scenario.totalAudience, count: count), shard: shard)
    let runs = Parallel.map(mine.count, threads: threads) { i in
      let result = Simulation(scenario: scenario, replication: mine[i]).run()
      return (
        figures: result.figureValues(platform: platform), events: result.events,
        archive: mine[i] == 0 || keepAll ? result.archive : nil
      )
    }
    var names: [[String]] = []
    let replications = zip(mine, runs).map { r, run in
      PartialResult.Replication(
        replication: r, names: PartialResult.nameIndex(run.figures.names, in: &names), values: run.figures.values,
        events: run.events, result: run.archive)
    }
    var partial = PartialResult(
      format: PartialResult.formatName, version: PartialResult.currentVersion, kind: .replications,
      shard: shard.index, shards: shard.count, digest: "", scenario: effectiveDocument(file).json(),
      formats: formats, keepAll: keepAll, jobs: count, figureNames: names, runs: nil, answers: nil,
      replications: replications,
      engine: PartialResult.Engine(
        wallSeconds: 0, events: runs.reduce(0) { $0 + $1.events }, messages: scenario.totalAudience * mine.count,
        peakRSSBytes: 0))
    partial.digest = partial.computedDigest
    return partial
  }
}
