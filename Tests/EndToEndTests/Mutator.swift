import Foundation

/// Turns a valid scenario into hostile variants: deleted keys, swapped types,
/// extreme numbers, long strings, aliases, control characters, truncation.
/// Deterministic (SplitMix64), so a failing input can be found again by its number.
struct Mutator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }

  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

  static let hostileValues: [String] = [
    "-1", "0", "1", "1e308", "-1e308", ".nan", ".inf", "-.inf", "99999999999999999999999", "9223372036854775807",
    "-9223372036854775808", "59:59", "1:00:00:00:00:00:00:00:00:00:00", "1:30.5", "[]", "{}", "null", "~", "",
    "true", "no", "\"x\"", "''", "0x7FFFFFFFFFFFFFFF", "0o777", "1_000_000_000_000", "2026-12-02",
    "2026-12-02T01:00:00Z",
    "!!binary aGVsbG8=", "!!float 1", "!!str 3", "!!int 4", "&a 5", "*a", "*undefined", "[*a, *a]",
    String(repeating: "x", count: 300), "\"\\u0001\\n\\u001B[31m\"", "\"é\\u2028\"", "1e-320", "-0", "0.0000001s",
    "1000000d", "3d", "250ms", "-5s", "{exponential: 0s}", "{lognormal: {median: 1h, p90: 1m}}",
    "{uniform: [2s, 1s]}", "unlimited", "limit_aware", "|\n  block", ">-\n  folded", "[1, [2, [3, [4]]]]",
  ]

  static let hostileKeys: [String] = [
    "nmae", "senders", "campaigns", "<<", "? [a]", "\"\"", "name", "audience", "id", "faults", "retry", "report",
    String(repeating: "k", count: 300), "\"\\t\"",
  ]

  /// One variant of `text`.
  mutating func mutate(_ text: String) -> String {
    var lines = text.components(separatedBy: "\n")
    let index = below(lines.count)
    switch below(12) {
    case 0:  // delete a line
      lines.remove(at: index)
    case 1:  // duplicate a line
      lines.insert(lines[index], at: index)
    case 2, 3, 4:  // replace a value
      let line = lines[index]
      if let colon = line.range(of: ": ") {
        lines[index] = String(line[..<colon.upperBound]) + pick(Self.hostileValues)
      } else if let dash = line.range(of: "- ") {
        lines[index] = String(line[..<dash.upperBound]) + pick(Self.hostileValues)
      } else {
        lines[index] = line + " " + pick(Self.hostileValues)
      }
    case 5:  // replace a key
      let line = lines[index]
      let indent = line.prefix { $0 == " " || $0 == "-" }
      if let colon = line.firstIndex(of: ":") {
        lines[index] = indent + pick(Self.hostileKeys) + String(line[colon...])
      }
    case 6:  // change indentation
      lines[index] = String(repeating: " ", count: below(5)) + lines[index].trimmingCharacters(in: .whitespaces)
    case 7:  // truncate
      let joined = lines.joined(separator: "\n")
      return String(joined.prefix(below(joined.count + 1)))
    case 8:  // insert a character, control characters included
      var scalars = Array(lines[index].unicodeScalars)
      let inserted = pick(
        [
          "\u{0}", "\u{1}", "\t", "\r", "\u{7F}", "\u{FEFF}", "\u{2028}", "é", "{", "[", "&", "*", "!", "%", "#", "'",
          "\"", ":", "-", "?", "|", ">",
        ] as [Unicode.Scalar])
      scalars.insert(inserted, at: below(scalars.count + 1))
      var line = ""
      line.unicodeScalars.append(contentsOf: scalars)
      lines[index] = line
    case 9:  // an alias bomb or an alias key
      lines.insert(
        pick([
          "x: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\ny: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nz: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nw: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
          "x: &k [a]\n? *k\n: 1", "x: &k name\n*k : y", "<<: {name: merged}",
        ]), at: below(lines.count + 1))
    case 10:  // a long line
      lines.insert("name: " + String(repeating: "n", count: 200 + below(400)), at: below(lines.count + 1))
    default:  // swap two lines
      let other = below(lines.count)
      lines.swapAt(index, other)
    }
    return lines.joined(separator: "\n")
  }
}
