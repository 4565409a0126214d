import CampaignModel
import Foundation
import SimKernel

/// Number and time formatting shared by the text renderings. Everything here is
/// locale-independent so output is identical on every machine.
public enum Format {
  /// `1d 6h`, `2h 5m`, `3m 20s`, `1.250s`, `250ms`.
  public static func human(_ t: SimTime) -> String {
    if t == 0 { return "0s" }
    if t < Time.second { return t % Time.millisecond == 0 ? "\(t / Time.millisecond)ms" : "\(t)us" }
    if t < Time.minute {
      return t % Time.second == 0 ? "\(t / Time.second)s" : String(format: "%.3fs", Double(t) / 1e6)
    }
    let days = t / Time.day
    let hours = t % Time.day / Time.hour
    let minutes = t % Time.hour / Time.minute
    let seconds = t % Time.minute / Time.second
    var parts: [String] = []
    if days > 0 { parts.append("\(days)d") }
    if hours > 0 { parts.append("\(hours)h") }
    if minutes > 0 && days == 0 { parts.append("\(minutes)m") }
    if seconds > 0 && days == 0 && hours == 0 { parts.append("\(seconds)s") }
    return parts.isEmpty ? "0s" : parts.joined(separator: " ")
  }

  /// `1,234,567`.
  public static func count(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, ch) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
      out.append(ch)
    }
    return n < 0 ? "-" + out : out
  }

  /// A rate or other measured quantity, rounded to a whole count: `1,234,567`;
  /// beyond Int's range (only from a damaged input) in scientific notation.
  public static func count(rounding value: Double) -> String {
    guard value.isFinite, abs(value) < 9e18 else { return value.isNaN ? "-" : String(format: "%.3e", value) }
    return count(Int(value.rounded()))
  }

  /// `12.34%` of `whole`.
  public static func percent(_ part: Int, of whole: Int) -> String {
    guard whole > 0 else { return "-" }
    return percent(fraction: Double(part) / Double(whole), decimals: 2)
  }

  /// `fraction` as a percentage with `decimals` places. Rounding never turns a part short of
  /// the whole into `100%` (39 999 of 40 000 is `>99.99%`, not `100.00%`) nor a part above
  /// nothing into `0%` (`<0.01%`): a reader takes those two for "all" and "none".
  public static func percent(fraction: Double, decimals: Int) -> String {
    guard fraction.isFinite else { return "-" }
    let text = fixed(100 * fraction, decimals)
    if fraction < 1 && text == fixed(100, decimals) {
      return ">" + fixed(100 - step(decimals), decimals) + "%"
    }
    if fraction > 0 && text == fixed(0, decimals) { return "<" + fixed(step(decimals), decimals) + "%" }
    return text + "%"
  }

  /// The last shown digit's value: 0.01 for two decimals.
  static func step(_ decimals: Int) -> Double { (0..<decimals).reduce(1.0) { value, _ in value / 10 } }

  public static func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

  public static func seconds(_ t: SimTime) -> Double { Double(t) / 1e6 }
}
