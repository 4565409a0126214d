import Analysis
import CampaignModel
import RunPlan
import ScenarioFormat

/// sweep.csv, sweep.md and sweep.html of a sweep, or of a capacity search (`--find-max`).
public enum SweepReport {
  // MARK: Grid sweeps

  /// One row per point: the varied parameters, then every figure (the mean over the
  /// replications); with replications also the chosen figure's sd and 95 % interval.
  public static func csv(_ sweep: SweepResult, figure: String) -> String {
    let names = sweep.figures.first?.names ?? []
    let replicated = (sweep.figures.first?.replications ?? 1) > 1
    var header = sweep.axes.map(\.path) + names
    if replicated { header += ["\(figure) sd", "\(figure) ci95_low", "\(figure) ci95_high"] }
    var out = CSV.row(header)
    for (point, table) in zip(sweep.points, sweep.figures) {
      var cells = point.values.map(\.description) + table.statistics.map { csvNumber($0.mean) }
      if replicated {
        let s = table[figure]
        cells += [csvNumber(s?.sd), csvNumber(s?.ciLow), csvNumber(s?.ciHigh)]
      }
      out += CSV.row(cells)
    }
    return out
  }

  static func rows(_ sweep: SweepResult, thresholds: [Threshold], figure: String) -> (
    header: [String], rows: [[String]]
  ) {
    var header = sweep.axes.map(\.path) + [figure]
    if !thresholds.isEmpty { header.append("thresholds") }
    let rows = zip(sweep.points, sweep.figures).map { point, table in
      var row = point.values.map(\.description) + [TextReport.meanAndInterval(table[figure], name: figure)]
      if !thresholds.isEmpty {
        row.append(thresholdCell(ThresholdCheck.evaluate(thresholds, figures: table)))
      }
      return row
    }
    return (header, rows)
  }

  static func thresholdCell(_ outcomes: [ThresholdOutcome]) -> String {
    let failed = outcomes.filter { !$0.passed }
    return failed.isEmpty ? "✓" : "✗ " + failed.map(\.threshold.figure).joined(separator: ", ")
  }

  /// `thresholds` (the scenario file's) are checked at every point.
  public static func summary(
    _ sweep: SweepResult, scenario: Scenario, thresholds: [Threshold] = [], figure: String
  ) -> String {
    let (header, rows) = rows(sweep, thresholds: thresholds, figure: figure)
    return TextReport.table(header: header, rows: rows)
  }

  /// `thresholds` (the scenario file's) are checked at every point.
  public static func markdown(
    _ sweep: SweepResult, scenario: Scenario, thresholds: [Threshold] = [], figure: String
  ) -> String {
    var out = "# Sweep: \(scenario.name)\n\n"
    out += intro(scenario, points: sweep.points.count, runs: sweep.runs)
    out += "`\(figure)` at every point"
    out += (sweep.figures.first?.replications ?? 1) > 1 ? " (mean ± 95 % confidence half-width):\n\n" : ":\n\n"
    let (header, rows) = rows(sweep, thresholds: thresholds, figure: figure)
    out += TextReport.markdownTable(header: header.map { "`\($0)`" }, rows: rows)
    out += "\nEvery figure of every point is in sweep.csv.\n"
    return out
  }

  /// `thresholds` (the scenario file's) are checked at every point.
  public static func html(
    _ sweep: SweepResult, scenario: Scenario, thresholds: [Threshold] = [], figure: String
  ) -> String {
    let chart = lineChart(
      title: "\(figure) — \(scenario.name)", axes: sweep.axes, points: sweep.points, yLabel: figure,
      value: { sweep.figures[$0][figure]?.mean ?? nil }, format: { Format.figure($0, name: figure) },
      timeAxis: Figures.kind(ofName: figure)?.unit == .seconds)
    let (header, rows) = rows(sweep, thresholds: thresholds, figure: figure)
    return page(
      title: "Sweep: \(scenario.name)", intro: intro(scenario, points: sweep.points.count, runs: sweep.runs),
      chart: chart, header: header, rows: rows)
  }

  static func intro(_ scenario: Scenario, points: Int, runs: Int) -> String {
    "Seed \(scenario.seed) at every point (common random numbers), \(points) point(s), \(runs) run(s).\n\n"
  }

  // MARK: Capacity searches

  static func capacityRows(_ capacity: CapacityResult, figure: String) -> (header: [String], rows: [[String]]) {
    let parameter = capacity.search.parameter
    let header = capacity.axes.map(\.path) + ["max \(parameter)", "first failing", "fails there", figure, "probes"]
    let rows = capacity.answers.map { answer in
      answer.point.values.map(\.description) + [
        maxCell(answer), answer.firstFailing.map(String.init) ?? "-",
        answer.failedConditions.isEmpty ? "-" : answer.failedConditions.map(Conditions.text).joined(separator: ", "),
        TextReport.meanAndInterval(answer.figures[figure], name: figure), String(answer.probes.count),
      ]
    }
    return (header, rows)
  }

  static func maxCell(_ answer: CapacityAnswer) -> String {
    switch answer.status {
    case .found: return String(answer.value!)
    case .none: return "none ≥ \(answer.probes.first?.value ?? 0)"
    case .atLeast: return "≥ \(answer.value!)"
    }
  }

