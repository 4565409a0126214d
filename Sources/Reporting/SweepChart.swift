import Analysis
import Foundation
import RunPlan
import ScenarioFormat
import SimKernel

/// The chart of sweep.html: a value at every grid point against the first varied parameter, on
/// report.html's engine (`ChartView` and the `chart` template).
///
/// A numeric first parameter is an x axis placed to scale, one line per combination of the other
/// parameters, each with its own colour, dash and marker so lines that coincide stay visible. A
/// categorical one (`pacing: [naive, limit_aware]`) has no order or distance to draw a line
/// through: it gets grouped bars instead.
enum SweepChart {
  static let width = 1160.0
  static let height = 440.0
  /// Room on the left for the y labels and the rotated axis title, on the right for half of
  /// the last x label. Labels like `1d 12h 25m` need more than the usual 80 px, at about 7 px
  /// a character.
  static func frame(yLabels: [String]) -> PlotFrame {
    let left = max(80, 7 * Double(yLabels.map(\.count).max() ?? 0) + 34).rounded()
    return PlotFrame(left: left, top: 30, width: width - left - 40, height: 350)
  }

  /// How an axis's values read: decides its ticks and their labels.
  enum Quantity {
    case seconds, fraction, count
  }

  static func quantity(_ unit: FigureUnit?) -> Quantity {
    switch unit {
    case .seconds: .seconds
    case .fraction: .fraction
    default: .count
    }
  }

  /// A scale from data to pixels with its ticks.
  struct Axis {
    var log: Bool
    var low: Double
    var high: Double
    var ticks: [Double]
    var quantity: Quantity

    func scale(from: Double, to: Double) -> any ChartScale {
      log
        ? LogScale(low: low, high: high, from: from, to: to) : LinearScale(low: low, high: high, from: from, to: to)
    }

    func label(_ value: Double) -> String {
      switch quantity {
      // Exact, not `Format.human`: ticks 5 m apart past a day must not all read `1d 12h`.
      case .seconds: value == 0 ? "0" : Format.exactDuration(value)
      case .fraction: Ticks.decimal(value * 100, 1) + "%"
      // Rates such as 0.025 need more than `compact`'s two decimals.
      case .count: abs(value) < 1 ? Ticks.decimal(value, 4) : Ticks.compact(value)
      }
    }
  }

  /// A ratio of 50 or more between the ends of a positive axis reads better on a log scale:
  /// tiers 250 … 100 000, audiences from hundreds to hundreds of thousands.
  static func wantsLog(_ values: [Double]) -> Bool {
    guard let low = values.min(), let high = values.max(), low > 0 else { return false }
    return high / low >= 50
  }

  /// Shares are read against 0 % and 100 %, so they stay linear whatever their spread.
  /// `fromZero: false` (x axes and lines, never bars: a bar's length is its value) lets a linear axis
  /// close in on values that lie far from zero compared with their spread, where a difference
  /// of minutes at 1d 12h would otherwise be a flat line.
  static func axis(_ values: [Double], quantity: Quantity, maxTicks: Int, fromZero: Bool = true) -> Axis {
    let values = values.filter(\.isFinite)
    if quantity != .fraction, wantsLog(values) { return logAxis(values, quantity: quantity) }
    if !fromZero, let low = values.min(), let high = values.max(), low > 0, high > low, high - low < low / 2 {
      let spread =
        quantity == .seconds
        ? Ticks.time(upTo: SimTime(((high - low) * 1e6).rounded(.up)), maxCount: maxTicks).map(Format.seconds)
        : Ticks.linear(upTo: high - low, maxCount: maxTicks)
      if spread.count > 1, spread[1] > 0 {
        let step = spread[1]
        let first = (low / step).rounded(.down)
        let last = max((high / step).rounded(.up), first + 1)
        let ticks = (0...Int(last - first)).map { (first + Double($0)) * step }
        return Axis(log: false, low: ticks.first!, high: ticks.last!, ticks: ticks, quantity: quantity)
      }
    }
    let top = max(values.max() ?? 0, 0)
    var ticks: [Double]
    switch quantity {
    case .seconds:
      let end = SimTime((top * 1e6).rounded(.up))
      ticks = Ticks.time(upTo: end, maxCount: maxTicks).map(Format.seconds)
      if ticks.count < 2 {
        ticks = [0, 1]
      } else if let last = ticks.last, last < top {
        // `Ticks.time` stops at or below the end; one more step keeps the top value inside.
        ticks.append(last + ticks[1])
      }
    case .fraction, .count:
      ticks = Ticks.linear(upTo: top, maxCount: maxTicks)
    }
    return Axis(log: false, low: ticks.first!, high: ticks.last!, ticks: ticks, quantity: quantity)
  }

