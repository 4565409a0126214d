import Analysis
import ArgumentParser
import CampaignModel
import Foundation
import Reporting
import RunPlan
import ScenarioFormat

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a scenario and write its reports (JSON, Markdown, HTML, CSV).",
    discussion: """
      Reports go to Reports/<scenario name>/ unless --out says otherwise: report.json, \
      report.md, report.html (self-contained charts, opens offline), timeseries.csv and \
      outcomes.csv; --format picks some of them. The set is written to a hidden sibling folder \
      and swapped in whole: after a failure, SIGINT or SIGTERM the folder holds the previous \
      set or the new one, never a mix. The folder is replaced as a whole, so --out must be a \
      new or empty folder or an earlier report folder. A bad scenario or --out is reported \
      with exit status 2 and nothing is written; SIGINT exits 130, SIGTERM 143. \
      The summary is coloured only on a terminal, and never when NO_COLOR is set.

      With replications (--replications R, or `replications:` in the scenario) the R runs go \
      in parallel on --threads threads; the report gives each figure's mean, standard \
      deviation, 95 % confidence interval and per-replication values, and does not depend on \
      the thread count. Thresholds in the scenario are checked after the run: a failing one \
      makes the exit status 99 (the reports are written all the same).

      --shard I/N runs only shard I of N of the replications and writes partial-I-of-N.json \
      to the --out folder instead of the reports; `campaign-sim merge` makes the reports of \
      the whole run from the N partial results (see `campaign-sim merge --help`).

      --trace FILE writes the history of every message (or a sample, --trace-sample P, or a \
      list, --trace-messages promo:17,promo:18) as NDJSON: one line per message by campaign \
      then message index, each line what `campaign-sim explain --json` prints for that message. \
      It is written after the reports, atomically, beside the report folder (not in it). \
      Tracing changes nothing in the reports; every history is held until the end, and a trace \
      that would not fit the memory budget is refused before the run.

      For CI (docs/ci.md): --summary-json FILE (or - for stdout, the human summary then going \
      to stderr) writes a small stable JSON summary, --junit FILE one JUnit test case per \
      threshold; when GITHUB_STEP_SUMMARY is set, report.md is appended to that file (cut to \
      stay under 1 MiB). They are written after the reports, whether the thresholds pass or not; \
      a path that cannot be written is exit 2 before the run.

      Examples:
        campaign-sim run Scenarios/quickstart.yaml
        campaign-sim run Scenarios/tier-limit-naive.yaml --out /tmp/naive
        campaign-sim run Scenarios/outage.yaml --format html,csv
        campaign-sim run Scenarios/million.yaml --seed 7 --quiet
        campaign-sim run Scenarios/regression-gate.yaml --replications 20 --threads 2
        campaign-sim run Scenarios/bench/mixed-100m.yaml \\
            --progress always 2>progress.log
        campaign-sim run Scenarios/capacity-tiers.yaml --junit junit.xml \\
            --summary-json ci.json
        campaign-sim run Scenarios/quickstart.yaml --quiet \\
            --summary-json - | jq .passed
        campaign-sim run Scenarios/quickstart.yaml --trace q.ndjson \\
            --trace-sample 0.01
        campaign-sim run my.yaml --trace t.ndjson --trace-messages promo:0,promo:17
      """
  )

  @Argument(help: "The scenario file (.yaml, .yml or .json).")
  var scenario: String

  @Option(name: .long, help: "Folder for the reports (default: Reports/<scenario name>).")
  var out: String?

  @Option(name: .long, help: "Seed to use instead of the scenario's.")
  var seed: UInt64?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Report files to write: a comma-separated list of json, md, html, csv (or all).", valueName: "formats"),
    transform: { text in
      switch ReportFormat.parseList(text) {
      case .success(let formats): return FormatList(formats: formats)
      case .failure(let error): throw ValidationError(error.description)
      }
    })
  var format = FormatList(formats: ReportFormat.allCases)

  @Flag(name: .long, help: "Print nothing but errors (failing thresholds included).")
  var quiet = false

  @Option(name: .long, help: "Progress on stderr for runs over a second: auto (only on a terminal), always, never.")
  var progress: ProgressMode = .auto

  @Option(name: .long, help: "Independent replications instead of the scenario's `replications`.")
  var replications: Int?

  @Option(
    name: .long, help: "Threads for the replications (default: every active core). The report does not depend on it.")
  var threads: Int?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Refuse a run estimated to need more memory than this (512MiB, 2GiB; default: report.memory_budget, else 80 % of physical memory).",
      valueName: "size"))
  var memoryBudget: MemoryBudgetOption?

  @OptionGroup(title: "Sharding")
  var sharding: ShardOptions

  @OptionGroup(title: "CI outputs")
  var ci: CIOutputOptions

  @OptionGroup(title: "Message histories")
  var tracing: TraceOptions

  func run() throws {
    Interruption.shared.install()
    var file = try loadScenario(self.scenario)
    if let seed { file.scenario.seed = seed }
    if let replications { file.scenario.replications = try checkedReplications(replications) }
    let scenario = file.scenario
    if let shard = try sharding.resolve() {
      // A shard has no verdict of its own: `merge` makes it from all of them.
      if ci.summaryJson != nil || ci.junit != nil {
        throw badOption("--summary-json and --junit need the whole run, not a shard")
      }
      if tracing.trace != nil { throw badOption("--trace follows one whole run, not a shard") }
      try runShard(shard, file: file)
      return
    }
    let folder = ReportFolder.run(out ?? "Reports/\(scenario.name)")
    try checkedFolder(folder)
    try ci.check()
    let traceSelection = try tracing.selection(
      for: scenario, folder: folder, budget: memoryBudgetInForce(scenario, option: memoryBudget))
    let threadCount = try checkedThreads(threads)
    let bands = format.formats.contains(.html) || format.formats.contains(.csv)
    try checkedMemory(
      scenario, option: memoryBudget, concurrent: min(threadCount, scenario.replications),
      keptRuns: bands ? scenario.replications : 1, file: self.scenario)
    let started = EngineStats.now()
    let analysis: ReplicatedRun
    var traces: [MessageTrace] = []
    if scenario.replications == 1 {
      // One run: in this thread, with progress for long ones.
      let display = quiet ? nil : ProgressDisplay.make(progress)
      let simulation = Simulation(scenario: scenario, trace: traceSelection)
      let result = simulation.run(progress: display.map { d in { d.update($0) } })
      traces = simulation.traces
      display?.finish()
      analysis = ReplicatedRun(single: result, platform: file.wantsPlatformFigures)
    } else {
      analysis = ReplicatedRun.run(scenario, threads: threadCount, keepAll: bands, platform: file.wantsPlatformFigures)
    }
    let result = analysis.first
    let engine = EngineStats(
      wallSeconds: EngineStats.now() - started, events: analysis.events, messages: analysis.messages)

    try writeReportSet(
      folder,
      ReportFiles.files(analysis.results, file: file, engine: engine, formats: format.formats, analysis: analysis))
    if let path = tracing.trace {
      do {
        try AtomicFile.write(TraceReport.ndjson(traces), to: path)
      } catch {
        printError(error.description)
        throw ExitCode(1)
      }
    }
    let outcomes = ThresholdCheck.evaluate(file.thresholds, figures: analysis.figures)
    let failed = outcomes.contains { !$0.passed }
    try writeCIOutputs(analysis, file: file, outcomes: outcomes, engine: engine, folder: folder)
    guard !quiet else {
      if failed {
        printError(TextReport.thresholds(outcomes), terminator: "")
        throw ExitCode(thresholdsFailed)
      }
      return
    }
    let say = HumanOutput(toStandardError: ci.summaryOnStandardOutput)
    let times = analysis.replications > 1 ? " × \(analysis.replications) replications" : ""
    say(
      "\(scenario.name): \(result.messages) messages\(times), seed \(result.seed), run ended at \(Format.human(result.endedAt))\n"
    )
    let colour = !say.toStandardError && Terminal.standardOutputWantsColour()
    say(
      analysis.replications > 1
        ? TextReport.replicationSummary(analysis) : TextReport.summary(result, colour: colour))
    if !outcomes.isEmpty { say(TextReport.thresholds(outcomes)) }
    say(
      "engine: \(Format.fixed(engine.wallSeconds, 3)) s wall, \(engine.rateText), "
        + "\(Format.count(engine.events)) events, peak RSS \(engine.peakRSSBytes / 1_048_576) MiB")
    say("reports: " + format.formats.flatMap(\.fileNames).map { "\(folder.path)/\($0)" }.joined(separator: ", "))
    if let path = tracing.trace { say("trace: \(path) (\(Format.count(traces.count)) messages)") }
    if failed { throw ExitCode(thresholdsFailed) }
  }

  /// The CI files, once the reports are in place and the thresholds checked (passed or not).
  func writeCIOutputs(
    _ analysis: ReplicatedRun, file: ScenarioFile, outcomes: [ThresholdOutcome], engine: EngineStats,
    folder: ReportFolder
  ) throws {
    let result = analysis.first
    let name = file.scenario.name
    let markdownFile = format.formats.contains(.md) ? "\(folder.path)/report.md" : "report.md (--format md)"
    try ci.write(
      summary: SummaryJSON.run(
        scenario: name, seed: result.seed, replications: analysis.replications,
        campaigns: result.campaigns.map { ($0.id, $0.sender) }, figures: analysis.figures, thresholds: outcomes,
        reports: folder.path),
      junit: JUnitReport.run(
        scenario: name, seed: result.seed, replications: analysis.replications, outcomes: outcomes),
      markdown: TextReport.markdown(result, engine: engine, analysis: analysis, thresholds: file.thresholds),
      whole: markdownFile)
  }
}

/// The parsed `--format` list (a wrapper, so ArgumentParser sees one value, not a repeated option).
struct FormatList {
  var formats: [ReportFormat]
}

/// Loads a scenario file or exits with status 2 after printing the located error.
func loadScenario(_ path: String) throws -> ScenarioFile {
  do {
    return try ScenarioLoader.load(path: path)
  } catch {
    printError(error.description)
    throw ExitCode(2)
  }
}

func printError(_ message: String, terminator: String = "\n") {
  FileHandle.standardError.write(Data((message + terminator).utf8))
}
