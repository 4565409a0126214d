/// A non-negative rational read from decimal text, for the thresholds MODEL.md §9 says are
/// compared exactly: `0.3 × 10000` is 3000 here, where a Double gives 3000.0000000000005.
public struct ExactFraction: Sendable, Hashable, CustomStringConvertible {
  public let numerator: Int64
  /// A power of ten (the decimal text's scale), at most 10^18.
  public let denominator: Int64

  public init(numerator: Int64, denominator: Int64) {
    precondition(numerator >= 0 && denominator > 0, "an exact fraction is non-negative with a positive denominator")
    self.numerator = numerator
    self.denominator = denominator
  }

  /// `digits[.digits]` (at most 18 digits after the point), or `nil`.
  public init?(decimal text: String) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = parts.first, !whole.isEmpty,
      whole.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 })
    else { return nil }
    let fraction = parts.count == 2 ? parts[1] : ""
    guard fraction.utf8.count <= 18, fraction.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
      parts.count == 1 || !fraction.isEmpty
    else { return nil }
    var denominator: Int64 = 1
    for _ in 0..<fraction.utf8.count { denominator *= 10 }
    guard let w = Int64(whole), let f = fraction.isEmpty ? 0 : Int64(fraction) else { return nil }
    let (scaled, overflow) = w.multipliedReportingOverflow(by: denominator)
    guard !overflow, scaled <= Int64.max - f else { return nil }
    self.init(numerator: scaled + f, denominator: denominator)
  }

  public var doubleValue: Double { Double(numerator) / Double(denominator) }

  /// The shortest decimal text that reads back to this value.
  public var description: String {
    var power: Int64 = 1
    while power < denominator && power <= Int64.max / 10 { power *= 10 }
    // Built in code with a denominator that is no power of ten: no exact decimal to write.
    guard power == denominator else { return "\(numerator)/\(denominator)" }
    let whole = numerator / denominator
    var rest = numerator % denominator
    guard rest != 0 else { return String(whole) }
    var digits = ""
    var scale = denominator
    while rest != 0 {
      scale /= 10
      digits.append(Character(String(rest / scale)))
      rest %= scale
    }
    return "\(whole).\(digits)"
  }

  /// `⌈self × n⌉`, exactly.
  public func ceilTimes(_ n: Int) -> Int {
    let product = Int128(numerator) * Int128(n)
    let d = Int128(denominator)
    let q = product / d
    return Int(clamping: product % d == 0 ? q : q + 1)
  }

  /// Whether `count / total ≥ self` (with `0 / 0` read as 0).
  @inlinable @inline(__always) public func isReached(by count: Int, of total: Int) -> Bool {
    guard total > 0 else { return numerator == 0 }
    // Full-width products: two multiplications and a comparison, exact for any counts.
    let lhs = Int64(count).multipliedFullWidth(by: denominator)
    let rhs = numerator.multipliedFullWidth(by: Int64(total))
    return lhs.high > rhs.high || (lhs.high == rhs.high && lhs.low >= rhs.low)
  }

  public static func < (lhs: ExactFraction, rhs: ExactFraction) -> Bool {
    Int128(lhs.numerator) * Int128(rhs.denominator) < Int128(rhs.numerator) * Int128(lhs.denominator)
  }
}
