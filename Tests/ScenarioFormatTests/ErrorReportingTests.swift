import CampaignModel
import Foundation
import Testing

@testable import ScenarioFormat

/// The messages of a file that fails, one per error, in file order.
func errorLines(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
  do {
    let file = try ScenarioLoader.parse(text, file: "bad.yaml")
    Issue.record("expected errors, parsed \(file)", sourceLocation: sourceLocation)
    return []
  } catch {
    return error.description.components(separatedBy: "\n")
  }
}

/// Issue 11, item 9: every error of a file at once, suggestions for misspellings, the `>=` trap,
/// and count shorthands.
@Suite struct ErrorReportingTests {
  static let expectedTopKeys =
    "expected one of: name, seed, replications, horizon, business, pacing, senders, campaigns, faults, retry, "
    + "report, thresholds, sweep, emulator"

  @Test func independentErrorsAreReportedTogetherInFileOrder() {
    let lines = errorLines(
      """
      name: promo
      seed: -3
      replicatons: 2
      senders:
        - id: main
          throughput_mps: 0
      campaigns:
        - id: promo
          sender: mian
          audience: 1.5M
          window: -1d
          contacts: {invalid: 1.5, blocked: 0.2}
        - id: second
          sender: main
          audience: 2.5K5
          blocked_signal: silnt
      pacing: limit-aware
      retry: {max_retries: 1.0001K, jitter: 2}
      """)
    #expect(
      lines == [
        "bad.yaml:2:7: error: at 'seed': expected a non-negative integer (at most 18446744073709551615), found -3",
        "bad.yaml:3:1: error: at 'replicatons': unknown key 'replicatons' (did you mean 'replications'?); "
          + Self.expectedTopKeys,
        "bad.yaml:6:21: error: at 'senders[0].throughput_mps': expected a number of sends per second in (0, 1000000], "
          + "found 0",
        "bad.yaml:9:13: error: at 'campaigns[0].sender': unknown sender 'mian' (did you mean 'main'?); the senders "
          + "are 'main'",
        "bad.yaml:11:13: error: at 'campaigns[0].window': expected a positive duration, found the negative duration -1d",
        "bad.yaml:12:25: error: at 'campaigns[0].contacts.invalid': expected a probability in [0, 1], found 1.5",
        "bad.yaml:15:15: error: at 'campaigns[1].audience': expected an integer in 0...1099511627775 or a count such "
          + "as 10K, 1.5M or 2G (upper-case K, M, G: 1e3, 1e6, 1e9), found the string \"2.5K5\"",
        "bad.yaml:16:21: error: at 'campaigns[1].blocked_signal': expected error or silent, found the string "
          + "\"silnt\" (did you mean 'silent'?)",
        "bad.yaml:17:9: error: at 'pacing': expected naive or limit_aware, found the string \"limit-aware\" "
          + "(did you mean 'limit_aware'?)",
        "bad.yaml:18:22: error: at 'retry.max_retries': expected an integer in 0...100, found 1.0001K, which is not "
          + "a whole number",
        "bad.yaml:18:39: error: at 'retry.jitter': expected a number in [0, 1], found 2",
      ])
  }

  /// The thrown error is the first one, so code that reads one error still gets a located one.
  @Test func theThrownErrorIsTheFirstAndCarriesTheOthers() throws {
    do {
      _ = try ScenarioLoader.parse(
        "seed: -1\nsenders: [{id: main, throughput_mps: 0}]\ncampaigns: [{id: c, sender: main, audience: x}]\n",
        file: "bad.yaml")
      Issue.record("expected errors")
    } catch {
      #expect(error.line == 1 && error.key == "seed")
      #expect(error.others.map(\.key) == ["senders[0].throughput_mps", "campaigns[0].audience"])
      #expect(error.all.count == 3 && error.all.allSatisfy { $0.others.isEmpty })
      #expect(!error.truncated)
    }
  }

  /// A misspelt key is read as the key it is close to: its own errors are found, and the key it
  /// stands for is not reported missing as well.
  @Test func aMisspeltKeyIsReadAsTheKeyItIsCloseTo() {
    let lines = errorLines(
      """
      sendrs:
        - id: main
          throughput_mps: -1
      campaigns: [{id: c, sender: main, audience: 1}]
      """)
    #expect(
      lines == [
        "bad.yaml:1:1: error: at 'sendrs': unknown key 'sendrs' (did you mean 'senders'?); " + Self.expectedTopKeys,
        "bad.yaml:3:21: error: at 'sendrs[0].throughput_mps': expected a number of sends per second in (0, 1000000], "
          + "found -1",
      ])
  }

  /// A sender whose id cannot be read leaves its campaigns' references unchecked rather than
  /// reporting each as unknown.
  @Test func aBadIdIsNotReportedAgainAsUnknownReferences() {
    let lines = errorLines(
      """
      senders: [{id: ""}, {id: main}]
      campaigns:
        - {id: a, sender: other, audience: 1}
        - {id: b, sender: main, audience: -1}
      faults: {outages: [{sender: other, start: 1h, duration: 1h}]}
      """)
    #expect(
      lines == [
        "bad.yaml:1:16: error: at 'senders[0].id': expected a non-empty id, found an empty string",
        "bad.yaml:4:37: error: at 'campaigns[1].audience': expected an integer in 0...1099511627775, found -1",
      ])
  }

  @Test func reportingStopsAtTwentyErrors() {
    let campaigns = (0..<25).map { "  - {id: c\($0), sender: main, audience: bad}" }.joined(separator: "\n")
    let lines = errorLines("senders: [{id: main}]\ncampaigns:\n" + campaigns + "\n")
    #expect(lines.count == 21)
    #expect(lines[0].hasPrefix("bad.yaml:3:38: error: at 'campaigns[0].audience': expected an integer"))
    #expect(lines[19].hasPrefix("bad.yaml:22:39: error: at 'campaigns[19].audience'"))
    #expect(lines[20] == "bad.yaml: note: stopped after 20 errors; fix these and validate again")
  }

  /// Past a YAML syntax error nothing is known about the rest of the file: one error, as before.
  @Test func aSyntaxErrorIsReportedAlone() {
    let lines = errorLines("seed: -1\nsenders: [{id: main}\ncampaigns: [{id: c, sender: main, audience: 1}]\n")
    #expect(lines.count == 1)
    #expect(lines[0].hasPrefix("bad.yaml:3:1: error: invalid YAML: did not find expected ',' or ']'"))
  }

  // MARK: Did you mean

  @Test func suggestionsAreOfferedOnlyForCloseMisspellings() {
    let senderKeys = ScenarioKeys.sender.names
    #expect(closest(to: "throughput_mp", in: senderKeys) == "throughput_mps")
    #expect(closest(to: "throughput", in: senderKeys) == "throughput_mps")  // 4 edits, a third of 14
    #expect(closest(to: "Throughput_MPS", in: senderKeys) == "throughput_mps")
    #expect(closest(to: "ip", in: senderKeys) == "id")
    #expect(closest(to: "xy", in: senderKeys) == nil)  // two edits is the whole of `id`
    #expect(closest(to: "speed", in: senderKeys) == nil)
    #expect(closest(to: "upgarde", in: senderKeys) == "upgrade")
    #expect(closest(to: "p95", in: ["median", "p90"]) == "p90")
    #expect(closest(to: "latncy", in: ScenarioKeys.campaign.names) == "latency")
    #expect(closest(to: "latencies", in: ScenarioKeys.campaign.names) == nil)
  }

  @Test func aMisspeltNestedKeySuggestsTheKeyValidThere() {
    expectError(
      """
      senders: [{id: main, throughput_msp: 80}]
      campaigns: [{id: c, sender: main, audience: 1}]
      """, line: 1, column: 22, key: "senders[0].throughput_msp",
      message: "unknown key 'throughput_msp' (did you mean 'throughput_mps'?); expected one of: id, throughput_mps, "
        + "upgrade, phone_number_id")
  }

  // MARK: The >= trap

  @Test func anUnquotedComparisonIsExplained() {
    let head = "senders: [{id: main}]\ncampaigns: [{id: promo, sender: main, audience: 1}]\n"
    #expect(
      errorLines(head + "thresholds:\n  promo.delivered_fraction: >= 0.9\n") == [
        "bad.yaml:4:29: error: at 'thresholds.promo.delivered_fraction': found >= 0.9 unquoted, but in YAML a value "
          + "starting with > begins a folded block scalar; quote the value: '>= 0.9'"
      ])
    #expect(
      errorLines(head + "thresholds:\n  promo.sending_finished_at: [<= 3d, > 1h]\n") == [
        "bad.yaml:4:38: error: at 'thresholds.promo.sending_finished_at[1]': found > 1h unquoted, but in YAML a value "
          + "starting with > begins a folded block scalar; quote the value: '> 1h'"
      ])
    #expect(
      errorLines(head + "thresholds:\n  promo.sending_finished_at:\n    - <= 3d\n    - > 1h  # at least\n") == [
        "bad.yaml:6:7: error: at 'thresholds.promo.sending_finished_at[1]': found > 1h unquoted, but in YAML a value "
          + "starting with > begins a folded block scalar; quote the value: '> 1h'"
      ])
    #expect(
      errorLines(
        head + "sweep:\n  find_max:\n    parameter: campaigns.promo.audience\n    until: >= 3d\n") == [
          "bad.yaml:6:12: error: at 'sweep.find_max.until': found >= 3d unquoted, but in YAML a value starting with > "
            + "begins a folded block scalar; quote the value: '>= 3d'"
        ])
    let crlf = (head + "thresholds:\n  promo.delivered_fraction: >= 0.9\n").replacingOccurrences(of: "\n", with: "\r\n")
    #expect(
      errorLines(crlf) == [
        "bad.yaml:4:29: error: at 'thresholds.promo.delivered_fraction': found >= 0.9 unquoted, but in YAML a value "
          + "starting with > begins a folded block scalar; quote the value: '>= 0.9'"
      ])
    // `!=` is a tag followed by the value: valid YAML that would quietly drop the comparison.
    #expect(
      errorLines(head + "thresholds:\n  failed: != 0\n") == [
        "bad.yaml:4:11: error: at 'thresholds.failed': found != 0 unquoted, but in YAML a value starting with ! "
          + "begins a tag; quote the value: '!= 0'"
      ])
  }

  /// A real folded block is left alone.
  @Test func aFoldedBlockScalarStillReads() throws {
    let file = try ScenarioLoader.parse(
      """
      senders: [{id: main}]
      campaigns: [{id: promo, sender: main, audience: 1}]
      thresholds:
        promo.delivered_fraction: >-
          >= 0.9
      """, file: "ok.yaml")
    #expect(file.thresholds.count == 1)
  }

  // MARK: Count shorthands

  @Test func countShorthandsReadToExactIntegers() {
    #expect(CountShorthand.parse("2K") == .value(2_000))
    #expect(CountShorthand.parse("10K") == .value(10_000))
    #expect(CountShorthand.parse("100K") == .value(100_000))
    #expect(CountShorthand.parse("1M") == .value(1_000_000))
    #expect(CountShorthand.parse("1.5M") == .value(1_500_000))
    #expect(CountShorthand.parse("2.50K") == .value(2_500))
    #expect(CountShorthand.parse("0.001K") == .value(1))
    #expect(CountShorthand.parse("3G") == .value(3_000_000_000))
    #expect(CountShorthand.parse("1.0001K") == .fraction)
    #expect(CountShorthand.parse("0.0000000001G") == .fraction)
    #expect(CountShorthand.parse("9999999999999G") == .overflow)
    for text in ["2.5K5", "10k", "1m", "K", ".5K", "5.K", "-2K", "+2K", "1e3K", "1_000K", "2KK", "", "10"] {
      #expect(CountShorthand.parse(text) == .invalid, "\(text)")
    }
  }

  @Test func everyCountKeyTakesShorthands() throws {
    let file = try ScenarioLoader.parse(
      """
      replications: 2K
      business:
        messaging_limit: 10K
        scaling: {tiers: [250, 2K, 10K, 100K, unlimited]}
      senders: [{id: main}]
      campaigns: [{id: promo, sender: main, audience: 1.5M}]
      retry: {max_retries: 0.003K}
      emulator: {webhook: {batch: 1K, backlog: 1M}}
      sweep:
        vary: {business.messaging_limit: [2K, 10K]}
        find_max: {parameter: campaigns.promo.audience, until: "promo.delivered_fraction >= 0.9", low: 1K, high: 2M}
      """, file: "counts.yaml")
    let scenario = file.scenario
    #expect(scenario.replications == 2_000)
    #expect(scenario.messagingLimit == 10_000)
    #expect(scenario.scaling?.tiers == [250, 2_000, 10_000, 100_000, nil])
    #expect(scenario.campaigns[0].audience == 1_500_000)
    #expect(scenario.retry.maxRetries == 3)
    #expect(file.sweep?.vary.first?.values == [.int(2_000), .int(10_000)])
    #expect(file.sweep?.findMax?.low == 1_000 && file.sweep?.findMax?.high == 2_000_000)
    let (_, settings) = try ScenarioLoader.parseForServing(
      "senders: [{id: main}]\ncampaigns: [{id: c, sender: main}]\nemulator: {webhook: {batch: 1K, backlog: 1M}}\n",
      file: "serve.yaml")
    #expect(settings.webhook.batch == 1_000 && settings.webhook.backlog == 1_000_000)
  }

  /// `--vary PATH=2K,10K` reads its values as `sweep.vary` does.
  @Test func commandLineSweepValuesTakeShorthands() {
    #expect(ScenarioParameters.value(parsing: "10K") == .int(10_000))
    #expect(ScenarioParameters.value(parsing: "1.5M") == .int(1_500_000))
    #expect(ScenarioParameters.value(parsing: "250") == .int(250))
    #expect(ScenarioParameters.value(parsing: "0.5") == .double(0.5))
    #expect(ScenarioParameters.value(parsing: "unlimited") == .string("unlimited"))
    #expect(ScenarioParameters.value(parsing: "1.0001K") == .string("1.0001K"))
  }

  @Test func countThresholdsTakeShorthands() throws {
    let file = try ScenarioLoader.parse(
      """
      senders: [{id: main}]
      campaigns: [{id: promo, sender: main, audience: 2M}]
      thresholds:
        promo.delivered: ">= 1.5M"
        final_limit: ">= 100K"
      """, file: "counts.yaml")
    #expect(file.thresholds.map(\.value) == [1_500_000, 100_000])
    #expect(
      errorLines(
        """
        senders: [{id: main}]
        campaigns: [{id: promo, sender: main, audience: 2M}]
        thresholds:
          promo.delivered: ">= 1.0001K"
          promo.delivered_fraction: ">= 1K"
        """) == [
          "bad.yaml:4:20: error: at 'thresholds.promo.delivered': expected a whole count for 'promo.delivered', "
            + "found \"1.0001K\"",
          "bad.yaml:5:29: error: at 'thresholds.promo.delivered_fraction': expected a number for "
            + "'promo.delivered_fraction', found \"1K\"",
        ])
  }

  @Test func badCountShorthandsAreLocatedErrors() {
    let tail = "senders: [{id: main}]\ncampaigns: [{id: c, sender: main, audience: 1}]\n"
    #expect(
      errorLines("business: {messaging_limit: 2.5K5}\n" + tail) == [
        "bad.yaml:1:29: error: at 'business.messaging_limit': expected a positive integer or unlimited or a count "
          + "such as 10K, 1.5M or 2G (upper-case K, M, G: 1e3, 1e6, 1e9), found the string \"2.5K5\""
      ])
    #expect(
      errorLines("business: {messaging_limit: 1.0001K}\n" + tail) == [
        "bad.yaml:1:29: error: at 'business.messaging_limit': expected a positive integer or unlimited, found "
          + "1.0001K, which is not a whole number"
      ])
    #expect(
      errorLines("replications: 10k\n" + tail) == [
        "bad.yaml:1:15: error: at 'replications': expected an integer in 1...1000000 or a count such as 10K, 1.5M "
          + "or 2G (upper-case K, M, G: 1e3, 1e6, 1e9), found the string \"10k\""
      ])
    #expect(
      errorLines("replications: 2M\n" + tail) == [
        "bad.yaml:1:15: error: at 'replications': expected an integer in 1...1000000, found 2M (2000000)"
      ])
    #expect(
      errorLines("senders: [{id: main}]\ncampaigns: [{id: c, sender: main, audience: 99999999999G}]\n") == [
        "bad.yaml:2:45: error: at 'campaigns[0].audience': expected an integer in 0...1099511627775, found "
          + "99999999999G, which is too large"
      ])
    // Not a count: the port keeps plain integers.
    #expect(
      errorLines(tail + "emulator: {port: 8K}\n") == [
        "bad.yaml:3:18: error: at 'emulator.port': expected a port number in 0...65535, found the string \"8K\""
      ])
  }
}
