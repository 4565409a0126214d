import CampaignModel
import Yams

/// Most significant digits an exact fraction may have: up to 15 a decimal is the only one of its
/// length that rounds to its `Double`, so the effective scenario (whose numbers are `Double`s
/// printed in shortest form) reads back to the very same fraction.
let exactSignificantDigits = 15

/// A non-negative decimal read from its text, digit by digit, never through `Double`:
/// `[+]digits[.digits][e[±]digits]` (`0.5`, `.25`, `1`, `5e-1`). `nil` for anything else
/// (a sign, hex, `.inf`), for more than `exactSignificantDigits` significant digits, and for
/// values needing more than 18 decimal places or beyond `Int64`.
func exactDecimal(_ text: String) -> ExactFraction? {
  var body = Substring(text)
  if body.hasPrefix("+") { body = body.dropFirst() }
  var exponent = 0
  if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
    var digits = body[body.index(after: e)...]
    let negative = digits.hasPrefix("-")
    if negative || digits.hasPrefix("+") { digits = digits.dropFirst() }
    guard !digits.isEmpty, digits.utf8.allSatisfy(isDecimalDigit), digits.count <= 4, let value = Int(digits)
    else { return nil }
    exponent = negative ? -value : value
    body = body[..<e]
  }
  let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
  let whole = parts[0]
  let fraction = parts.count > 1 ? parts[1] : ""
  guard !(whole.isEmpty && fraction.isEmpty), whole.utf8.allSatisfy(isDecimalDigit),
    fraction.utf8.allSatisfy(isDecimalDigit)
  else { return nil }
  // value = digits × 10^-scale, with no leading and no trailing zeros in `digits`.
  var digits = Substring(whole + fraction).drop { $0 == "0" }
  var scale = fraction.count - exponent
  while digits.last == "0" {
    digits = digits.dropLast()
    scale -= 1
  }
  if digits.isEmpty { return ExactFraction(numerator: 0, denominator: 1) }
  guard digits.count <= exactSignificantDigits, scale <= 18, var numerator = Int64(digits) else { return nil }
  var denominator: Int64 = 1
  for _ in 0..<max(scale, 0) { denominator *= 10 }
  for _ in 0..<max(-scale, 0) {
    let (product, overflow) = numerator.multipliedReportingOverflow(by: 10)
    guard !overflow else { return nil }
    numerator = product
  }
  return ExactFraction(numerator: numerator, denominator: denominator)
}

private func isDecimalDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

extension NodeReader {
  /// A YAML number kept exact (MODEL.md §9 compares these as fractions, not floats), in
  /// `[0, 1]`, or in `(0, 1]` when `positive`.
  func exactFraction(_ node: Node, _ path: String, positive: Bool) throws(ScenarioError) -> ExactFraction {
    let expected = positive ? "a number in (0, 1]" : "a number in [0, 1]"
    guard case .scalar(let scalar) = node, node.tagName == .int || node.tagName == .float else {
      throw error(node, path, "expected \(expected), found \(describe(node))")
    }
    guard let value = exactDecimal(scalar.string) else {
      if scalar.string.hasPrefix("-") { throw error(node, path, "expected \(expected), found \(scalar.string)") }
      throw error(
        node, path,
        "expected \(expected) written as a plain decimal of at most \(exactSignificantDigits) significant digits "
          + "(it is compared exactly), found \(scalar.string)")
    }
    let one = ExactFraction(numerator: 1, denominator: 1)
    guard !(one < value), !positive || value.numerator > 0 else {
      throw error(node, path, "expected \(expected), found \(scalar.string)")
    }
    return value
  }
}
