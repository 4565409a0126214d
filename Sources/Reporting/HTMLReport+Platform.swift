import CampaignModel
import SimKernel

/// report.html's account of MODEL.md §9, only for scenarios that use it: the limit in force as a
/// step line with each upgrade labelled, a quality strip, throughput upgrades on the throughput
/// chart. With replications these follow replication 0 (each run scales at its own moments),
/// and a note says so.
extension HTMLReport {
  static let limitStepColour = Palette.limitBand

  /// The rolling window in words: `24 h` as v1 reports say it, else `2d`, `12h`.
  static func windowText(_ scenario: Scenario) -> String {
    scenario.limitWindow == Time.day ? "24 h" : Format.human(scenario.limitWindow)
  }

  /// The largest finite limit in force during the run, for the chart's scale (v1: the limit).
  static func largestFiniteLimit(_ result: RunResult) -> Int {
    ([result.scenario.messagingLimit] + result.limitChanges.map(\.to)).compactMap { $0 }.max() ?? 0
  }

  static func limitLabel(_ limit: Int?) -> String { limit.map { Ticks.compact(Double($0)) } ?? "unlimited" }

  /// The limit in force drawn behind the data as a staircase; each upgrade a labelled marker
  /// (`2K → 10K at 18h`). An upgrade to unlimited climbs off the top of the plot.
  static func limitSteps(
    _ view: inout ChartView, _ results: [RunResult], rows: [Int], frame: PlotFrame, x: LinearScale, y: some ChartScale,
    end: Double
  ) {
    let first = results[0]
    var points: [Point] = []
    var current = first.scenario.messagingLimit
    if let current { points.append(Point(x: x(0), y: y(Double(current)))) }
    for (index, change) in first.limitChanges.enumerated() {
      let at = Format.seconds(change.at)
      guard at <= end else { break }
      if let current { points.append(Point(x: x(at), y: y(Double(current)))) }
      points.append(Point(x: x(at), y: change.to.map { y(Double($0)) } ?? frame.top))
      current = change.to
      view.rules.append(
        moment(at, text: upgradeLabel(change), kind: "limit", row: rows[index], frame: frame, x: x))
    }
    if let current { points.append(Point(x: x(end), y: y(Double(current)))) }
    view.backLines.append(
      .init(
        linePath: SVGPath.line(points), stroke: limitStepColour, dash: "none", strokeWidth: "7",
        lineName: "messaging limit in force"))
    let final = first.finalLimit.map { Format.count($0) } ?? "unlimited"
    view.notes.append(
      "Thick line: the limit in force, raised by automatic scaling "
        + "(\(first.limitChanges.count) upgrade\(first.limitChanges.count == 1 ? "" : "s"), final limit \(final))"
        + (results.count > 1 ? "; replication 0's upgrades." : "."))
  }

  static func upgradeLabel(_ change: LimitChange) -> String {
    "\(limitLabel(change.from)) → \(limitLabel(change.to)) at \(Format.human(change.at))"
  }

  /// A caption row for each upgrade's label, so that no label is crossed by another marker's
  /// line (which rises to its own row): a label spanning another marker sits in a row above that
  /// marker's. Labels are about 7 px a character; the x scale is the limit chart's, whose left and
  /// right never move. At most four rows; a tighter cluster may overlap.
  static func limitLabelRows(_ result: RunResult, end: Double) -> [Int] {
    let x = LinearScale(low: 0, high: end, from: 72, to: fullWidth - 72)
    let right = fullWidth - 72
    let xs = result.limitChanges.map { x(Format.seconds($0.at)) }
    // As `moment` places a label: right of its line, or left of it in the last quarter.
    let spans = result.limitChanges.indices.map { i in
      let width = Double(upgradeLabel(result.limitChanges[i]).count) * 7 + 4
      return xs[i] > 72 + (right - 72) * 0.75 ? (xs[i] - width)...xs[i] : xs[i]...(xs[i] + width)
    }
    var rows = Array(repeating: 0, count: xs.count)
    for _ in 0..<4 {
      for a in xs.indices {
        for b in xs.indices where a != b && spans[a].contains(xs[b]) {
          rows[a] = min(3, max(rows[a], rows[b] + 1))
        }
      }
    }
    return rows
  }

  // MARK: quality

