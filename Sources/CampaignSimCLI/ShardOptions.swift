import Analysis
import ArgumentParser
import Foundation
import Reporting

/// `--shard I/N` and `--shard-count N`, shared by `run` and `sweep`.
struct ShardOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Run only shard I of N (1-based) and write partial-I-of-N.json for `campaign-sim merge`. Without it, "
        + "JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID (Slurm) select the shard.",
      valueName: "I/N"))
  var shard: String?

  @Option(
    name: .customLong("shard-count"),
    help: "Shards of a Kubernetes Indexed Job (its completions), with JOB_COMPLETION_INDEX; or CAMPAIGNSIM_SHARD_COUNT."
  )
  var shardCount: Int?

  /// The shard this process runs, `nil` for the whole run; a bad spec exits with status 2.
  func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ShardSpec? {
    let result: Result<ShardSpec?, ShardError>
    if let shard {
      if shardCount != nil { throw badOption("--shard-count goes with JOB_COMPLETION_INDEX, not with --shard") }
      result = ShardSpec.parse(shard).map { $0 }
    } else {
      result = ShardSpec.fromEnvironment(environment, shardCount: shardCount)
    }
    switch result {
    case .success(let spec): return spec
    case .failure(let error): throw badOption(error.message)
    }
  }
}

/// Writes a shard's partial result into `folder`, with its own run's wall time and peak RSS.
func writePartial(_ partial: PartialResult, started: Double, folder: String, quiet: Bool) throws {
  var partial = partial
  partial.engine.wallSeconds = EngineStats.now() - started
  partial.engine.peakRSSBytes = EngineStats.peakRSS()
  let path = folder + "/partial-\(partial.shard)-of-\(partial.shards).json"
  do {
    try AtomicFile.write(String(decoding: try partial.encoded(), as: UTF8.self), to: path)
  } catch {
    printError("\(error)")
    throw ExitCode(1)
  }
  guard !quiet else { return }
  let share =
    partial.runs?.count ?? partial.answers?.count ?? partial.replications?.count ?? 0
  let unit = partial.kind == .findMax ? "grid points" : partial.kind == .sweep ? "runs" : "replications"
  print("shard \(partial.shard)/\(partial.shards): \(share) of \(partial.jobs) \(unit), digest \(partial.digest)")
  print("partial result: \(path)")
}
