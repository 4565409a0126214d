import SimKernel
import Testing

@testable import ScenarioFormat

@Suite struct DurationTests {
  @Test(
    arguments: [
      ("250ms", 250_000),
      ("1.5s", 1_500_000),
      ("3d", 259_200_000_000),
      ("12h", 43_200_000_000),
      ("30m", 1_800_000_000),
      ("30s", 30_000_000),
      ("7us", 7),
      ("0s", 0),
      ("0", 0),
      ("90", 90_000_000),  // a bare number is seconds
      ("2.25", 2_250_000),
      (".5s", 500_000),
      ("0.1s", 100_000),  // exact, not 99_999 through a binary fraction
      ("1.0000001s", 1_000_000),  // 0.1 µs rounds down
      ("0.0000005s", 1),  // exactly half a microsecond rounds up (away from zero)
      ("0.0000004999s", 0),
      ("1.5us", 2),
      ("0.0015ms", 2),
    ] as [(String, Int64)])
  func parsesDurations(text: String, micros: Int64) {
    #expect(parseDuration(text) == micros)
  }

  @Test(arguments: [
    "-5s", "-1", "", "s", ".", "5 s", "5sec", "1h30m", "5S", "abc", "1e3s", "+5s", "1.2.3s", "99999999999d",
  ])
  func rejectsMalformedOrNegativeDurations(text: String) {
    #expect(parseDuration(text) == nil)
  }

  @Test(
    arguments: [
      (0, "0s"), (3 * Time.day, "3d"), (12 * Time.hour, "12h"), (90 * Time.minute, "90m"), (30 * Time.second, "30s"),
      (250 * Time.millisecond, "250ms"), (1_500_000, "1500ms"), (1_234_567, "1234567us"), (25 * Time.hour, "25h"),
    ] as [(Int64, String)])
  func formatsDurationsCanonically(micros: Int64, text: String) {
    #expect(formatDuration(micros) == text)
    #expect(parseDuration(text) == micros)
  }

  @Test func formatParsesBackForAwkwardValues() {
    for value: Int64 in [1, 999, 1_001, 59_999_999, 86_400_000_001, Distribution.maximumSample, Int64.max] {
      #expect(parseDuration(formatDuration(value)) == value)
    }
  }
}