  static func qualityFill(_ quality: Quality) -> String {
    switch quality {
    case .high: "#b8e0d2"
    case .medium: "#f3c97a"
    case .low: "#e58c5f"
    }
  }

  /// A strip of the quality rating over time (MODEL.md §9.2), with the words on the strip so
  /// the colours need not be told apart; `nil` when the scenario tracks no quality.
  static func qualityChart(_ results: [RunResult], _ set: SeriesSet, id: String) -> ChartView? {
    let first = results[0]
    guard !first.qualityChanges.isEmpty else { return nil }
    // No captions above a strip: a thin top margin.
    let height = 124.0
    let frame = PlotFrame(left: 72, top: 12, width: fullWidth - 72 - 72, height: height - 12 - 48)
    var view = ChartView(
      id: id, title: "Quality rating",
      summary:
        "The business's quality rating over time, from the report rate of the trailing quality window, as seen "
        + "at each acceptance: high, medium or low.",
      width: fullWidth, height: height, frame: frame)
    let end = set.endSeconds
    let x = LinearScale(low: 0, high: end, from: frame.left, to: frame.right)
    timeTicks(&view, frame: frame, x: x, end: set.width * SimTime(set.buckets))
    view.yTitle = "quality"
    let changes = first.qualityChanges
    // Past this no rule reads quality and it is no longer rated: drawn as such, not as its last value.
    let ratedUntil = min(first.qualityTrackedUntil.map(Format.seconds) ?? end, end)
    for (index, change) in changes.enumerated() {
      let start = Format.seconds(change.at)
      let stop = min(index + 1 < changes.count ? Format.seconds(changes[index + 1].at) : end, ratedUntil)
      guard stop > start || (index + 1 == changes.count && start < end) else { continue }
      let (x0, x1) = (x(start), max(x(stop), x(start) + 1.5))
      let box = [
        Point(x: x0, y: frame.top), Point(x: x1, y: frame.top), Point(x: x1, y: frame.bottom),
        Point(x: x0, y: frame.bottom),
      ]
      view.areas.append(
        .init(
          d: SVGPath.line(box) + "Z", fill: qualityFill(change.quality),
          name:
            "\(change.quality) from \(TextReport.moment(change.at)): report rate \(Format.percentage(change.reportRate)) "
            + "(\(Format.count(change.reports)) of \(Format.count(change.deliveries)) deliveries)",
          hatched: change.quality == .low))
      let word = "\(change.quality)"
      if x1 - x0 >= Double(word.count) * 7 + 6 {
        view.labels.append(
          .init(text: word, textX: f((x0 + x1) / 2), textY: f(frame.top + frame.height / 2), anchor: "middle"))
      }
    }
    if ratedUntil < end, let until = first.qualityTrackedUntil {
      let (x0, x1) = (x(ratedUntil), x(end))
      let box = [
        Point(x: x0, y: frame.top), Point(x: x1, y: frame.top), Point(x: x1, y: frame.bottom),
        Point(x: x0, y: frame.bottom),
      ]
      let text = "not rated from \(TextReport.moment(until)): no rule reads quality any more"
      view.areas.append(.init(d: SVGPath.line(box) + "Z", fill: "#eeeeee", name: text, hatched: false))
      if x1 - x0 >= 90 {
        view.labels.append(
          .init(text: "not rated", textX: f((x0 + x1) / 2), textY: f(frame.top + frame.height / 2), anchor: "middle"))
      }
    }
    let policy = first.scenario.quality ?? QualityPolicy()
    view.legend = [
      .init(
        groupTitle: nil,
        items: Quality.allCases.reversed().map { quality in
          .init(
            key: "\(quality)", swatch: qualityFill(quality), isLine: false, keyDash: "none", keyHatched: quality == .low
          )
        })
    ]
    view.notes.append(
      "Report rate over the trailing \(Format.human(policy.window)): medium from "
        + "\(Format.percentage(policy.mediumAt.doubleValue)), low from \(Format.percentage(policy.lowAt.doubleValue)) "
        + "(this project's assumption: Meta publishes no thresholds). Time at low: "
        + "\(Format.human(first.qualityLowTime)). \(changes.count - 1) change\(changes.count == 2 ? "" : "s"); "
        + "a segment narrower than a pixel is drawn 1.5 px wide, its figures in its tooltip."
        + (first.qualityTrackedUntil.map {
          " Not rated from \(TextReport.moment($0)): the limit is at its last tier and no throughput upgrade is left."
        } ?? "")
        + (results.count > 1 ? " Replication 0." : ""))
    return view
  }

