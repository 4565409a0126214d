import Foundation

/// Sizes written for people: `512MiB`, `2GiB`, `1.5GB`, `1000000` (bytes).
public enum ByteSize {
  static let units: [(suffix: String, factor: Double)] = [
    ("TiB", 1_099_511_627_776), ("GiB", 1_073_741_824), ("MiB", 1_048_576), ("KiB", 1024),
    ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3), ("kB", 1e3), ("B", 1),
  ]

  /// Bytes, or nil for anything that is not a positive size below 2^62.
  public static func parse(_ text: String) -> Int? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    var number = Substring(trimmed)
    var factor = 1.0
    for unit in units where trimmed.hasSuffix(unit.suffix) {
      number = trimmed.dropLast(unit.suffix.count)
      factor = unit.factor
      break
    }
    guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value.isFinite, value > 0 else {
      return nil
    }
    let bytes = (value * factor).rounded()
    guard bytes >= 1, bytes < 4.6e18 else { return nil }
    return Int(bytes)
  }

  /// The largest binary unit that writes `bytes` in whole units, so it parses back the same.
  public static func format(_ bytes: Int) -> String {
    for (suffix, factor) in units.prefix(4) where bytes % Int(factor) == 0 { return "\(bytes / Int(factor))\(suffix)" }
    return String(bytes)
  }

  /// `1.5 GiB`, for messages.
  public static func human(_ bytes: Double) -> String {
    for (suffix, factor) in units.prefix(4) where bytes >= factor {
      let value = bytes / factor
      return (value >= 100 ? String(Int(value.rounded())) : String(Double(Int(value * 10)) / 10)) + " " + suffix
    }
    return "\(Int(bytes)) B"
  }
}
