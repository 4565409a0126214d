import CampaignModel
import Foundation
import SimKernel

/// Numbers as they appear in SVG attributes: at most one decimal, `.` as the
/// separator, computed with integer arithmetic so no locale or printf flavour
/// can change a byte.
enum SVGNumber {
  static func format(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let tenths = Int((value * 10).rounded())
    let sign = tenths < 0 ? "-" : ""
    let magnitude = tenths.magnitude
    return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
  }
}

struct Point: Equatable {
  var x: Double
  var y: Double
}

/// Path data (`d` attributes) from points already in SVG user units.
enum SVGPath {
  /// Points at the same rounded position as the previous one, and the middle
  /// of three on one horizontal or vertical, are dropped: step charts of
  /// hundreds of buckets are mostly flat, and the file stays small.
  static func line(_ points: [Point]) -> String {
    var kept: [(x: String, y: String)] = []
    kept.reserveCapacity(points.count)
    for p in points {
      let next = (x: SVGNumber.format(p.x), y: SVGNumber.format(p.y))
      if let last = kept.last, last == next { continue }
      if kept.count >= 2 {
        let (a, b) = (kept[kept.count - 2], kept[kept.count - 1])
        if (a.y == b.y && b.y == next.y) || (a.x == b.x && b.x == next.x) { kept.removeLast() }
      }
      kept.append(next)
    }
    var out = ""
    out.reserveCapacity(kept.count * 12)
    for (i, p) in kept.enumerated() { out += (i == 0 ? "M" : "L") + p.x + "," + p.y }
    return out
  }

  /// The closed region between `upper` (drawn left to right) and `lower` (drawn back).
  static func band(upper: [Point], lower: [Point]) -> String {
    guard !upper.isEmpty else { return "" }
    return line(upper + lower.reversed()) + "Z"
  }

  /// A point series as a staircase: each value held over its bucket `[x0, x1)`.
  static func steps(_ buckets: [(x0: Double, x1: Double, y: Double)]) -> [Point] {
    var points: [Point] = []
    points.reserveCapacity(buckets.count * 2)
    for b in buckets {
      points.append(Point(x: b.x0, y: b.y))
      points.append(Point(x: b.x1, y: b.y))
    }
    return points
  }
}

/// The plotting rectangle inside a chart's view box.
struct PlotFrame {
  var left: Double
  var top: Double
  var width: Double
  var height: Double

  var right: Double { left + width }
  var bottom: Double { top + height }
}

/// Maps a data interval onto a pixel interval, linearly.
struct LinearScale {
  var low: Double
  var high: Double
  var from: Double
  var to: Double

  func callAsFunction(_ value: Double) -> Double {
    guard high > low else { return from }
    return from + (value - low) / (high - low) * (to - from)
  }
}

/// A data-to-pixel mapping on one axis, linear or logarithmic.
protocol ChartScale {
  func callAsFunction(_ value: Double) -> Double
}

extension LinearScale: ChartScale {}
extension LogScale: ChartScale {}

/// Maps a positive data interval onto a pixel interval logarithmically;
/// values at or below `low` sit on the axis.
struct LogScale {
  var low: Double
  var high: Double
  var from: Double
  var to: Double

  func callAsFunction(_ value: Double) -> Double {
    guard high > low, low > 0 else { return from }
    let clamped = max(value, low)
    return from + (log10(clamped) - log10(low)) / (log10(high) - log10(low)) * (to - from)
  }
}

/// Tick positions people read without effort: whole human durations on time
/// axes, 1-2-5 steps on count axes.
enum Ticks {
  /// Steps a time axis may use; the first giving at most `maxCount` intervals wins.
  static let timeSteps: [SimTime] = [
    Time.millisecond, 2 * Time.millisecond, 5 * Time.millisecond, 10 * Time.millisecond,
    20 * Time.millisecond, 50 * Time.millisecond, 100 * Time.millisecond, 200 * Time.millisecond,
    500 * Time.millisecond, Time.second, 2 * Time.second, 5 * Time.second, 10 * Time.second, 15 * Time.second,
    30 * Time.second, Time.minute, 2 * Time.minute, 5 * Time.minute, 10 * Time.minute, 15 * Time.minute,
    30 * Time.minute, Time.hour, 2 * Time.hour, 3 * Time.hour, 6 * Time.hour, 12 * Time.hour, Time.day,
    2 * Time.day, 5 * Time.day, 10 * Time.day, 30 * Time.day,
  ]

