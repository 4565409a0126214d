import SimKernel

/// Units in the order they must be tried when reading a suffix: `us` and `ms` before `s` and
/// `m`, or `250ms` would be read as 250 minutes followed by garbage.
private let suffixUnits: [(suffix: String, scale: SimTime)] = [
  ("us", Time.microsecond), ("ms", Time.millisecond), ("s", Time.second), ("m", Time.minute),
  ("h", Time.hour), ("d", Time.day),
]

/// Units from largest to smallest, for picking the most readable exact form.
private let formatUnits: [(suffix: String, scale: SimTime)] = [
  ("d", Time.day), ("h", Time.hour), ("m", Time.minute), ("s", Time.second), ("ms", Time.millisecond),
]

/// Reads a MODEL.md §1 duration: `<number><unit>` with unit `us`, `ms`, `s`, `m`, `h`, `d`, or a bare
/// number of seconds. Returns `nil` for anything else, including negative values and values that do
/// not fit in a `SimTime`.
///
/// The number is a plain decimal (`12`, `1.5`, `.25`); the arithmetic is done on its digits rather
/// than through `Double`, so `0.1s` is exactly 100 000 µs and the rounding of sub-microsecond
/// fractions is exact: fractions of a microsecond round to the nearest, halves away from zero
/// (`0.0000005s` is 1 µs).
public func parseDuration(_ text: String) -> SimTime? {
  if case .value(let value) = readDuration(text) { return value }
  return nil
}

enum DurationReading: Equatable {
  case value(SimTime)
  /// Well-formed but beyond `SimTime`: worth a different message than a typo.
  case overflow
  case invalid
}

func readDuration(_ text: String) -> DurationReading {
  var number = Substring(text)
  var scale = Time.second
  for unit in suffixUnits where text.hasSuffix(unit.suffix) {
    number = number.dropLast(unit.suffix.count)
    scale = unit.scale
    break
  }
  let parts = number.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
  let integerDigits = parts[0].utf8
  let fractionDigits = parts.count > 1 ? parts[1].utf8 : Substring("").utf8
  guard !integerDigits.isEmpty || !fractionDigits.isEmpty else { return .invalid }
  guard integerDigits.allSatisfy(isDigit), fractionDigits.allSatisfy(isDigit) else { return .invalid }

  var whole: SimTime = 0
  for digit in integerDigits {
    let (times10, overflow1) = whole.multipliedReportingOverflow(by: 10)
    let (sum, overflow2) = times10.addingReportingOverflow(SimTime(digit - UInt8(ascii: "0")))
    guard !overflow1, !overflow2 else { return .overflow }
    whole = sum
  }
  let (scaled, overflow) = whole.multipliedReportingOverflow(by: scale)
  guard !overflow else { return .overflow }

  // 0.F × scale by schoolbook multiplication from the last digit: `carry` ends as the whole
  // microseconds and `firstFractionDigit` as the tenths of a microsecond, which decide the rounding.
  var carry: SimTime = 0
  var firstFractionDigit: SimTime = 0
  for digit in fractionDigits.reversed() {
    let product = SimTime(digit - UInt8(ascii: "0")) * scale + carry
    firstFractionDigit = product % 10
    carry = product / 10
  }
  let fraction = carry + (firstFractionDigit >= 5 ? 1 : 0)
  let (total, overflow3) = scaled.addingReportingOverflow(fraction)
  return overflow3 ? .overflow : .value(total)
}

private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

/// The canonical text of a duration: an integer count of the largest unit that divides it exactly
/// (`3d`, `12h`, `1500ms`, `0s`). Being exact, it always reads back to the same value through
/// `parseDuration`, which is what lets a report's effective scenario be rerun as is.
public func formatDuration(_ t: SimTime) -> String {
  if t == 0 { return "0s" }
  for unit in formatUnits where t % unit.scale == 0 {
    return "\(t / unit.scale)\(unit.suffix)"
  }
  return "\(t)us"
}