  /// Ticks on round values around the data: human decades for times (`Ticks.latencySteps`),
  /// 1-2-5 for counts over up to four decades and whole decades beyond.
  static func logAxis(_ values: [Double], quantity: Quantity) -> Axis {
    let (low, high) = (values.min()!, values.max()!)
    var steps: [Double]
    if quantity == .seconds {
      steps = Ticks.latencySteps.map(Format.seconds)
    } else {
      let first = Int(floor(log10(low)))
      let last = Int(ceil(log10(high)))
      let multiples: [Double] = last - first > 4 ? [1] : [1, 2, 5]
      steps = (first...last).flatMap { power in multiples.map { $0 * pow(10, Double(power)) } }
    }
    let bottom = steps.last { $0 <= low } ?? low
    var top = steps.first { $0 >= high } ?? high
    if top <= bottom { top = bottom * 10 }
    var ticks = steps.filter { $0 >= bottom && $0 <= top }
    if ticks.count > 10 { ticks = ticks.enumerated().filter { $0.offset % 2 == 0 }.map(\.element) }
    return Axis(log: true, low: bottom, high: top, ticks: ticks, quantity: quantity)
  }

  /// The first axis's values as numbers (seconds for durations such as `30m`), or nil when it
  /// is categorical or has nothing to spread over.
  static func numericValues(_ axis: SweepAxis) -> (values: [Double], seconds: Bool)? {
    var result: (values: [Double], seconds: Bool)?
    let numbers = axis.values.compactMap(\.number)
    if numbers.count == axis.values.count {
      result = (numbers, false)
    } else {
      let times = axis.values.compactMap { parseDuration($0.description) }
      if times.count == axis.values.count { result = (times.map(Format.seconds), true) }
    }
    guard let result, result.values.count > 1, Set(result.values).count == result.values.count else { return nil }
    return result
  }

  /// What to draw: one value per grid point, in grid order (first axis slowest).
  struct Plot {
    var id: String
    var title: String
    var summary: String
    var axes: [SweepAxis]
    var points: [SweepPoint]
    var values: [Double?]
    /// Points whose value is only a lower bound (a capacity search that never failed): hollow
    /// markers, hatched bars, `≥` in their labels.
    var lowerBounds: [Bool]
    var quantity: Quantity
    var yTitle: String
    /// A value in full, for tooltips.
    var full: (Double) -> String
    /// A value in short, over bars.
    var short: (Double) -> String
    /// What a point without a value shows.
    var missing: String
    var senders: [String] = []
    var campaigns: [String] = []
  }

  static func view(_ plot: Plot) -> ChartView {
    let first = plot.axes.first
    let groups = max(first?.values.count ?? 1, 1)
    let series = max(plot.values.count / groups, 1)
    let names = (0..<series).map { seriesName(plot, series: $0) }
    let finite = plot.values.compactMap { $0 }.filter(\.isFinite)
    let numeric = first.flatMap(numericValues)
    let y = axis(finite, quantity: plot.quantity, maxTicks: 6, fromZero: numeric == nil)
    let frame = frame(yLabels: y.ticks.map(y.label))
    var view = ChartView(
      id: plot.id, title: plot.title, summary: plot.summary, width: width, height: height, frame: frame)
    let py = y.scale(from: frame.bottom, to: frame.top)
    for tick in y.ticks {
      view.yTicks.append(
        .init(
          x1: f(frame.left), y1: f(py(tick)), x2: f(frame.right), y2: f(py(tick)), labelX: f(frame.left - 6),
          labelY: f(py(tick)), label: y.label(tick)))
    }
    view.yTitle = plot.yTitle + (y.log ? " (log scale)" : "")
    if let first, let numeric {
      lines(&view, plot, frame: frame, first: first, x: numeric, y: py, series: series, names: names)
    } else {
      bars(&view, plot, frame: frame, y: py, groups: groups, series: series, names: names)
    }
    if finite.isEmpty { view.notes.append("No point has a value to plot.") }
    let missing = plot.values.indices.filter { plot.values[$0].map { !$0.isFinite } ?? true }
    if !finite.isEmpty, !missing.isEmpty, numeric != nil {
      view.notes.append("\(plot.missing) (nothing to draw) at: \(listed(missing.map { pointName(plot, $0) })).")
    }
    if plot.lowerBounds.contains(true) {
      view.notes.append(
        numeric == nil
          ? "Hatched bars marked ≥ are lower bounds: the largest value tried still met the conditions."
          : "Hollow markers under ≥ are lower bounds: the largest value tried still met the conditions.")
    }
    return view
  }