  public static func csv(_ capacity: CapacityResult, figure: String) -> String {
    var out = CSV.row(
      capacity.axes.map(\.path) + [
        "max \(capacity.search.parameter)", "status", "first failing", "fails there", figure, "probes",
      ])
    for answer in capacity.answers {
      out += CSV.row(
        answer.point.values.map(\.description) + [
          answer.value.map(String.init) ?? "", answer.status.rawValue, answer.firstFailing.map(String.init) ?? "",
          answer.failedConditions.map(Conditions.text).joined(separator: " and "),
          csvNumber(answer.figures[figure]?.mean ?? nil), String(answer.probes.count),
        ])
    }
    return out
  }

  public static func summary(_ capacity: CapacityResult, figure: String) -> String {
    let (header, rows) = capacityRows(capacity, figure: figure)
    return "largest \(capacity.search.parameter) with \(Conditions.text(capacity.search.until))\n\n"
      + TextReport.table(header: header, rows: rows)
  }

  static func capacityIntro(_ capacity: CapacityResult, scenario: Scenario) -> String {
    let search = capacity.search
    var out = intro(scenario, points: capacity.answers.count, runs: capacity.runs)
    out += "Largest `\(search.parameter)` (from \(search.low)"
    out += search.high.map { " up to \($0)" } ?? ", doubled until a value fails"
    out += ") such that `\(Conditions.text(search.until))`"
    out += search.until.contains(where: \.strict) ? " over the whole 95 % confidence interval" : ""
    out += ", by bisection at each point. Bisection assumes monotonicity: if a value meets the "
    out += "conditions, every smaller one does too. \"first failing\" is the smallest value seen to fail, "
    out += "and \"fails there\" the conditions it failed: the binding constraint.\n\n"
    return out
  }

  public static func markdown(_ capacity: CapacityResult, scenario: Scenario, figure: String) -> String {
    var out = "# Capacity: \(scenario.name)\n\n" + capacityIntro(capacity, scenario: scenario)
    let (header, rows) = capacityRows(capacity, figure: figure)
    out += TextReport.markdownTable(header: header.map { "`\($0)`" }, rows: rows)
    return out
  }

  public static func html(_ capacity: CapacityResult, scenario: Scenario, figure: String) -> String {
    let parameter = capacity.search.parameter
    let chart = lineChart(
      title: "max \(parameter) — \(scenario.name)", axes: capacity.axes, points: capacity.answers.map(\.point),
      yLabel: "max \(parameter)", value: { capacity.answers[$0].value.map(Double.init) },
      format: { Format.figure($0, name: "messages") }, timeAxis: false)
    let (header, rows) = capacityRows(capacity, figure: figure)
    return page(
      title: "Capacity: \(scenario.name)", intro: capacityIntro(capacity, scenario: scenario), chart: chart,
      header: header, rows: rows)
  }

  // MARK: Shared

  /// x: the first varied parameter; one line per combination of the others.
  static func lineChart(
    title: String, axes: [SweepAxis], points: [SweepPoint], yLabel: String, value: (Int) -> Double?,
    format: @escaping (Double) -> String, timeAxis: Bool
  ) -> String {
    guard let first = axes.first else {
      var chart = SVGChart(
        title: title, xLabel: "", yLabel: yLabel, xLabels: ["(one point)"], xValues: nil,
        series: [SVGChart.Series(name: "", values: [value(0)])], formatY: format)
      chart.timeAxis = timeAxis
      return chart.render()
    }
    // Points are in grid order, first axis slowest: point p has x index p / stride.
    let stride = points.count / first.values.count
    var series: [SVGChart.Series] = []
    for line in 0..<stride {
      let name = axes.dropFirst().enumerated().map { k, axis in
        "\(axis.path.split(separator: ".").last ?? "")=\(points[line].values[k + 1])"
      }.joined(separator: ", ")
      series.append(SVGChart.Series(name: name, values: first.values.indices.map { value($0 * stride + line) }))
    }
    let numbers = first.values.compactMap(\.number)
    var chart = SVGChart(
      title: title, xLabel: first.path, yLabel: yLabel, xLabels: first.values.map(\.description),
      xValues: numbers.count == first.values.count ? numbers : nil, series: series, formatY: format)
    chart.timeAxis = timeAxis
    return chart.render()
  }

  static func page(title: String, intro: String, chart: String, header: [String], rows: [[String]]) -> String {
    var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    out += "<title>\(escape(title))</title>\n<style>\n"
    out += "body { font-family: sans-serif; margin: 2em; color: #222; }\n"
    out += "table { border-collapse: collapse; margin-top: 1em; }\n"
    out += "th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: right; }\n"
    out += "th { background: #f3f3f3; } code { font-size: 90%; } .wide { overflow-x: auto; }\n"
    out += "</style>\n</head>\n<body>\n"
    out += "<h1>\(escape(title))</h1>\n<p>\(escape(intro.replacingOccurrences(of: "`", with: "")))</p>\n"
    out += chart
    out += "<div class=\"wide\">\n<table>\n<tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
    for row in rows { out += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
    out += "</table>\n</div>\n</body>\n</html>\n"
    return out
  }

  static func csvNumber(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "" }
    return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
  }
}
