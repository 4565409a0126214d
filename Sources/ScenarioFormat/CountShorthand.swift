/// Counts written the way tiers and audiences are spoken of: `2K`, `10K`, `100K`, `1M`, `1.5M`.
///
/// The multipliers are decimal (K = 1 000, M = 1 000 000, G = 1 000 000 000) and upper-case
/// only: in a scenario `m` is minutes (`30m`), and `1m` meaning a million in one key and a minute
/// in the next is a trap. A decimal point is allowed when the result is a whole number (`1.5K`
/// is 1500, `1.0001K` is refused rather than rounded).
enum CountShorthand {
  enum Reading: Equatable {
    case value(Int)
    /// Shaped like a shorthand, but not a whole number (`1.0001K`).
    case fraction
    /// Shaped like a shorthand, but beyond `Int`.
    case overflow
    /// Not a shorthand: `10k`, `2.5K5`, `K`, a plain number.
    case invalid
  }

  static let multipliers: [Character: Int] = ["K": 1_000, "M": 1_000_000, "G": 1_000_000_000]

  static func parse(_ text: String) -> Reading {
    guard let unit = text.last, let multiplier = multipliers[unit] else { return .invalid }
    let number = text.dropLast()
    let parts = number.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let isDigits = { (part: Substring) in part.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
    guard let whole = parts.first, !whole.isEmpty, isDigits(whole) else { return .invalid }
    // Trailing zeros add nothing: 1.50K is 1.5K.
    var fraction = parts.count == 2 ? parts[1] : ""
    guard parts.count == 1 || !fraction.isEmpty, isDigits(fraction) else { return .invalid }
    while fraction.last == "0" { fraction = fraction.dropLast() }
    // Whole only if the fraction's digits fit in the multiplier's zeros.
    var scale = 1
    for _ in fraction {
      scale *= 10
      if scale > multiplier { return .fraction }
    }
    var total = 0
    for digit in whole.utf8 {
      let (shifted, overflow) = total.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = shifted.addingReportingOverflow(Int(digit - 48))
      if overflow || overflow2 { return .overflow }
      total = sum
    }
    let (scaled, overflow) = total.multipliedReportingOverflow(by: multiplier)
    if overflow { return .overflow }
    let fractionValue = fraction.isEmpty ? 0 : Int(fraction)! * (multiplier / scale)
    let (sum, overflow2) = scaled.addingReportingOverflow(fractionValue)
    return overflow2 ? .overflow : .value(sum)
  }

  /// A text that is clearly meant as a shorthand but is not one, for a message that says why.
  static func looksLikeShorthand(_ text: String) -> Bool {
    guard let first = text.first, first.isASCII, first.isNumber else { return false }
    return text.contains { "KMGkmg".contains($0) }
  }
}