  static func f(_ value: Double) -> String { SVGNumber.format(value) }

  /// `a; b; c and 7 more`: a note under a chart of a thousand points must not list them all;
  /// the table has every one.
  static func listed(_ items: [String], limit: Int = 8) -> String {
    let shown = items.prefix(limit).joined(separator: "; ")
    return items.count > limit ? shown + " and \(items.count - limit) more" : shown
  }

  static func label(_ plot: Plot, _ path: String) -> String {
    ParameterLabel.text(path, senders: plot.senders, campaigns: plot.campaigns)
  }

  /// `transient error rate = 0.1, pacing = naive`: the other parameters of series `k`.
  static func seriesName(_ plot: Plot, series k: Int) -> String {
    guard k < plot.points.count else { return "" }
    return zip(plot.axes, plot.points[k].values).dropFirst().map { "\(label(plot, $0.path)) = \($1)" }
      .joined(separator: ", ")
  }

  static func pointName(_ plot: Plot, _ index: Int) -> String {
    guard index < plot.points.count, !plot.axes.isEmpty else { return "the scenario as written" }
    return zip(plot.axes, plot.points[index].values).map { "\(label(plot, $0.path)) = \($1)" }
      .joined(separator: ", ")
  }

  static func lines(
    _ view: inout ChartView, _ plot: Plot, frame: PlotFrame, first: SweepAxis,
    x numbers: (values: [Double], seconds: Bool),
    y: any ChartScale, series: Int, names: [String]
  ) {
    // Values such as 1000, 1100, 1200 would crowd the right edge of an axis from zero.
    let x = axis(numbers.values, quantity: numbers.seconds ? .seconds : .count, maxTicks: 8, fromZero: false)
    let px = x.scale(from: frame.left, to: frame.right)
    for tick in x.ticks {
      view.xTicks.append(
        .init(
          x1: f(px(tick)), y1: f(frame.top), x2: f(px(tick)), y2: f(frame.bottom), labelX: f(px(tick)),
          labelY: f(frame.bottom + 18), label: x.label(tick)))
    }
    view.xTitle = label(plot, first.path) + (x.log ? " (log scale)" : "")
    var items: [ChartView.LegendItem] = []
    for k in 0..<series {
      let colour = Palette.series[k % Palette.series.count]
      let dash = Palette.seriesDashes[k % Palette.seriesDashes.count]
      let shape = MarkerShape.all[k % MarkerShape.all.count]
      // A missing value breaks the line: a straight segment across it would invent a value.
      var runs: [[Point]] = [[]]
      for (g, xValue) in numbers.values.enumerated() {
        let index = g * series + k
        guard index < plot.values.count, let value = plot.values[index], value.isFinite else {
          runs.append([])
          continue
        }
        let point = Point(x: px(xValue), y: y(value))
        runs[runs.count - 1].append(point)
        let bound = plot.lowerBounds.indices.contains(index) && plot.lowerBounds[index]
        let text = (bound ? "≥ " : "") + plot.full(value)
        let at = "\(label(plot, first.path)) = \(first.values[g])"
        view.markers.append(
          .init(
            markerX: f(point.x), markerY: f(point.y),
            markerScale: Palette.seriesMarkerScales[k % Palette.seriesMarkerScales.count], markerShape: shape,
            markerFill: bound ? "#ffffff" : colour,
            markerStroke: colour, markerTip: (names[k].isEmpty ? "" : names[k] + ", ") + at + ": " + text))
        // A smaller marker nested in a hollow one fills it, and it reads as solid: the bound
        // also gets a `≥` above it, at a fixed height so coincident bounds share one.
        if bound {
          view.labels.append(.init(text: "≥", textX: f(point.x), textY: f(point.y - 15), anchor: "middle"))
        }
      }
      let path = runs.filter { $0.count > 1 }.map(SVGPath.line).joined()
      if !path.isEmpty {
        view.lines.append(
          .init(
            linePath: path, stroke: colour, dash: dash,
            strokeWidth: Palette.seriesWidths[k % Palette.seriesWidths.count], lineName: names[k]))
      }
      items.append(
        .init(
          key: names[k].isEmpty ? plot.yTitle : names[k], swatch: colour, isLine: true, keyDash: dash,
          keyHatched: false, keyMarker: shape))
    }
    view.legend = [.init(groupTitle: nil, items: items)]
    // Nested markers show that lines coincide; the note says so in words, which the eye
    // cannot miss and a screen reader can read.
    var seen: [Int] = []
    var groups: [[Int]] = []
    for k in 0..<series where !seen.contains(k) {
      let values = { (k: Int) in
        numbers.values.indices.map { g in
          plot.values.indices.contains(g * series + k) ? plot.values[g * series + k] : nil
        }
      }
      let twins = (k..<series).filter { values($0) == values(k) }
      seen += twins
      if twins.count > 1, values(k).contains(where: { $0?.isFinite == true }) { groups.append(twins) }
    }
    for twins in groups.prefix(4) {
      view.notes.append("Identical at every point, drawn over each other: \(listed(twins.map { names[$0] })).")
    }
    if groups.count > 4 { view.notes.append("\(groups.count - 4) more groups of lines are identical at every point.") }
  }

