import Foundation

/// A small line chart as inline SVG: self-contained (no script, no font or network fetch), so a
/// sweep's HTML page can be attached to a CI run or mailed and still render.
struct SVGChart {
  struct Series {
    let name: String
    /// One y per x position; `nil` leaves a gap.
    let values: [Double?]
  }

  let title: String
  let xLabel: String
  let yLabel: String
  /// Labels of the x positions, in order.
  let xLabels: [String]
  /// Numeric x values when every label is a number (then x is placed to scale), else nil.
  let xValues: [Double]?
  let series: [Series]
  /// Tick labels for y values (durations, percentages, counts).
  let formatY: (Double) -> String
  /// y is a time in seconds: ticks fall on round durations (10m, 1h, 6h) rather than 1-2-5 steps.
  var timeAxis = false

  static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
  /// Lines that coincide (a parameter that changes nothing) must stay visible: each series
  /// gets its own dash pattern as well as its own colour.
  static let dashes = ["", "8 4", "3 3", "12 4 3 4"]
  let width = 900.0
  let height = 420.0
  let left = 90.0
  let right = 290.0
  let top = 40.0
  let bottom = 60.0

  var plotWidth: Double { width - left - right }
  var plotHeight: Double { height - top - bottom }

  /// A ratio of 50 or more between the ends of a positive axis reads better on a log scale
  /// (tiers 250 … 100 000, audiences from hundreds to hundreds of thousands).
  static func wantsLog(_ values: [Double]) -> Bool {
    guard let low = values.min(), let high = values.max(), low > 0 else { return false }
    return high / low >= 50
  }

