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
    if let relative = row.relativeChange { text += " (\(relative >= 0 ? "+" : "")\(Format.fixed(relative * 100, 2))%)" }
    return text
  }

  static func counts(_ rows: [FigureComparison]) -> String {
    Verdict.allCases.compactMap { verdict in
      let n = rows.filter { $0.verdict == verdict }.count
      return n > 0 ? "\(n) \(verdict.rawValue)" : nil
    }.joined(separator: ", ")
  }

  public static func render(
    _ rows: [FigureComparison], style: Style, tolerance: Double, baseline: String, current: String, changesOnly: Bool
  ) -> String {
    let shown = changesOnly ? rows.filter { $0.verdict != .same } : rows
    let regressions = rows.filter { $0.verdict == .regressed }
    switch style {
    case .json:
      return json(shown, tolerance: tolerance, baseline: baseline, current: current, regressions: regressions.count)
    case .md:
      var out = "# Compare\n\nBaseline `\(baseline)`, current `\(current)`, tolerance "
      out += "\(Format.fixed(tolerance * 100, 2))%: \(counts(rows)).\n\n"
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
      var out = TextReport.table(
        header: ["figure", "baseline", "current", "change", "verdict"],
        rows: shown.map { row in
          [
            row.name, cell(row.baseline, row.baselineValue, name: row.name),
            cell(row.current, row.currentValue, name: row.name), changeCell(row), row.verdict.rawValue,
          ]
        })
      out += "\n\(rows.count) figures: \(counts(rows)) (tolerance \(Format.fixed(tolerance * 100, 2))%)\n"
      if !regressions.isEmpty {
        out += "regressed: " + regressions.map(\.name).joined(separator: ", ") + "\n"
      }
      return out
    }
  }

  static func json(_ rows: [FigureComparison], tolerance: Double, baseline: String, current: String, regressions: Int)
    -> String
  {
    func side(_ s: FigureStatistics?) -> Document {
      guard let s else { return .null }
      return .object([
        ("mean", JSONReport.number(s.mean)),
        ("sd", JSONReport.number(s.sd)),
        ("ci95", s.ciLow.map { .array([.double($0), JSONReport.number(s.ciHigh)]) } ?? .null),
        ("replications", .int(s.count)),
      ])
    }
    let document = Document.object([
      ("baseline", .string(baseline)),
      ("current", .string(current)),
      ("tolerance", .double(tolerance)),
      ("regressions", .int(regressions)),
      (
        "figures",
        .array(
          rows.map { row in
            .object([
              ("figure", .string(row.name)),
              ("direction", .string(Figures.kind(ofName: row.name)?.direction.rawValue ?? "neutral")),
              ("baseline", side(row.baseline)),
              ("current", side(row.current)),
              ("change", JSONReport.number(row.change)),
              ("relative_change", JSONReport.number(row.relativeChange)),
              ("verdict", .string(row.verdict.rawValue)),
            ])
          })
      ),
    ])
    return document.json()
  }
}