  /// One group per category of the first parameter, one bar per combination of the others.
  static func bars(
    _ view: inout ChartView, _ plot: Plot, frame: PlotFrame, y: any ChartScale, groups: Int, series: Int,
    names: [String]
  ) {
    let first = plot.axes.first
    view.xTitle = first.map { label(plot, $0.path) } ?? ""
    let slot = frame.width / Double(groups)
    let barWidth = min(slot * 0.8 / Double(series), 120)
    let texts = plot.values.indices.map { index -> String in
      guard let value = plot.values[index], value.isFinite else { return plot.missing }
      let bound = plot.lowerBounds.indices.contains(index) && plot.lowerBounds[index]
      return (bound ? "≥ " : "") + plot.short(value)
    }
    // Labels wider than their bar would run into the next one's: every other one goes a row up.
    let stagger = texts.contains { Double($0.count) * 7 + 4 > barWidth }
    for g in 0..<groups {
      let start = frame.left + slot * Double(g) + (slot - barWidth * Double(series)) / 2
      let category = first.map { "\($0.values[g])" } ?? "the scenario as written"
      view.labels.append(
        .init(
          text: category, textX: f(frame.left + slot * (Double(g) + 0.5)), textY: f(frame.bottom + 16),
          anchor: "middle"))
      for k in 0..<series {
        let index = g * series + k
        guard index < plot.values.count else { continue }
        let colour = series == 1 ? Palette.acceptances : Palette.series[k % Palette.series.count]
        let left = start + barWidth * Double(k)
        let value = plot.values[index].flatMap { $0.isFinite ? $0 : nil }
        let top = value.map { y($0) } ?? frame.bottom
        let bound = plot.lowerBounds.indices.contains(index) && plot.lowerBounds[index]
        let tip = pointName(plot, index) + ": " + (value.map { (bound ? "≥ " : "") + plot.full($0) } ?? plot.missing)
        let raise = stagger && k % 2 == 1 ? 14.0 : 0
        view.bars.append(
          .init(
            barX: f(left + 1), barY: f(top), barWidth: f(max(barWidth - 2, 1)), barHeight: f(frame.bottom - top),
            barFill: colour, barTip: tip, hatchedBar: bound, valueText: texts[index], valueX: f(left + barWidth / 2),
            valueY: f(top - 9 - raise), valueAnchor: "middle"))
      }
    }
    if series > 1 {
      view.legend = [
        .init(
          groupTitle: nil,
          items: (0..<series).map {
            .init(
              key: names[$0], swatch: Palette.series[$0 % Palette.series.count], isLine: false, keyDash: "",
              keyHatched: false)
          })
      ]
    }
  }
}