  static func time(upTo end: SimTime, maxCount: Int = 8) -> [SimTime] { time(from: 0, to: end, maxCount: maxCount) }

  /// Multiples of a whole human step between `start` and `end`, at most `maxCount` intervals apart.
  static func time(from start: SimTime, to end: SimTime, maxCount: Int = 8) -> [SimTime] {
    guard end > start else { return [start] }
    let step = timeStep(span: end - start, maxCount: maxCount)
    let first = (start + step - 1) / step
    return (first...(end / step)).map { $0 * step }
  }

  /// The first step of `timeSteps` (doubled past its end) giving at most `maxCount` intervals over `span`.
  static func timeStep(span: SimTime, maxCount: Int = 8) -> SimTime {
    var step = timeSteps.first { span / $0 <= SimTime(maxCount) } ?? timeSteps.last!
    while span / step > SimTime(maxCount) { step *= 2 }
    return step
  }

  /// A 1-2-5 step giving at most `maxCount` intervals up to `top`, and the ticks.
  static func linear(upTo top: Double, maxCount: Int = 5) -> [Double] {
    guard top > 0, top.isFinite else { return [0, 1] }
    var magnitude = 1.0
    while magnitude * 10 <= top { magnitude *= 10 }
    while magnitude > top { magnitude /= 10 }
    var step = magnitude / 10
    outer: while true {
      for factor in [1.0, 2.0, 2.5, 5.0] where (top / (step * factor)).rounded(.up) <= Double(maxCount) {
        step *= factor
        break outer
      }
      step *= 10
    }
    let count = Int((top / step).rounded(.up))
    return (0...count).map { Double($0) * step }
  }

  /// Decades for a log count axis: from the decade below the one holding
  /// `floor` (room under the lowest level of interest) up to the first 1-2-5
  /// value reaching `top`, which ends the list when it is not a decade.
  static func logarithmic(below floor: Double, upTo top: Double) -> [Double] {
    var low = 1.0
    while low * 10 <= floor { low *= 10 }
    low = max(low / 10, 1)
    var ticks = [low]
    while ticks.last! * 10 <= top { ticks.append(ticks.last! * 10) }
    if ticks.last! < top {
      let decade = ticks.last!
      ticks.append([2.0, 5, 10].map { $0 * decade }.first { $0 >= top }!)
    }
    return ticks
  }

  /// Latency axis ticks: decades of human durations, in microseconds.
  static let latencySteps: [SimTime] = [
    1, 10, 100, Time.millisecond, 10 * Time.millisecond, 100 * Time.millisecond, Time.second, 10 * Time.second,
    Time.minute, 10 * Time.minute, Time.hour, 6 * Time.hour, Time.day, 10 * Time.day, 100 * Time.day,
    1000 * Time.day,
  ]

  /// `12.5K`, `1.2M`, `0.25`: short labels for count and rate axes.
  static func compact(_ value: Double) -> String {
    let magnitude = abs(value)
    if magnitude >= 1_000_000 { return decimal(value / 1_000_000, 2) + "M" }
    if magnitude >= 1_000 { return decimal(value / 1_000, 2) + "K" }
    return decimal(value, 2)
  }

  /// `value` with at most `places` decimals, trailing zeros dropped, no locale.
  static func decimal(_ value: Double, _ places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let sign = scaled < 0 ? "-" : ""
    let whole = scaled.magnitude / UInt(scale)
    var fraction = String(scaled.magnitude % UInt(scale))
    fraction = String(repeating: "0", count: places - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return fraction.isEmpty ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
  }
}

/// Mean and range of one figure over replications.
struct Spread: Equatable {
  var mean: Double
  var low: Double
  var high: Double

  init(_ values: [Double]) {
    precondition(!values.isEmpty)
    mean = values.reduce(0, +) / Double(values.count)
    low = values.min()!
    high = values.max()!
  }

  init(exactly value: Double) {
    mean = value
    low = value
    high = value
  }

  var hasRange: Bool { high > low }
}
