import Analysis
import Reporting
import RunPlan

extension Run {
  /// One shard of the replications: `partial-I-of-N.json` in the --out folder instead of the
  /// reports, which `campaign-sim merge` writes from all N.
  func runShard(_ shard: ShardSpec, file: ScenarioFile) throws {
    let scenario = file.scenario
    let threadCount = try checkedThreads(threads)
    let keepAll = ReportFiles.drawsEveryRun(format.formats)
    // The shard keeps at most its share of the replications whole.
    let share = (max(1, scenario.replications) + shard.count - 1) / shard.count
    try checkedMemory(
      scenario, option: memoryBudget, concurrent: min(threadCount, share), keptRuns: keepAll ? share : 1,
      file: self.scenario)
    let started = EngineStats.now()
    let partial = ShardedRun.replications(
      file, formats: format.formats.map(\.rawValue), keepAll: keepAll, shard: shard, threads: threadCount)
    try writePartial(partial, started: started, folder: out ?? "Reports/\(scenario.name)", quiet: quiet)
  }
}
