import Analysis
import CampaignModel
import RunPlan
import ScenarioFormat

/// `--junit` of `run` and `compare`: JUnit XML as GitLab's and GitHub's test reporters read it
/// (`testsuites` › `testsuite` › `testcase`, a `failure` child for a failing case). Times are
/// zero: the cases are checks of numbers, and wall time would make the file differ run to run.
public enum JUnitReport {
  /// One case per threshold, failing when the threshold failed. A scenario without thresholds
  /// gives an empty suite: nothing was checked, and saying so is better than a made-up case.
  public static func run(scenario: String, seed: UInt64, replications: Int, outcomes: [ThresholdOutcome]) -> String {
    let cases = outcomes.map { outcome in
      let observed = TextReport.observedText(outcome)
      let condition = Conditions.conditionText(outcome.threshold) + (outcome.threshold.strict ? " (strict)" : "")
      return Case(
        classname: "\(scenario).thresholds", name: Conditions.text(outcome.threshold),
        failure: outcome.passed ? nil : "\(outcome.threshold.figure) is \(observed), expected \(condition)",
        output: "observed \(observed)")
    }
    return document(
      name: "campaign-sim run \(scenario)", cases: cases,
      properties: [("seed", String(seed)), ("replications", String(replications))])
  }

  /// One case per listed figure that has a better direction (a neutral one can never regress,
  /// so it tests nothing), failing when it regressed beyond its tolerance.
  public static func compare(_ rows: [FigureComparison], scenario: String?, baseline: String, current: String)
    -> String
  {
    let suite = scenario ?? "compare"
    let cases = rows.filter { (Figures.kind(ofName: $0.name)?.direction ?? .neutral) != .neutral }.map { row in
      let old = CompareReport.cell(row.baseline, row.baselineValue, name: row.name)
      let new = CompareReport.cell(row.current, row.currentValue, name: row.name)
      let change = CompareReport.changeCell(row)
      var story = "\(old) → \(new)"
      if !change.isEmpty { story += ", \(change)" }
      story += ": \(row.verdict.rawValue) (tolerance \(Format.tolerance(row.tolerance)))"
      return Case(
        classname: "\(suite).\(row.campaign ?? "overall")", name: row.name,
        failure: row.verdict == .regressed ? "\(row.name) regressed: \(story)" : nil, output: story)
    }
    return document(
      name: "campaign-sim compare \(suite)", cases: cases, properties: [("baseline", baseline), ("current", current)])
  }

  struct Case {
    let classname: String
    let name: String
    let failure: String?
    let output: String
  }

  static func document(name: String, cases: [Case], properties: [(String, String)]) -> String {
    let failures = cases.filter { $0.failure != nil }.count
    let counts = "tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\""
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    out += "<testsuites name=\"\(attribute(name))\" \(counts) time=\"0\">\n"
    out += "  <testsuite name=\"\(attribute(name))\" \(counts) skipped=\"0\" time=\"0\">\n"
    if !properties.isEmpty {
      out += "    <properties>\n"
      for (key, value) in properties {
        out += "      <property name=\"\(attribute(key))\" value=\"\(attribute(value))\"/>\n"
      }
      out += "    </properties>\n"
    }
    for item in cases {
      out += "    <testcase classname=\"\(attribute(item.classname))\" name=\"\(attribute(item.name))\" time=\"0\">\n"
      if let failure = item.failure {
        out += "      <failure message=\"\(attribute(failure))\" type=\"failure\">\(text(failure))</failure>\n"
      }
      out += "      <system-out>\(text(item.output))</system-out>\n"
      out += "    </testcase>\n"
    }
    out += "  </testsuite>\n</testsuites>\n"
    return out
  }

  /// Character data: the markup characters as entities, and what XML 1.0 cannot hold at all
  /// (control characters other than tab and line ends, U+FFFE, U+FFFF) as U+FFFD, since not even
  /// a character reference may name them.
  static func text(_ string: String) -> String {
    var out = ""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      // A raw CR would be read back as a line feed.
      case "\r": out += "&#13;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      case let c where c.value < 0x20 || c.value == 0xFFFE || c.value == 0xFFFF: out += "\u{FFFD}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// An attribute value in double quotes: also the quotes, and tab and line ends as references,
  /// which a parser would otherwise normalise to spaces.
  static func attribute(_ string: String) -> String {
    var out = ""
    for scalar in text(string).unicodeScalars {
      switch scalar {
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\t": out += "&#9;"
      case "\n": out += "&#10;"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
