import Analysis
import CampaignModel
import RunPlan
import ScenarioFormat

/// `campaign-sim compare`'s table, as text, Markdown or JSON.
public enum CompareReport {
  public enum Style: String, CaseIterable, Sendable { case text, md, json }

  static func cell(_ statistics: FigureStatistics?, _ value: Double?, name: String) -> String {
    guard let statistics else { return "-" }
    guard let value, value.isFinite else { return Format.figure(value, name: name) }
    return TextReport.meanAndInterval(statistics, name: name)
  }

  static func changeCell(_ row: FigureComparison) -> String {
    if row.baselineValue == row.currentValue { return "" }
    guard let change = row.change else {
      if row.currentValue == .infinity { return "→ never" }
      if row.baselineValue == .infinity { return "now finishes" }
      return ""
    }
    var text = Format.figureChange(change, name: row.name)
    if let relative = row.relativeChange { text += " (\(Format.relativeChange(relative)))" }
    return text
  }

  static func counts(_ rows: [FigureComparison]) -> String {
    Verdict.allCases.compactMap { verdict in
      let n = rows.filter { $0.verdict == verdict }.count
      return n > 0 ? "\(n) \(verdict.rawValue)" : nil
    }.joined(separator: ", ")
  }

  /// `2%`, or `0%, dispatches 5%` with per-figure tolerances, in the order they apply.
  public static func toleranceText(_ tolerances: Tolerances) -> String {
    ([Format.tolerance(tolerances.defaultValue)]
      + tolerances.overrides.map { "\($0.pattern) \(Format.tolerance($0.value))" }).joined(separator: ", ")
  }

  /// The sentence saying that one campaign's figures are listed under the overall names.
  static func aliasNote(_ rows: [FigureComparison]) -> String? {
    guard let alias = rows.lazy.flatMap(\.aliases).first, let dot = alias.lastIndex(of: ".") else { return nil }
    let campaign = alias[..<dot]
    return "one campaign, \(campaign): its figures are the overall ones, listed once (\(campaign).X is X)"
  }

  public static func render(
    _ rows: [FigureComparison], style: Style, tolerances: Tolerances, baseline: String, current: String,
    changesOnly: Bool
  ) -> String {
    let shown = changesOnly ? rows.filter { $0.verdict != .same } : rows
    let regressions = rows.filter { $0.verdict == .regressed }
    let nothing = changesOnly && shown.isEmpty
    switch style {
    case .json:
      return json(shown, tolerances: tolerances, baseline: baseline, current: current, regressions: regressions.count)
    case .md:
      var out = "# Compare\n\nBaseline `\(baseline)`, current `\(current)`, tolerance "
      out += "\(toleranceText(tolerances)): \(counts(rows)).\n\n"
      if let note = aliasNote(rows) { out += "The " + note + ".\n\n" }
      if nothing { return out + "No changes: the \(rows.count) figures compared are the same.\n" }
      out += TextReport.markdownTable(
        header: ["figure", "baseline", "current", "change", "verdict"],
        rows: shown.map { row in
          [
            "`\(row.name)`", cell(row.baseline, row.baselineValue, name: row.name),
            cell(row.current, row.currentValue, name: row.name), changeCell(row),
            row.verdict == .regressed ? "**regressed**" : row.verdict.rawValue,
          ]
        })
      return out
    case .text:
      if nothing { return "no changes: the \(rows.count) figures compared are the same\n" }
      var out = TextReport.table(
        header: ["figure", "baseline", "current", "change", "verdict"],
        rows: shown.map { row in
          [
            row.name, cell(row.baseline, row.baselineValue, name: row.name),
            cell(row.current, row.currentValue, name: row.name), changeCell(row), row.verdict.rawValue,
          ]
        })
      out += "\n\(rows.count) figures: \(counts(rows)) (tolerance \(toleranceText(tolerances)))\n"
      if let note = aliasNote(rows) { out += note + "\n" }
      if !regressions.isEmpty {
        out += "regressed: " + regressions.map(\.name).joined(separator: ", ") + "\n"
      }
      return out
    }
  }

  /// `{"default": 0.02, "figures": [{"pattern": "dispatches", "tolerance": 0.05}]}`.
  static func tolerancesDocument(_ tolerances: Tolerances) -> Document {
    .object([
      ("default", .double(tolerances.defaultValue)),
      (
        "figures",
        .array(
          tolerances.overrides.map {
            .object([("pattern", .string($0.pattern.text)), ("tolerance", .double($0.value))])
          })
      ),
    ])
  }

  static func json(
    _ rows: [FigureComparison], tolerances: Tolerances, baseline: String, current: String, regressions: Int
  ) -> String {
    func side(_ s: FigureStatistics?) -> Document {
      guard let s else { return .null }
      return .object([
        ("mean", JSONReport.number(s.mean)),
        ("sd", JSONReport.number(s.sd)),
        ("ci95", s.ciLow.map { .array([.double($0), JSONReport.number(s.ciHigh)]) } ?? .null),
        ("replications", .int(s.count)),
      ])
    }
    var fields: [(String, Document)] = [
      ("baseline", .string(baseline)),
      ("current", .string(current)),
      ("tolerance", .double(tolerances.defaultValue)),
    ]
    if !tolerances.overrides.isEmpty { fields.append(("tolerances", tolerancesDocument(tolerances))) }
    fields += [
      ("regressions", .int(regressions)),
      (
        "figures",
        .array(
          rows.map { row in
            .object([
              ("figure", .string(row.name)),
              ("also", .array(row.aliases.map(Document.string))),
              ("direction", .string(Figures.kind(ofName: row.name)?.direction.rawValue ?? "neutral")),
              ("baseline", side(row.baseline)),
              ("current", side(row.current)),
              ("change", JSONReport.number(row.change)),
              ("relative_change", JSONReport.number(row.relativeChange)),
              ("tolerance", .double(row.tolerance)),
              ("verdict", .string(row.verdict.rawValue)),
            ])
          })
      ),
    ]
    return Document.object(fields).json()
  }
}
