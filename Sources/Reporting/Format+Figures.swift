import CampaignModel
import Foundation
import RunPlan
import SimKernel

extension Format {
  /// A figure's value for people: percentages for fractions, exact durations for times (a
  /// threshold `<= 3d` failing at `3d 0.2s` must not print as `3d`), grouped digits for counts.
  public static func figure(_ value: Double?, name: String) -> String {
    let kind = Figures.kind(ofName: name)
    guard let value else { return kind?.missingText ?? "-" }
    guard !value.isNaN else { return "-" }
    guard value.isFinite else { return kind.map { $0.missingMeansNever ? $0.missingText : "never" } ?? "never" }
    switch kind?.unit ?? .ratio {
    case .fraction: return percentage(value)
    case .seconds: return exactDuration(value)
    case .count: return value == value.rounded() && abs(value) < 1e15 ? count(Int(value)) : grouped(value, 2)
    case .ratio: return fixed(value, 4)
    }
  }

  /// A difference of two values of figure `name`, with its sign.
  public static func figureChange(_ change: Double, name: String) -> String {
    let sign = change > 0 ? "+" : change < 0 ? "-" : "±"
    let magnitude = abs(change)
    switch Figures.kind(ofName: name)?.unit ?? .ratio {
    case .fraction: return sign + fixed(magnitude * 100, 3) + " pp"
    default: return sign + figure(magnitude, name: name)
    }
  }

  /// `1,234.50`: a mean of counts, grouped like a count.
  public static func grouped(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite, abs(value) < 9e18 else { return count(rounding: value) }
    let text = fixed(abs(value), decimals)
    let point = text.firstIndex(of: ".") ?? text.endIndex
    let whole = count(Int(text[..<point]) ?? 0)
    return (value < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "-" : "") + whole + text[point...]
  }

  /// A change relative to the baseline, always signed: `+6.01%`, `-0.35%`; below 0.01 % with two
  /// significant digits (`+0.0026%`), since `+0.00%` beside a real change reads as no change.
  public static func relativeChange(_ fraction: Double) -> String {
    let percent = abs(fraction) * 100
    var decimals = 2
    if percent > 0, percent < 0.01 { decimals = min(12, Int((-log10(percent)).rounded(.up)) + 1) }
    return (fraction >= 0 ? "+" : "-") + fixed(percent, decimals) + "%"
  }

  /// A tolerance as the user would write it: `2%`, `0.5%`, `12.25%` (up to four decimals).
  public static func tolerance(_ fraction: Double) -> String {
    var text = fixed(fraction * 100, 4)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text + "%"
  }

  /// `96.123%`: three decimals, so 94.9996 % and 95 % do not print alike.
  public static func percentage(_ fraction: Double) -> String { percent(fraction: fraction, decimals: 3) }

  /// `3d 0h 0m 0.2s`, `1d 12h`, `250ms`, `1.5ms`: every unit between the largest and the last
  /// non-zero one, to the millisecond (to the microsecond below a second).
  public static func exactDuration(_ seconds: Double) -> String {
    if seconds < 0 { return "-" + exactDuration(-seconds) }
    // Beyond SimTime's range (about 292 000 years) there is nothing exact to say.
    guard seconds.isFinite, seconds < 9e12 else { return seconds.isFinite ? fixed(seconds, 0) + "s" : "never" }
    let micros = SimTime((seconds * 1e6).rounded())
    if micros < Time.second {
      return micros % Time.millisecond == 0 ? "\(micros / Time.millisecond)ms" : fixed(Double(micros) / 1000, 3) + "ms"
    }
    let millis = (micros + Time.millisecond / 2) / Time.millisecond
    let units: [(String, SimTime)] = [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000)]
    var parts: [String] = []
    var rest = millis
    for (suffix, scale) in units {
      let whole = rest / scale
      rest %= scale
      if whole > 0 || !parts.isEmpty { parts.append("\(whole)\(suffix)") }
    }
    if rest > 0 {
      var text = String(rest / 1000)
      if rest % 1000 != 0 {
        var fraction = String(rest % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        text += "." + fraction
      }
      parts.append(text + "s")
    }
    // Trailing zero units say nothing: `1d 12h 0m` is `1d 12h`.
    while let last = parts.last, ["0d", "0h", "0m"].contains(last), parts.count > 1 { parts.removeLast() }
    return parts.joined(separator: " ")
  }
}
