import Analysis
import ArgumentParser
import CampaignModel
import Foundation
import Reporting
import RunPlan
import ScenarioFormat

struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Run a scenario over a grid of parameter values, or search for the largest one meeting a condition.",
    discussion: """
      The grid is every combination of the --vary values (or of the scenario's `sweep.vary`), \
      run in parallel with the scenario's seed at every point: common random numbers, so \
      points differ by the parameters only. Writes sweep.csv (every figure of every point), \
      sweep.md and sweep.html (a self-contained chart of --figure against the first varied \
      parameter, one line per combination of the others; grouped bars when that parameter \
      is categorical, like pacing).

      PATH is any scalar of the effective scenario (see `campaign-sim validate`), senders and \
      campaigns by id: business.messaging_limit, pacing, senders.main.throughput_mps, \
      campaigns.promo.audience, campaigns.promo.contacts.invalid, faults.transient_error_rate, \
      faults.outages[0].duration, retry.max_retries, ...

      --shard I/N runs one shard of the (point, replication) runs (of the grid points with \
      --find-max) and writes partial-I-of-N.json to the --out folder instead of the reports; \
      `campaign-sim merge` puts the N partial results together into the very bytes of the \
      unsharded sweep. See `campaign-sim merge --help`.

      --find-max PATH --until "CONDITION" bisects an integer parameter for its largest value \
      meeting the condition at each point of the grid: the capacity table. It assumes \
      monotonicity (a value that meets the condition implies every smaller one does).

      Examples:
        campaign-sim sweep Scenarios/capacity-tiers.yaml
        campaign-sim sweep Scenarios/quickstart.yaml \\
            --vary business.messaging_limit=2000,10000,100000 \\
            --vary pacing=naive,limit_aware --figure promo.reached_delivery_fraction
        campaign-sim sweep Scenarios/outage.yaml \\
            --vary 'faults.outages[0].duration=0s,10m,30m,1h'
        campaign-sim sweep Scenarios/tier-limit-aware.yaml \\
            --find-max campaigns.onboarding.audience \\
            --until \\
            "onboarding.drained_at <= 3d and onboarding.delivered_fraction >= 0.95"
        campaign-sim sweep Scenarios/capacity-tiers.yaml \\
            --shard 2/7 --out /tmp/partials
      """
  )

  @Argument(help: "The scenario file (.yaml, .yml or .json).")
  var scenario: String

  @Option(
    name: .long,
    help: "PATH=V1,V2,...: a parameter and its values; repeat for a grid. Replaces the scenario's sweep.vary.")
  var vary: [String] = []

  @Option(name: .long, help: "The figure to chart (default: the scenario's sweep.figure, else sending_finished_at).")
  var figure: String?

  @Option(name: .customLong("find-max"), help: "An integer parameter to maximise at each point (needs --until).")
  var findMax: String?

  @Option(name: .long, help: "The condition for --find-max: \"FIGURE OP VALUE and ...\".")
  var until: String?

  @Option(name: .long, help: "Smallest value --find-max tries (default 1).")
  var low: Int?

  @Option(name: .long, help: "Largest value --find-max tries (default: doubled from --low until the condition fails).")
  var high: Int?

  @Flag(name: .long, help: "--until must hold over the whole 95 % confidence interval, not just the mean.")
  var strict = false

  @Option(name: .long, help: "Replications per point instead of the scenario's.")
  var replications: Int?

  @Option(name: .long, help: "Threads (default: every active core). The results do not depend on it.")
  var threads: Int?

  @Option(name: .long, help: "Folder for sweep.csv, sweep.md and sweep.html (default: Reports/<name>/sweep).")
  var out: String?

  @Flag(name: .long, help: "Print nothing but errors.")
  var quiet = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Refuse a sweep whose runs are estimated to need more memory than this (default: report.memory_budget, else 80 % of physical memory).",
      valueName: "size"))
  var memoryBudget: MemoryBudgetOption?

  @Flag(name: .long, help: "Run a large sweep (over 1000 points or about 10 minutes) without asking.")
  var yes = false

  @OptionGroup(title: "Sharding")
  var sharding: ShardOptions

  func run() throws {
    Interruption.shared.install()
    let started = EngineStats.now()
    var file = try loadScenario(self.scenario)
    if let replications { file.scenario.replications = try checkedReplications(replications) }
    let scenario = file.scenario
    let threads = try checkedThreads(threads)
    let plan = try self.plan(for: file)
    // Points run side by side, one scenario each, keeping figures only.
    try checkedMemory(scenario, option: memoryBudget, concurrent: threads, keptRuns: 1, file: self.scenario)
    let figure = plan.figure ?? SweepFiles.defaultFigure
    var planned = file
    planned.sweep = plan
    let platform = planned.wantsPlatformFigures

    if let shard = try sharding.resolve() {
      let partial: PartialResult
      do {
        partial = try ShardedRun.sweep(planned, shard: shard, threads: threads)
      } catch {
        throw badOption(error.message)
      }
      try writePartial(partial, started: started, folder: out ?? "Reports/\(scenario.name)/sweep", quiet: quiet)
      return
    }

    // A shard is a batch job with no one to ask: only the whole sweep asks before a large run.
    try confirmLargeSweep(SweepEstimate(plan: plan, scenario: scenario, threads: threads), yes: yes)
    let folder = ReportFolder.sweep(out ?? "Reports/\(scenario.name)/sweep")
    try checkedFolder(folder)

    if !quiet, let search = plan.findMax,
      search.until.contains(where: { Figures.kind(ofName: $0.figure)?.name == "sending_finished_at" })
    {
      // Expiring is not finishing: with it the search climbs as long as the window ends in time.
      printError(
        "note: sending_finished_at counts a campaign as finished when its window expires the messages still "
          + "waiting; 'drained_at' asks that every message was sent or refused by then")
    }
    let files: [(name: String, contents: String)]
    let summary: String
    do {
      if let search = plan.findMax {
        let capacity = try Sweep.findMax(
          base: scenario, axes: plan.vary, search: search, replications: scenario.replications, threads: threads,
          platform: platform)
        (files, summary) = SweepFiles.render(capacity, file: file, figure: figure)
      } else {
        let sweep = try Sweep.run(
          base: scenario, axes: plan.vary, replications: scenario.replications, threads: threads, platform: platform)
        (files, summary) = SweepFiles.render(sweep, file: file, figure: figure)
      }
    } catch {
      throw badOption(error.message)
    }
    try writeReportSet(folder, files)
    guard !quiet else { return }
    print(summary)
    print("reports: \(files.map { "\(folder.path)/\($0.name)" }.joined(separator: ", "))")
  }

  /// The scenario's sweep section with the command line's options over it.
  func plan(for file: ScenarioFile) throws -> SweepPlan {
    let scenario = file.scenario
    var plan = file.sweep ?? SweepPlan()
    let campaignIDs = scenario.campaigns.map(\.id)
    if !vary.isEmpty {
      plan.vary = []
      for option in vary {
        guard let equals = option.firstIndex(of: "="), equals != option.startIndex else {
          throw badOption("--vary expects PATH=V1,V2,..., found '\(option)'")
        }
        let path = String(option[..<equals])
        let values = option[option.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false)
          .map { ScenarioParameters.value(parsing: String($0).trimmingCharacters(in: .whitespaces)) }
        guard !values.contains(where: { $0.description.isEmpty }) else {
          throw badOption("--vary \(option): empty value")
        }
        if plan.vary.contains(where: { $0.path == path }) { throw badOption("--vary \(path) given twice") }
        do {
          for value in values { _ = try ScenarioParameters.applying([(path, value)], to: scenario) }
        } catch {
          throw badOption("--vary \(error.message)")
        }
        plan.vary.append(SweepAxis(path: path, values: values))
      }
    }
    if let figure {
      if case .failure(let error) = Figures.resolve(figure, campaignIDs: campaignIDs) {
        throw badOption("--figure: \(error.message)")
      }
      plan.figure = figure
    }
    if findMax != nil || until != nil || low != nil || high != nil || strict {
      guard let parameter = findMax ?? plan.findMax?.parameter else {
        throw badOption("--until, --low, --high and --strict need --find-max PATH (or sweep.find_max in the scenario)")
      }
      let text = until ?? plan.findMax.map { Conditions.text($0.until) }
      guard let text else { throw badOption("--find-max needs --until \"CONDITION\"") }
      let conditions: [Threshold]
      do {
        conditions = try Conditions.conjunction(
          text, campaignIDs: campaignIDs,
          strict: strict || (until == nil && plan.findMax?.until.contains(where: \.strict) == true))
      } catch {
        throw badOption("--until: \(error.message)")
      }
      if plan.vary.contains(where: { $0.path == parameter }) {
        throw badOption("--find-max \(parameter) is also varied; drop it from --vary")
      }
      let low = self.low ?? (findMax == nil ? plan.findMax?.low : nil) ?? 1
      let high = self.high ?? (findMax == nil ? plan.findMax?.high : nil)
      if let high, high < low { throw badOption("--high (\(high)) is below --low (\(low))") }
      do {
        if case .string(let current) = try ScenarioParameters.current(parameter, in: scenario), current != "unlimited" {
          throw badOption("--find-max \(parameter) is not a number")
        }
        for value in [low] + (high.map { [$0] } ?? []) {
          _ = try ScenarioParameters.applying([(parameter, .int(value))], to: scenario)
        }
      } catch let error as ParameterError {
        throw badOption("--find-max \(error.message)")
      }
      plan.findMax = FindMax(parameter: parameter, until: conditions, low: low, high: high)
    }
    if plan.vary.isEmpty && plan.findMax == nil {
      throw badOption("nothing to sweep: give --vary PATH=V1,V2,... or --find-max, or add a sweep: section")
    }
    return plan
  }
}