  func render() -> String {
    let ys = series.flatMap { $0.values.compactMap { $0 } }.filter(\.isFinite)
    var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
    out += "width=\"\(n(width))\" height=\"\(n(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
    out += "<title>\(escape(title))</title>\n"
    out += "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"white\"/>\n"
    out += text(
      width / 2 - right / 2 + left / 2, 22, title, anchor: "middle", extra: " font-size=\"15\" font-weight=\"bold\"")
    guard !ys.isEmpty, !xLabels.isEmpty else {
      out += text(left + plotWidth / 2, top + plotHeight / 2, "no values to plot", anchor: "middle")
      return out + "</svg>\n"
    }
    let y = Axis(values: ys, log: Self.wantsLog(ys), includeZero: !Self.wantsLog(ys), time: timeAxis)
    let x: (Int) -> Double
    if let xValues, xValues.count == xLabels.count, Set(xValues).count == xValues.count, xValues.count > 1 {
      let axis = Axis(values: xValues, log: Self.wantsLog(xValues), includeZero: false, nice: false)
      x = { left + axis.position(xValues[$0]) * plotWidth }
    } else {
      let step = plotWidth / Double(max(1, xLabels.count))
      x = { left + step * (Double($0) + 0.5) }
    }
    // Grid and y ticks.
    for tick in y.ticks {
      let py = top + plotHeight - y.position(tick) * plotHeight
      out +=
        "<line x1=\"\(n(left))\" y1=\"\(n(py))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(py))\" stroke=\"#e5e5e5\"/>\n"
      out += text(left - 6, py + 4, formatY(tick), anchor: "end")
    }
    // Axes.
    out +=
      "<line x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(top + plotHeight))\" stroke=\"#333\"/>\n"
    out += "<line x1=\"\(n(left))\" y1=\"\(n(top + plotHeight))\" x2=\"\(n(left + plotWidth))\" "
    out += "y2=\"\(n(top + plotHeight))\" stroke=\"#333\"/>\n"
    for (i, label) in xLabels.enumerated() {
      let px = x(i)
      out +=
        "<line x1=\"\(n(px))\" y1=\"\(n(top + plotHeight))\" x2=\"\(n(px))\" y2=\"\(n(top + plotHeight + 5))\" stroke=\"#333\"/>\n"
      out += text(px, top + plotHeight + 18, label, anchor: "middle")
    }
    out += text(
      left + plotWidth / 2, height - 18, xLabel + (xValues != nil && Self.wantsLog(xValues!) ? " (log scale)" : ""),
      anchor: "middle")
    let yTitle = yLabel + (y.log ? " (log scale)" : "")
    out += "<text x=\"18\" y=\"\(n(top + plotHeight / 2))\" text-anchor=\"middle\" "
    out += "transform=\"rotate(-90 18 \(n(top + plotHeight / 2)))\">\(escape(yTitle))</text>\n"
    // Series: polylines broken at gaps, a dot per point with its value as a tooltip.
    for (k, s) in series.enumerated() {
      let color = Self.palette[k % Self.palette.count]
      let dash = Self.dashes[(k / 2) % Self.dashes.count]
      let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
      var runs: [[(Double, Double)]] = [[]]
      for (i, value) in s.values.enumerated() {
        guard let value, value.isFinite, !(y.log && value <= 0) else {
          runs.append([])
          continue
        }
        runs[runs.count - 1].append((x(i), top + plotHeight - y.position(value) * plotHeight))
      }
      for run in runs where run.count > 1 {
        out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dashAttribute) points=\""
        out += run.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ") + "\"/>\n"
      }
      for (i, value) in s.values.enumerated() {
        guard let value, value.isFinite, !(y.log && value <= 0) else { continue }
        let py = top + plotHeight - y.position(value) * plotHeight
        out += "<circle cx=\"\(n(x(i)))\" cy=\"\(n(py))\" r=\"3.5\" fill=\"\(color)\">"
        out +=
          "<title>\(escape(s.name.isEmpty ? "" : s.name + ", "))\(escape(xLabels[i])): \(escape(formatY(value)))</title></circle>\n"
      }
      if !s.name.isEmpty {
        let ly = top + 10 + Double(k) * 18
        out += "<line x1=\"\(n(width - right + 15))\" y1=\"\(n(ly))\" x2=\"\(n(width - right + 35))\" y2=\"\(n(ly))\" "
        out += "stroke=\"\(color)\" stroke-width=\"2\"\(dashAttribute)/>\n"
        out += text(width - right + 40, ly + 4, s.name, anchor: "start")
      }
    }
    return out + "</svg>\n"
  }

  func text(_ x: Double, _ y: Double, _ content: String, anchor: String, extra: String = "") -> String {
    "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\"\(extra)>\(escape(content))</text>\n"
  }

  /// Coordinates with two decimals: enough for a screen, and the same text on every machine.
  func n(_ value: Double) -> String { String(format: "%.2f", value) }

  /// A linear or logarithmic axis over some values, with round ticks.
  struct Axis {
    let low: Double
    let high: Double
    let log: Bool
    let ticks: [Double]

    init(values: [Double], log: Bool, includeZero: Bool, nice: Bool = true, time: Bool = false) {
      var low = values.min()!
      var high = values.max()!
      self.log = log
      if log {
        low = pow(10, floor(log10(low)))
        high = pow(10, ceil(log10(high)))
        if low == high { high = low * 10 }
        var ticks: [Double] = []
        var tick = low
        while tick <= high * 1.000001 {
          ticks.append(tick)
          tick *= 10
        }
        (self.low, self.high, self.ticks) = (low, high, ticks)
        return
      }
      if includeZero { low = min(low, 0) }
      if low == high { (low, high) = low == 0 ? (0, 1) : (min(0, low), max(0, high) * 1.1 + (high == 0 ? 1 : 0)) }
      guard nice else {
        (self.low, self.high, self.ticks) = (low, high, [])
        return
      }
      let step = time ? Axis.timeStep((high - low) / 5) : Axis.niceStep((high - low) / 5)
      low = floor(low / step) * step
      high = ceil(high / step) * step
      var ticks: [Double] = []
      var k = 0.0
      while low + k * step <= high + step / 1000 {
        ticks.append(low + k * step)
        k += 1
      }
      (self.low, self.high, self.ticks) = (low, high, ticks)
    }

    /// 1, 2 or 5 times a power of ten.
    static func niceStep(_ raw: Double) -> Double {
      guard raw > 0 else { return 1 }
      let magnitude = pow(10, floor(log10(raw)))
      let fraction = raw / magnitude
      return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude
    }

    /// Seconds: 1-2-5 below a second, then 1 s, 2 s, 5 s, 10 s, 15 s, 30 s, 1 m, … 12 h, 1 d, 2 d, 5 d, 10 d, …
    static func timeStep(_ raw: Double) -> Double {
      guard raw >= 1 else { return niceStep(raw) }
      let ladder: [Double] = [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172_800,
      ]
      if let step = ladder.first(where: { $0 >= raw }) { return step }
      return niceStep(raw / 86400) * 86400
    }

    /// 0 at `low`, 1 at `high`.
    func position(_ value: Double) -> Double {
      if log { return (log10(value) - log10(low)) / (log10(high) - log10(low)) }
      return high > low ? (value - low) / (high - low) : 0.5
    }
  }
}

/// Text for HTML and SVG.
func escape(_ text: String) -> String {
  var out = ""
  for character in text {
    switch character {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    default: out.append(character)
    }
  }
  return out
}
