import Analysis
import ArgumentParser
import Reporting

struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare the figures of two report.json files and flag regressions.",
    discussion: """
      Every figure of both reports is listed with both values, the change and a verdict:
      improved, regressed, within noise, within tolerance, changed (a figure with no better
      direction, or one that became undefined), same. Each figure has a direction: more
      delivered is better, more failed is worse, a later finish is worse.

      When either report has replications, a difference inside the 95 % confidence interval
      of the difference of means is "within noise" (Welch's t). Between two single runs of
      the same seed every difference is real. A regression no larger than --tolerance,
      relative to the baseline's value, is "within tolerance". When replications exist but
      their spread is exactly zero (too few of them to see any noise), a change within 1 %
      of the baseline is "within noise".

      Both reports must come from the same scenario: the same name, senders and campaigns
      (parameters, seed and replications may differ). Otherwise compare refuses, exit 2,
      unless --force is given. A figure that is not a finite number of magnitude at most
      1e15 is refused as not coming from campaign-sim.

      Exit status: 0 no regression, 1 a regression beyond the tolerance, 2 a file that is
      not a campaign-sim report.json.

      Examples:
        campaign-sim compare Reports/baselines/quickstart.json Reports/quickstart/report.json
        campaign-sim compare old/report.json new/report.json --tolerance 2% --changes-only
        campaign-sim compare old/report.json new/report.json --format md > compare.md
      """
  )

  @Argument(help: "The baseline report.json.")
  var baseline: String

  @Argument(help: "The current report.json.")
  var current: String

  @Option(name: .long, help: "Largest regression tolerated, relative to the baseline: 2% or 0.02 (default 0).")
  var tolerance: String = "0"

  @Option(name: .long, help: "Output: text, md or json.")
  var format: String = "text"

  @Flag(name: .long, help: "List only the figures that are not the same.")
  var changesOnly = false

  @Flag(name: .long, help: "Compare even if the reports come from different scenarios.")
  var force = false

  func run() throws {
    guard let style = CompareReport.Style(rawValue: format) else {
      throw badOption("--format must be text, md or json, found '\(format)'")
    }
    let tolerance = try parseTolerance(self.tolerance)
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
    let rows = Compare.compare(baseline: tables.0, current: tables.1, tolerance: tolerance)
    print(
      CompareReport.render(
        rows, style: style, tolerances: Tolerances(default: tolerance), baseline: baseline, current: current,
        changesOnly: changesOnly),
      terminator: "")
    if rows.contains(where: { $0.verdict == .regressed }) { throw ExitCode(regressionFound) }
  }

  func parseTolerance(_ text: String) throws -> Double {
    let percent = text.hasSuffix("%")
    guard let number = Double(percent ? String(text.dropLast()) : text), number.isFinite, number >= 0 else {
      throw badOption("--tolerance must be a percentage like 2% or a fraction like 0.02, found '\(text)'")
    }
    return percent ? number / 100 : number
  }
}
