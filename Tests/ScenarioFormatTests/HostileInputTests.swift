import Foundation
import SimKernel
import Testing

@testable import ScenarioFormat

/// Issue 10 #5, #6 and #8: inputs that used to crash, hang or pass unchecked.
@Suite struct HostileInputTests {
  static let head = """
    senders: [{id: main, throughput_mps: 10}]

    """

  @Test func baseSixtyNumbersAreRefusedWhereTheyAre() {
    // `59:59` used to be 3599 contacts; the long one trapped in Yams' integer parsing.
    expectError(
      Self.head + "campaigns: [{id: c, sender: main, audience: 59:59}]",
      line: 2, column: 45, key: "campaigns[0].audience", message: "found 59:59, a base-60 number")
    expectError(
      Self.head + "campaigns: [{id: c, sender: main, audience: 1:00:00:00:00:00:00:00:00:00:00}]",
      line: 2, column: 45, key: "campaigns[0].audience", message: "base-60 number")
    expectError(
      Self.head + "campaigns: [{id: c, sender: main, audience: 1, window: 1:30.5}]",
      line: 2, column: 56, key: "campaigns[0].window", message: "found 1:30.5, a base-60 number")
  }

  @Test func serveReadsItsScenarioThroughTheSameChecks() {
    // `serve` has its own schema pass (audiences optional); the hostile-YAML checks come first.
    let text = Self.head + "campaigns: [{id: c, sender: main, audience: 59:59}]"
    do {
      _ = try ScenarioLoader.parseForServing(text, file: "serve.yaml")
      Issue.record("a base-60 audience was accepted by serve")
    } catch {
      #expect(error.line == 2 && error.description.contains("base-60 number"), "\(error)")
    }
  }

  @Test func timesInStringsAndQuotedNumbersAreNotBaseSixty() {
    #expect(!YAMLPrecheck.isSexagesimal("12:60"))
    #expect(!YAMLPrecheck.isSexagesimal("0:30"))
    #expect(!YAMLPrecheck.isSexagesimal("a:30"))
    #expect(!YAMLPrecheck.isSexagesimal("2026-12-02T01:30:00Z"))
    #expect(YAMLPrecheck.isSexagesimal("-190:20:30"))
    // Quoted, it is a string, and the duration reader says what it expected.
    expectError(
      Self.head + "campaigns: [{id: c, sender: main, audience: 1, window: \"1:30\"}]",
      line: 2, column: 56, key: "campaigns[0].window", message: "expected a positive duration")
  }

  @Test func anAliasAsAKeyIsRefused() {
    expectError(
      """
      x: &k [a, b]
      ? *k
      : 1
      """, line: 2, column: 3, key: "", message: "an alias (*k) cannot be a mapping key")
  }

  @Test func aListAsAKeyIsRefusedBeforeYamsHashesIt() {
    expectError(
      """
      name: x
      campaigns:
        ? [a, b]
        : 1
      """, line: 3, column: 5, key: "campaigns", message: "expected a string key, found a list")
  }

  /// Nine aliases of nine aliases, eight levels deep: 387 bytes, 43 million values.
  static let laughs: String = {
    var lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    var previous = "a"
    for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
      lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]")
      previous = name
    }
    return lines.joined(separator: "\n") + "\n? *i\n: 1\n"
  }()

  @Test func exponentialAliasesAreRefusedAtTheAliasThatPassesTheCap() {
    // f's 9 aliases of e (9^4 + … values each) pass 100 000 at its second one.
    expectError(Self.laughs, line: 6, column: 8, key: "f[0]", message: "aliases expand to more than 100000 values")
    #expect(Self.laughs.utf8.count < 619)
  }

  @Test func aFewSharedBlocksStillWork() throws {
    let scenario = try ScenarioLoader.parse(
      """
      senders: [{id: main, throughput_mps: 10}]
      campaigns:
        - {id: a, sender: main, audience: 1, latency: &lat {api: 200ms, deliver: 1s}}
        - {id: b, sender: main, audience: 2, latency: *lat}
      """, file: "shared.yaml"
    ).scenario
    #expect(scenario.campaigns[1].latency == scenario.campaigns[0].latency)
    #expect(scenario.campaigns[1].latency.api == .fixed(200 * Time.millisecond))
  }

  @Test func longNamesAndIdsAreRefusedWithTheirKey() {
    let long = String(repeating: "n", count: 256)
    expectError(
      "name: \(long)\n" + Self.head + "campaigns: [{id: c, sender: main, audience: 1}]",
      line: 1, column: 7, key: "name", message: "at most 200 characters")
    expectError(
      Self.head + "campaigns: [{id: \(long), sender: main, audience: 1}]",
      line: 2, column: 18, key: "campaigns[0].id", message: "at most 200 bytes, found 256 bytes")
  }

  @Test func idsWithControlCharactersAreRefused() {
    expectError(
      Self.head + "campaigns: [{id: \"pro\\nmo\", sender: main, audience: 1}]",
      line: 2, column: 18, key: "campaigns[0].id", message: "without control characters, found U+A")
    expectError(
      "senders: [{id: \"m\\u001B[31m\", throughput_mps: 10}]\ncampaigns: [{id: c, sender: main, audience: 1}]",
      line: 1, column: 16, key: "senders[0].id", message: "found U+1B")
  }

  @Test func moreCampaignsThanTheRetryQueueCanNumberAreRefused() {
    // The count is checked before any item is read, so plain numbers keep the document small.
    let campaigns = Array(repeating: "1", count: 65_536).joined(separator: ", ")
    expectError(
      Self.head + "campaigns: [\(campaigns)]", line: 2, column: 12, key: "campaigns",
      message: "expected at most 65535 campaigns, found 65536")
  }

  @Test func aFileThatIsNotUTF8IsRefusedWithTheByteOffset() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("latin1-\(UUID().uuidString).yaml")
    try Data("name: caf".utf8 + [0xE9] + Data("\n".utf8)).write(to: url)
    #expect {
      try ScenarioLoader.load(path: url.path)
    } throws: { error in
      let error = error as? ScenarioError
      return error?.line == 1 && error?.column == 10
        && error?.message == "the file is not UTF-8 text: invalid byte 0xE9 at byte offset 9"
    }
  }
}
