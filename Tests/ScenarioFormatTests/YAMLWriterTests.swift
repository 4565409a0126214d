import Testing
import Yams

@testable import ScenarioFormat

/// The effective scenario's YAML skips Yams' resolver for plain words; the shortcut must agree
/// with the resolver on every word it takes.
@Suite struct YAMLWriterTests {
  static let words: [String] = {
    var words = [
      "promo", "main", "c00001", "spring_promo", "limit_aware", "naive", "exponential", "a.b-c", "Yes", "YES", "yes",
      "no", "NO", "No", "true", "True", "TRUE", "false", "on", "On", "off", "OFF", "null", "Null", "NULL", "y", "Y",
      "n", "N", "inf", "nan", "Infinity", "e5", "E10", "x1e5", "o17", "b101", "true1", "nullable", "online",
    ]
    // Every one- and two-letter word, and letter-initial words with digits, dots and dashes.
    let letters = (UnicodeScalar("a").value...UnicodeScalar("z").value).map { String(UnicodeScalar($0)!) }
    for a in letters + letters.map { $0.uppercased() } {
      words.append(a)
      for b in letters + ["0", "9", ".", "_", "-", "E", "N"] { words.append(a + b) }
    }
    return words
  }()

  @Test func plainWordsAreStringsToTheResolverToo() {
    for word in Self.words where YAMLWriter.plainWord(word) {
      #expect(Resolver.default.resolveTag(of: Node(word)) == .str, "\(word)")
    }
    // And the words it refuses are the resolver's bools and nulls (or start otherwise).
    for word in ["yes", "No", "TRUE", "off", "Null", "y", "N", "1abc", ".inf", "-x", "_a"] {
      #expect(!YAMLWriter.plainWord(word), "\(word)")
    }
  }
}
