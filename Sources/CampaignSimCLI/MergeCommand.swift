import Analysis
import ArgumentParser
import CampaignModel
import Foundation
import Reporting
import RunPlan

struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Put the partial results of a sharded sweep or replicated run together into its reports.",
    discussion: """
      `sweep ... --shard I/N` and `run ... --shard I/N` each run one shard of N and write \
      partial-I-of-N.json. merge reads all N of them and writes the reports of the whole run: \
      sweep.csv, sweep.md and sweep.html for a sweep, report.json/md/html and the CSV files \
      (in the --format list the shards were given) for a replicated run. The reports are \
      byte-identical to those of the unsharded run; only the engine section of a run's report \
      differs, as between any two runs: it sums the shards' wall time and events and gives \
      their largest peak RSS. Nothing is simulated again: the partial results carry every \
      figure, and the whole results of the replications the reports draw.

      Every partial result carries a digest of its effective scenario, grid, seed, replications \
      and report formats. merge refuses, with exit status 2 and nothing written, a file that is \
      not a partial result (or of another version), a shard of another run, a shard given twice, \
      a missing shard, and shards of different splits.

      Without --shard, a shard comes from the batch engine's environment: JOB_COMPLETION_INDEX \
      (0-based, Kubernetes Indexed Job) with --shard-count N or CAMPAIGNSIM_SHARD_COUNT, or \
      SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT (from SLURM_ARRAY_TASK_MIN, so \
      --array=0-6 and --array=1-7 both give shards 1..7). Work is split so every shard gets \
      about the same number of simulated messages; --find-max splits by grid point.

      A run with thresholds exits 99 when one fails, as `run` does.

      Examples:
        for i in 1 2 3; do
          campaign-sim sweep Scenarios/capacity-tiers.yaml --shard $i/3 --out parts &
        done; wait
        campaign-sim merge parts/partial-*-of-3.json \\
            --out Reports/capacity-tiers/sweep
        campaign-sim run Scenarios/regression-gate.yaml --replications 20 \\
            --shard 1/2 --out parts
        campaign-sim run Scenarios/regression-gate.yaml --replications 20 \\
            --shard 2/2 --out parts
        campaign-sim merge parts/partial-1-of-2.json parts/partial-2-of-2.json \\
            --out Reports/gate
      """
  )

  @Argument(help: "The partial results, partial-I-of-N.json, one per shard (any order).")
  var partials: [String]

  @Option(
    name: .long,
    help:
      "Folder for the reports (default: Reports/<scenario name>/sweep for a sweep, Reports/<scenario name> for a run).")
  var out: String?

  @Flag(name: .long, help: "Print nothing but errors (failing thresholds included).")
  var quiet = false

  func validate() throws {
    if partials.isEmpty { throw ValidationError("give the partial results to merge (partial-I-of-N.json)") }
  }

  func run() throws {
    Interruption.shared.install()
    var inputs: [(path: String, partial: PartialResult)] = []
    for path in partials {
      guard let data = FileManager.default.contents(atPath: path) else {
        printError("\(path): error: cannot read the file")
        throw ExitCode(badInput)
      }
      switch PartialResult.decode(data, path: path) {
      case .success(let partial): inputs.append((path, partial))
      case .failure(let error):
        printError(error.message)
        throw ExitCode(badInput)
      }
    }
    let merged: PartialMerge.Merged
    switch PartialMerge.merge(inputs) {
    case .success(let result): merged = result
    case .failure(let error):
      printError(error.message)
      throw ExitCode(badInput)
    }
    switch merged {
    case .sweep(let sweep, let file):
      let folder = ReportFolder.sweep(out ?? "Reports/\(file.scenario.name)/sweep")
      try checkedFolder(folder)
      let figure = file.sweep?.figure ?? SweepFiles.defaultFigure
      try finish(SweepFiles.render(sweep, file: file, figure: figure), in: folder)
    case .capacity(let capacity, let file):
      let folder = ReportFolder.sweep(out ?? "Reports/\(file.scenario.name)/sweep")
      try checkedFolder(folder)
      let figure = file.sweep?.figure ?? SweepFiles.defaultFigure
      try finish(SweepFiles.render(capacity, file: file, figure: figure), in: folder)
    case .replications(let analysis, let file, let formatNames, let totals):
      try finishRun(analysis, file: file, formatNames: formatNames, totals: totals)
    }
  }

  func finish(_ rendered: (files: [(name: String, contents: String)], summary: String), in folder: ReportFolder)
    throws
  {
    try writeReportSet(folder, rendered.files)
    guard !quiet else { return }
    print("merged \(partials.count) shard(s)\n")
    print(rendered.summary)
    print("reports: \(rendered.files.map { "\(folder.path)/\($0.name)" }.joined(separator: ", "))")
  }

  func finishRun(
    _ analysis: ReplicatedRun, file: ScenarioFile, formatNames: [String], totals: PartialResult.Engine
  ) throws {
    let scenario = file.scenario
    let formats = formatNames.compactMap(ReportFormat.init(rawValue:))
    guard formats.count == formatNames.count, !formats.isEmpty else {
      printError("\(partials[0]): error: unknown report formats \(formatNames)")
      throw ExitCode(badInput)
    }
    let folder = ReportFolder.run(out ?? "Reports/\(scenario.name)")
    try checkedFolder(folder)
    let engine = EngineStats(
      wallSeconds: totals.wallSeconds, events: totals.events, messages: totals.messages,
      peakRSSBytes: totals.peakRSSBytes)
    try writeReportSet(
      folder, ReportFiles.files(analysis.results, file: file, engine: engine, formats: formats, analysis: analysis))
    let outcomes = ThresholdCheck.evaluate(file.thresholds, figures: analysis.figures)
    let failed = outcomes.contains { !$0.passed }
    if !quiet {
      print("merged \(partials.count) shard(s): \(scenario.name), \(analysis.replications) replication(s)\n")
      print(
        analysis.replications > 1
          ? TextReport.replicationSummary(analysis)
          : TextReport.summary(analysis.first, colour: Terminal.standardOutputWantsColour()))
      if !outcomes.isEmpty { print(TextReport.thresholds(outcomes)) }
      print("reports: " + formats.flatMap(\.fileNames).map { "\(folder.path)/\($0)" }.joined(separator: ", "))
    } else if failed {
      printError(TextReport.thresholds(outcomes), terminator: "")
    }
    if failed { throw ExitCode(thresholdsFailed) }
  }

}