  // MARK: throughput upgrades

  /// The campaign's sender's throughput upgrade on the throughput chart: its pause shaded like an
  /// outage, a marker with the new rate, and the new maximum as a level.
  static func throughputUpgradeMarks(
    _ view: inout ChartView, _ results: [RunResult], sender: String, frame: PlotFrame, x: LinearScale,
    y: LinearScale, from axisStart: Double, end: Double, showLevel: Bool
  ) {
    let first = results[0]
    guard let index = first.senders.firstIndex(where: { $0.id == sender }),
      let change = first.throughputChanges.first(where: { $0.sender == index }),
      Format.seconds(change.at) < end, Format.seconds(change.at) >= axisStart
    else { return }
    let (start, stop) = (Format.seconds(change.at), min(Format.seconds(change.pauseEnd), end))
    let x0 = x(start)
    let width = max(x(stop) - x0, 1.5)
    let label = "upgrade pause"
    view.shades.append(
      .init(
        kind: "outage", shadeX: f(x0), shadeY: f(frame.top), shadeWidth: f(width), shadeHeight: f(frame.height),
        shadeRight: f(x0 + width), shadeBottom: f(frame.bottom),
        shadeLabel: width >= Double(label.count) * 7 + 6 ? label : nil, shadeLabelX: f(x0 + width / 2),
        shadeLabelY: f(frame.top + 13),
        tip:
          "throughput upgrade pause on \(sender): \(TextReport.moment(change.at)) to "
          + TextReport.moment(change.pauseEnd)))
    view.rules.append(
      moment(
        start,
        text: "throughput \(Ticks.decimal(change.fromMPS, 2)) → \(Ticks.decimal(change.toMPS, 2)) msg/s at "
          + TextReport.moment(change.at),
        kind: "moment", row: 1, frame: frame, x: x))
    if showLevel {
      view.rules.append(
        level(
          y(change.toMPS), text: "after upgrade max \(Ticks.decimal(change.toMPS, 2)) msg/s", kind: "level",
          frame: frame))
    }
    if width < Double(label.count) * 7 + 6 {
      view.notes.append(
        "Throughput upgrade pause (131016 for every attempt) from \(TextReport.moment(change.at)) to "
          + "\(TextReport.moment(change.pauseEnd)).")
    }
    if results.count > 1 { view.notes.append("Throughput upgrade: replication 0's.") }
  }

  /// `80 msg/s`, or `80 → 1000 msg/s from 2d 6h 1m` after an upgrade (the end of its pause).
  static func senderRate(_ result: RunResult, sender index: Int) -> String {
    let rate = Ticks.decimal(result.scenario.senders[index].throughputMPS, 2)
    guard let change = result.throughputChanges.first(where: { $0.sender == index }) else { return rate + " msg/s" }
    return "\(rate) → \(Ticks.decimal(change.toMPS, 2)) msg/s from \(TextReport.moment(change.pauseEnd))"
  }

  static func scalingNote(_ result: RunResult) -> String? {
    guard let scaling = result.scenario.scaling else { return nil }
    let tiers = scaling.tiers.map(limitLabel).joined(separator: ", ")
    return
      "Automatic scaling is on (tiers \(tiers)): once \(Ticks.decimal(scaling.usedFraction.doubleValue * 100, 4)) % "
      + "of the limit is used within \(Format.human(scaling.lookback)) at quality \(scaling.minQuality) or better, "
      + "the next tier takes effect \(Format.human(scaling.delay)) later. The limit never goes down. Final limit: "
      + (result.finalLimit.map(Format.count) ?? "unlimited") + "."
  }
}

extension HTMLReport {
  /// The rate `sender` was upgraded to in replication 0, if it was.
  static func upgradedRate(_ result: RunResult, sender: String) -> Double? {
    guard let index = result.senders.firstIndex(where: { $0.id == sender }) else { return nil }
    return result.throughputChanges.first { $0.sender == index }?.toMPS
  }
}
