import Analysis
import CampaignModel
import RunPlan
import ScenarioFormat
import SimKernel

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
    let unit = Figures.kind(ofName: figure)?.unit
    let name = ParameterLabel.figure(figure)
    let chart = SweepChart.view(
      plot(
        scenario, id: "sweep", title: name + by(scenario, sweep.axes), axes: sweep.axes, points: sweep.points,
        values: sweep.figures.map { $0[figure]?.mean ?? nil }, lowerBounds: [], unit: unit, yTitle: name,
        full: { Format.figure($0, name: figure) }, missing: Format.figure(nil, name: figure)))
    var header = sweep.axes.map { parameterHead(scenario, $0) }
    header.append(.init(headText: name, headPath: figure, headClass: "num"))
    if !thresholds.isEmpty { header.append(.init(headText: "thresholds", headPath: nil, headClass: "")) }
    let rows = zip(sweep.points, sweep.figures).map { point, table in
      var cells = parameterCells(point)
      cells.append(.init(cellText: TextReport.meanAndInterval(table[figure], name: figure), cellClass: "num"))
      if !thresholds.isEmpty {
        let outcomes = ThresholdCheck.evaluate(thresholds, figures: table)
        cells.append(
          .init(cellText: thresholdCell(outcomes), cellClass: outcomes.allSatisfy(\.passed) ? "good" : "bad"))
      }
      return SweepPage.Row(cells: cells)
    }
    let replicated = (sweep.figures.first?.replications ?? 1) > 1
    return render(
      SweepPage(
        pageTitle: "Sweep: \(scenario.name)", heading: scenario.name, kind: "parameter sweep",
        facts: facts(scenario, points: sweep.points.count, runs: sweep.runs),
        intro: [
          "Every point runs with the scenario's seed (common random numbers), so points differ by the parameters only."
            + (replicated ? " Values are means over the replications, ± the 95 % confidence half-width." : "")
        ],
        chart: chart, paths: paths(sweep.axes, figure: figure), header: header, rows: rows,
        tableNote: thresholds.isEmpty
          ? nil : "✓: every threshold of the scenario file holds there; ✗: the figures that fail."))
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
    let name =
      "max "
      + ParameterLabel.text(parameter, senders: scenario.senders.map(\.id), campaigns: scenario.campaigns.map(\.id))
    let chart = SweepChart.view(
      plot(
        scenario, id: "capacity", title: name + by(scenario, capacity.axes), axes: capacity.axes,
        points: capacity.answers.map(\.point), values: capacity.answers.map { $0.value.map(Double.init) },
        lowerBounds: capacity.answers.map { $0.status == .atLeast }, unit: .count, yTitle: name,
        full: { Format.count(rounding: $0) }, missing: "none"))
    let header =
      capacity.axes.map { parameterHead(scenario, $0) } + [
        .init(headText: name, headPath: parameter, headClass: "num"),
        .init(headText: "first failing", headPath: nil, headClass: "num"),
        .init(headText: "fails there", headPath: nil, headClass: ""),
        .init(headText: ParameterLabel.figure(figure), headPath: figure, headClass: "num"),
        .init(headText: "probes", headPath: nil, headClass: "num"),
      ]
    let rows = capacity.answers.map { answer in
      SweepPage.Row(
        cells: parameterCells(answer.point) + [
          .init(cellText: maxText(answer), cellClass: maxClass(answer)),
          .init(cellText: answer.firstFailing.map { Format.count($0) } ?? "-", cellClass: "num"),
          .init(
            cellText: answer.failedConditions.isEmpty
              ? "-" : answer.failedConditions.map(Conditions.text).joined(separator: ", "),
            cellClass: "wrap"),
          .init(cellText: TextReport.meanAndInterval(answer.figures[figure], name: figure), cellClass: "num"),
          .init(cellText: String(answer.probes.count), cellClass: "num"),
        ])
    }
    return render(
      SweepPage(
        pageTitle: "Capacity: \(scenario.name)", heading: scenario.name, kind: "capacity search",
        facts: facts(scenario, points: capacity.answers.count, runs: capacity.runs),
        intro: capacityIntro(capacity, scenario: scenario).replacingOccurrences(of: "`", with: "")
          .split(separator: "\n", omittingEmptySubsequences: true).dropFirst().map(String.init),
        chart: chart, paths: paths(capacity.axes, figure: figure, maximised: parameter), header: header, rows: rows,
        tableNote: nil))
  }

  /// `4,210`, `≥ 40,000`: grouped like the table's other counts.
  static func maxText(_ answer: CapacityAnswer) -> String {
    guard let value = answer.value else { return maxCell(answer) }
    return (answer.status == .atLeast ? "≥ " : "") + Format.count(value)
  }

  /// A plain answer reads plain; a lower bound is amber (more may pass), no answer red.
  static func maxClass(_ answer: CapacityAnswer) -> String {
    switch answer.status {
    case .found: "num"
    case .atLeast: "num partial"
    case .none: "num bad"
    }
  }

  // MARK: Shared

  /// The sweep page's fields for the `sweep` template.
  struct SweepPage {
    struct Head {
      var headText: String
      /// The raw path or figure name, as a tooltip: what `--vary` and `--figure` take.
      var headPath: String?
      var headClass: String
    }

    struct Cell {
      var cellText: String
      var cellClass: String
    }

    struct Row {
      var cells: [Cell]
    }

    struct PathItem {
      var pathRole: String
      var pathText: String
    }

    var pageTitle: String
    var heading: String
    var kind: String
    var facts: [HTMLReport.Fact]
    var intro: [String]
    var chart: ChartView
    var paths: [PathItem]
    var header: [Head]
    var rows: [Row]
    var tableNote: String?
  }

  static func render(_ page: SweepPage) -> String {
    HTMLReport.library.getTemplate(named: "sweep")!.render(page, library: HTMLReport.library)
  }

  static func facts(_ scenario: Scenario, points: Int, runs: Int) -> [HTMLReport.Fact] {
    [
      .init(factName: "seed", factValue: "\(scenario.seed) at every point"),
      .init(factName: "points", factValue: Format.count(points)),
      .init(factName: "runs", factValue: Format.count(runs)),
    ]
  }

  /// Y, x and line parameters by their paths: the names the command line and the scenario file use.
  static func paths(_ axes: [SweepAxis], figure: String, maximised: String? = nil) -> [SweepPage.PathItem] {
    var items: [SweepPage.PathItem] = []
    if let maximised { items.append(.init(pathRole: "maximised", pathText: maximised)) }
    items.append(.init(pathRole: "figure", pathText: figure))
    if let first = axes.first { items.append(.init(pathRole: "x axis", pathText: first.path)) }
    for axis in axes.dropFirst() { items.append(.init(pathRole: "series", pathText: axis.path)) }
    return items
  }

  /// ` by pacing`: the chart's title names its first parameter.
  static func by(_ scenario: Scenario, _ axes: [SweepAxis]) -> String {
    guard let first = axes.first else { return "" }
    return " by "
      + ParameterLabel.text(first.path, senders: scenario.senders.map(\.id), campaigns: scenario.campaigns.map(\.id))
  }

  /// Numbers align right under a right-aligned head, words left.
  static func parameterHead(_ scenario: Scenario, _ axis: SweepAxis) -> SweepPage.Head {
    .init(
      headText: ParameterLabel.text(
        axis.path, senders: scenario.senders.map(\.id), campaigns: scenario.campaigns.map(\.id)),
      headPath: axis.path, headClass: axis.values.allSatisfy { $0.number != nil } ? "num" : "")
  }

  /// Whole numbers grouped (`100,000`) as the answers beside them are; the rest as written.
  static func parameterCells(_ point: SweepPoint) -> [SweepPage.Cell] {
    point.values.map { value in
      guard case .int(let whole) = value else {
        return .init(cellText: value.description, cellClass: value.number == nil ? "" : "num")
      }
      return .init(cellText: Format.count(whole), cellClass: "num")
    }
  }

  static func plot(
    _ scenario: Scenario, id: String, title: String, axes: [SweepAxis], points: [SweepPoint], values: [Double?],
    lowerBounds: [Bool], unit: FigureUnit?, yTitle: String, full: @escaping (Double) -> String, missing: String
  ) -> SweepChart.Plot {
    let quantity = SweepChart.quantity(unit)
    let short: (Double) -> String = { value in
      switch quantity {
      case .seconds: Format.human(SimTime((value * 1e6).rounded()))
      case .fraction: Format.percent(fraction: value, decimals: 1)
      case .count: unit == .ratio ? Ticks.decimal(value, 3) : Format.count(rounding: value)
      }
    }
    var summary = "\(yTitle) at each of the \(values.count) point(s)"
    if let first = axes.first {
      summary += SweepChart.numericValues(first) == nil ? ", grouped by " : ", against "
      summary += ParameterLabel.text(
        first.path, senders: scenario.senders.map(\.id), campaigns: scenario.campaigns.map(\.id))
    }
    return SweepChart.Plot(
      id: id, title: title, summary: summary + ".", axes: axes, points: points, values: values,
      lowerBounds: lowerBounds, quantity: quantity, yTitle: yTitle, full: full, short: short, missing: missing,
      senders: scenario.senders.map(\.id), campaigns: scenario.campaigns.map(\.id))
  }

  static func csvNumber(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "" }
    return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
  }
}
