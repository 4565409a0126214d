import Analysis
import ArgumentParser
import Reporting

struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare the figures of two report.json files and flag regressions.",
    discussion: """
      Every figure of both reports is listed with both values, the change and a verdict: \
      improved, regressed, within noise, within tolerance, changed (a figure with no better \
      direction, or one that became undefined), same. Each figure has a direction: more \
      delivered is better, more failed is worse, a later finish is worse.

      When either report has replications, a difference inside the 95 % confidence interval \
      of the difference of means is "within noise" (Welch's t). Between two single runs of \
      the same seed every difference is real. A regression no larger than --tolerance, \
      relative to the baseline's value, is "within tolerance". When replications exist but \
      their spread is exactly zero (too few of them to see any noise), a change within 1 % \
      of the baseline is "within noise".

      Both reports must come from the same scenario: the same name, senders and campaigns \
      (parameters, seed and replications may differ). Otherwise compare refuses, exit 2, \
      unless --force is given. A figure that is not a finite number of magnitude at most \
      1e15 is refused as not coming from campaign-sim.

      --figures picks figures by name, comma-separated, * and ? as wildcards; only those are \
      listed, judged and counted for the exit status. --tolerance 2% sets the tolerance of every \
      figure; --tolerance FIGURE=5% (repeatable, FIGURE a name or a glob) sets it for some, the \
      last matching one winning. A --figures or --tolerance pattern that matches no figure is \
      refused (exit 2): a misspelt name must not let a CI gate pass. With one campaign, its \
      figures are the overall ones: each is listed once, under the overall name, and a pattern \
      may use either name.

      For CI (docs/ci.md): --summary-json FILE (or - for stdout, the table then going to stderr) \
      writes each figure's baseline, current value, change and verdict; --junit FILE one JUnit \
      test case per listed figure that has a direction, failing when it regressed; when \
      GITHUB_STEP_SUMMARY is set, the Markdown table is appended to that file (cut to stay under \
      1 MiB). They are written once the verdict is known, regressions or not; a path that \
      cannot be written is exit 2 before the reports are read.

      Exit status: 0 no regression, 1 a regression beyond the tolerance, 2 a file that is \
      not a campaign-sim report.json or an option value that cannot be used.

      Examples:
        campaign-sim compare Reports/baselines/quickstart.json \\
            Reports/quickstart/report.json
        campaign-sim compare old/report.json new/report.json --tolerance 2% \\
            --changes-only
        campaign-sim compare old/report.json new/report.json --format md > compare.md
        campaign-sim compare old.json new.json \\
            --figures 'promo.*_fraction,failed_fraction'
        campaign-sim compare old.json new.json --tolerance 1% \\
            --tolerance dispatches=5%
        campaign-sim compare old.json new.json --junit compare.xml --summary-json -
      """
  )

  @Argument(help: "The baseline report.json.")
  var baseline: String

  @Argument(help: "The current report.json.")
  var current: String

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Largest regression tolerated, relative to the baseline: 2% or 0.02 (default 0); FIGURE=5% for some figures (repeatable).",
      valueName: "[figure=]tolerance"))
  var tolerance: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Only these figures: names or globs, comma-separated ('promo.*_fraction,failed_fraction').",
      valueName: "patterns"))
  var figures: String?

  @Option(name: .long, help: "Output: text, md or json.")
  var format: String = "text"

  @Flag(name: .long, help: "List only the figures that are not the same.")
  var changesOnly = false

  @Flag(name: .long, help: "Compare even if the reports come from different scenarios.")
  var force = false

  @OptionGroup(title: "CI outputs")
  var ci: CIOutputOptions

  func run() throws {
    guard let style = CompareReport.Style(rawValue: format) else {
      throw badOption("--format must be text, md or json, found '\(format)'")
    }
    let tolerances: Tolerances
    switch Tolerances.parse(tolerance) {
    case .success(let parsed): tolerances = parsed
    case .failure(let error): throw badOption(error.message)
    }
    var patterns: [FigurePattern]?
    if let figures {
      switch FigurePattern.parseList(figures) {
      case .success(let parsed): patterns = parsed
      case .failure(let error): throw badOption(error.message)
      }
    }
    try ci.check()
    let tables: (FigureTable, FigureTable)
    do {
      tables = (try Compare.readReport(path: baseline), try Compare.readReport(path: current))
    } catch {
      printError(error.description)
      throw ExitCode(badInput)
    }
    let identities = (Compare.readIdentity(path: baseline), Compare.readIdentity(path: current))
    if identities.0 != identities.1 && !force {
      printError(
        "error: the reports come from different scenarios: \(identities.0?.description ?? "none") in \(baseline), "
          + "\(identities.1?.description ?? "none") in \(current); pass --force to compare them anyway")
      throw ExitCode(badInput)
    }
    let rows: [FigureComparison]
    do {
      rows = try Compare.compare(baseline: tables.0, current: tables.1, figures: patterns, tolerances: tolerances)
    } catch {
      throw badOption(error.message)
    }
    let say = HumanOutput(toStandardError: ci.summaryOnStandardOutput)
    say(
      CompareReport.render(
        rows, style: style, tolerances: tolerances, baseline: baseline, current: current, changesOnly: changesOnly),
      terminator: "")
    let scenario = identities.1?.name ?? identities.0?.name
    try ci.write(
      summary: SummaryJSON.compare(
        rows, scenario: scenario, baseline: (baseline, Compare.readOrigin(path: baseline)),
        current: (current, Compare.readOrigin(path: current)), tolerances: tolerances),
      junit: JUnitReport.compare(rows, scenario: scenario, baseline: baseline, current: current),
      // A job summary is read at a glance: the changed figures, with the counts of the rest.
      markdown: CompareReport.render(
        rows, style: .md, tolerances: tolerances, baseline: baseline, current: current, changesOnly: true),
      whole: "the output of campaign-sim compare --format md")
    if rows.contains(where: { $0.verdict == .regressed }) { throw ExitCode(regressionFound) }
  }
}
