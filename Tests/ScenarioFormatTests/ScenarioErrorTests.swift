import CampaignModel
import Foundation
import Testing

@testable import ScenarioFormat

/// Parses `text` expecting a failure, and checks where it is reported. Line numbers in the tests
/// count from the first line of the multi-line literal.
func expectError(
  _ text: String, line: Int?, column: Int? = nil, key: String, message: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  do {
    let scenario = try ScenarioLoader.parse(text, file: "bad.yaml")
    Issue.record("expected an error, parsed \(scenario)", sourceLocation: sourceLocation)
  } catch {
    #expect(error.file == "bad.yaml", sourceLocation: sourceLocation)
    #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
    if let column { #expect(error.column == column, "\(error)", sourceLocation: sourceLocation) }
    #expect(error.key == key, "\(error)", sourceLocation: sourceLocation)
    #expect(error.message.contains(message), "\(error)", sourceLocation: sourceLocation)
  }
}

@Suite struct ScenarioErrorTests {
  @Test func descriptionHasTheCompilerShape() {
    let located = ScenarioError(file: "a.yaml", line: 3, column: 5, key: "seed", message: "expected x, found y")
    #expect(located.description == "a.yaml:3:5: error: at 'seed': expected x, found y")
    let unlocated = ScenarioError(file: "a.yaml", message: "no such file")
    #expect(unlocated.description == "a.yaml: error: no such file")
  }

  @Test func unknownTopLevelKey() {
    expectError(
      """
      name: promo
      sendrs: [{id: main}]
      campaigns: [{id: c, sender: main, audience: 1}]
      """, line: 2, column: 1, key: "sendrs", message: "unknown key 'sendrs' (did you mean 'senders'?)")
  }

  @Test func unknownKeyInsideALatencyForm() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          latency:
            read: {lognormal: {median: 10m, p95: 6h}}
      """, line: 7, key: "campaigns[0].latency.read.lognormal.p95", message: "unknown key 'p95'")
  }

  @Test func unknownDistributionName() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          latency:
            deliver:
              normal: 5s
      """, line: 8, key: "campaigns[0].latency.deliver.normal",
      message: "expected one of: exponential, lognormal, uniform")
  }

  @Test func wrongTypeStringWhereANumberIsExpected() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: lots
      """, line: 5, column: 15, key: "campaigns[0].audience",
      message: "expected an integer in 0...1099511627775, found the string \"lots\"")
  }

  @Test func wrongTypeQuotedNumberInJSON() {
    expectError(
      """
      {
        "senders": [{"id": "main", "throughput_mps": "80"}],
        "campaigns": [{"id": "c", "sender": "main", "audience": 1}]
      }
      """, line: 2, key: "senders[0].throughput_mps", message: "found the string \"80\"")
  }

  @Test func wrongTypeListWhereAMappingIsExpected() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          contacts: [0.1, 0.2]
      """, line: 6, key: "campaigns[0].contacts", message: "expected a mapping with keys invalid, blocked")
  }

  @Test func wrongTypeMappingWhereAListIsExpected() {
    expectError(
      """
      senders:
        id: main
      campaigns: []
      """, line: 2, key: "senders", message: "expected a list of senders, found a mapping")
  }

  /// A missing key has no position of its own: the error points at the mapping that lacks it.
  @Test func missingRequiredKey() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: first
          sender: main
          audience: 1
        - id: second
          sender: main
      """, line: 6, column: 5, key: "campaigns[1].audience", message: "missing required key 'audience'")
  }

  @Test func missingTopLevelSection() {
    expectError(
      """
      seed: 1
      senders: [{id: main}]
      """, line: 1, column: 1, key: "campaigns", message: "missing required key 'campaigns'")
  }

  @Test func probabilityOutsideZeroOne() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          engagement:
            read: 0.5
            respond: 1.2
      """, line: 8, key: "campaigns[0].engagement.respond", message: "expected a probability in [0, 1], found 1.2")
  }

  @Test func negativeProbability() {
    expectError(
      """
      faults: {transient_error_rate: -0.1}
      senders: [{id: main}]
      campaigns: [{id: c, sender: main, audience: 1}]
      """, line: 1, key: "faults.transient_error_rate", message: "expected a probability in [0, 1], found -0.1")
  }

  @Test func contactCategoriesSummingAboveOne() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          contacts:
            invalid: 0.5
            blocked: 0.3
            offline: 0.3
            read_receipts_off: 0.9
      """, line: 7, key: "campaigns[0].contacts", message: "expected invalid + blocked + offline ≤ 1")
  }

  @Test func negativeDuration() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          start: -5m
      """, line: 6, column: 12, key: "campaigns[0].start", message: "found the negative duration -5m")
  }

  @Test func negativeBareSeconds() {
    expectError(
      """
      senders: [{id: main}]
      campaigns: [{id: c, sender: main, audience: 1}]
      retry:
        transient_backoff: [30s, -2, 10m]
      """, line: 4, key: "retry.transient_backoff[1]", message: "negative duration -2")
  }

  @Test func unparseableDuration() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          window: 3 days
      """, line: 6, key: "campaigns[0].window", message: "expected a positive duration (like 250ms")
  }

  @Test func zeroWhereAPositiveDurationIsNeeded() {
    expectError(
      """
      horizon: 0s
      senders: [{id: main}]
      campaigns: [{id: c, sender: main, audience: 1}]
      """, line: 1, key: "horizon", message: "expected a positive duration, found 0s")
  }

  @Test func unknownSenderInACampaign() {
    expectError(
      """
      senders:
        - id: main
        - id: backup
      campaigns:
        - id: c
          sender: mian
          audience: 1
      """, line: 6, column: 13, key: "campaigns[0].sender",
      message: "unknown sender 'mian' (did you mean 'main'?); the senders are 'main', 'backup'")
  }

  @Test func unknownSenderInAnOutage() {
    expectError(
      """
      senders: [{id: main}]
      campaigns: [{id: c, sender: main, audience: 1}]
      faults:
        outages:
          - {sender: main, start: 1h, duration: 5m}
          - {sender: other, start: 2h, duration: 5m}
      """, line: 6, key: "faults.outages[1].sender", message: "unknown sender 'other'")
  }

  @Test func unknownSenderInAThrottle() {
    expectError(
      """
      senders: [{id: main}]
      campaigns: [{id: c, sender: main, audience: 1}]
      faults:
        throttles: [{sender: ghost, start: 1h, duration: 5m, mps: 10}]
      """, line: 4, key: "faults.throttles[0].sender", message: "unknown sender 'ghost'")
  }

  @Test func duplicateSenderID() {
    expectError(
      """
      senders:
        - id: main
        - id: backup
        - id: main
      campaigns: [{id: c, sender: main, audience: 1}]
      """, line: 4, key: "senders[2].id", message: "duplicate sender id 'main' (first at line 2)")
  }

  @Test func duplicateCampaignID() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - {id: promo, sender: main, audience: 1}
        - {id: promo, sender: main, audience: 2}
      """, line: 4, key: "campaigns[1].id", message: "duplicate campaign id 'promo' (first at line 3)")
  }

  /// Yams rejects the repetition before any tree exists; the error must still name the path and
  /// point at the second occurrence.
  @Test func keyRepeatedInTheSameMapping() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          contacts:
            invalid: 0.1
            offline: 0.2
            invalid: 0.3
      """, line: 9, column: 7, key: "campaigns[0].contacts.invalid",
      message: "key 'invalid' appears more than once in the same mapping (first at line 7)")
  }

  @Test func keyRepeatedOnOneLineOfJSON() {
    expectError(
      """
      {"senders": [{"id": "main"}],
       "campaigns": [{"id": "c", "sender": "main", "audience": 1, "audience": 2}]}
      """, line: 2, column: 61, key: "campaigns[0].audience", message: "key 'audience' appears more than once")
  }

  @Test func keyRepeatedThreeTimesAtTopLevel() {
    expectError(
      """
      seed: 1
      senders: [{id: main}]
      seed: 2
      campaigns: [{id: c, sender: main, audience: 1}]
      seed: 3
      """, line: 3, column: 1, key: "seed", message: "(first at line 1)")
  }

  @Test func emptyDocument() {
    expectError("", line: 1, key: "", message: "empty document")
    expectError("# nothing here\n\n", line: 1, key: "", message: "empty document")
  }

  @Test func topLevelNotAMapping() {
    expectError(
      """
      # a list, not a scenario
      - senders
      - campaigns
      """, line: 2, column: 1, key: "", message: "expected a mapping at the top level")
    expectError("just words", line: 1, key: "", message: "found the string \"just words\"")
  }

  @Test func yamlSyntaxError() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
         audience: 1
      """, line: 5, key: "", message: "invalid YAML")
  }

  @Test func jsonSyntaxError() {
    expectError(
      """
      {
        "senders": [{"id": "main"}],
        "campaigns": [{"id": "c", "sender": "main", "audience": 1}
      }
      """, line: 4, key: "", message: "invalid YAML")
  }

  @Test func badEnumValue() {
    expectError(
      """
      pacing: fast
      senders: [{id: main}]
      campaigns: [{id: c, sender: main, audience: 1}]
      """, line: 1, column: 9, key: "pacing", message: "expected naive or limit_aware, found the string \"fast\"")
  }

  @Test func badBlockedSignal() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          blocked_signal: true
      """, line: 6, key: "campaigns[0].blocked_signal", message: "expected error or silent, found the boolean true")
  }

  @Test func outOfRangeIntegers() {
    let tail = "senders: [{id: main}]\ncampaigns: [{id: c, sender: main, audience: 1}]\n"
    expectError("replications: 0\n" + tail, line: 1, key: "replications", message: "expected an integer in 1...")
    expectError("seed: -1\n" + tail, line: 1, key: "seed", message: "expected a non-negative integer")
    expectError("seed: 18446744073709551616\n" + tail, line: 1, key: "seed", message: "found 18446744073709551616")
    expectError(tail + "retry: {max_retries: 101}\n", line: 3, key: "retry.max_retries", message: "in 0...100")
    expectError(
      tail + "business: {messaging_limit: 0}\n", line: 3, key: "business.messaging_limit",
      message: "expected a positive integer or unlimited, found 0")
    expectError(
      "senders: [{id: main}]\ncampaigns: [{id: c, sender: main, audience: 1099511627776}]\n", line: 2,
      key: "campaigns[0].audience", message: "found 1099511627776")
    expectError(
      "replications: 1.5\n" + tail, line: 1, key: "replications",
      message: "expected an integer in 1...1000000, found the number 1.5")
  }

  @Test func throughputOutOfRange() {
    expectError(
      "senders: [{id: main, throughput_mps: 0}]\ncampaigns: [{id: c, sender: main, audience: 1}]\n", line: 1,
      key: "senders[0].throughput_mps", message: "expected a number of sends per second in (0, 1000000], found 0")
    expectError(
      "senders: [{id: main, throughput_mps: .nan}]\ncampaigns: [{id: c, sender: main, audience: 1}]\n", line: 1,
      key: "senders[0].throughput_mps", message: "found .nan")
  }

  @Test func lognormalMedianAboveP90() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          latency:
            read:
              lognormal:
                median: 1h
                p90: 10m
      """, line: 10, key: "campaigns[0].latency.read.lognormal.p90", message: "expected p90 ≥ median (1h), found 10m")
  }

  @Test func uniformBoundsReversed() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          latency: {respond: {uniform: [30m, 1m]}}
      """, line: 6, key: "campaigns[0].latency.respond.uniform[1]", message: "expected HIGH ≥ LOW (30m), found 1m")
  }

  @Test func twoDistributionsInOneLatency() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          latency:
            deliver: {exponential: 5s, uniform: [1s, 2s]}
      """, line: 7, key: "campaigns[0].latency.deliver.uniform", message: "expected a single distribution")
  }

  @Test func overlappingThrottlesOfOneSender() {
    expectError(
      """
      senders: [{id: main}, {id: backup}]
      campaigns: [{id: c, sender: main, audience: 1}]
      faults:
        throttles:
          - {sender: main, start: 6h, duration: 1h, mps: 20}
          - {sender: backup, start: 390m, duration: 1h, mps: 20}
          - {sender: main, start: 419m, duration: 1h, mps: 5}
      """, line: 7, key: "faults.throttles[2]", message: "overlaps faults.throttles[0] [6h, 7h) (at line 5)")
  }

  @Test func adjacentThrottlesDoNotOverlap() throws {
    let scenario = try ScenarioLoader.parse(
      """
      senders: [{id: main}]
      campaigns: [{id: c, sender: main, audience: 1}]
      faults:
        throttles:
          - {sender: main, start: 6h, duration: 1h, mps: 20}
          - {sender: main, start: 7h, duration: 1h, mps: 5}
      """, file: "ok.yaml"
    ).scenario
    #expect(scenario.faults.throttles.count == 2)
  }

  @Test func invalidScenarioName() {
    expectError(
      """
      name: spring promo/2025
      senders: [{id: main}]
      campaigns: [{id: c, sender: main, audience: 1}]
      """, line: 1, key: "name", message: "it names the report folder")
    expectError(
      "name: ..\nsenders: [{id: main}]\ncampaigns: [{id: c, sender: main, audience: 1}]\n", line: 1, key: "name",
      message: "found \"..\"")
  }

  @Test func emptyListsOfSendersAndCampaigns() {
    expectError(
      "senders: []\ncampaigns: []\n", line: 1, key: "senders", message: "expected a non-empty list of senders")
    expectError(
      "senders: [{id: main}]\nretry: {transient_backoff: []}\ncampaigns: [{id: c, sender: main, audience: 1}]\n",
      line: 2, key: "retry.transient_backoff", message: "non-empty list")
  }

  @Test func unreadableFile() {
    let path = "/nonexistent-\(UUID())/scenario.yaml"
    do {
      _ = try ScenarioLoader.load(path: path)
      Issue.record("expected an error")
    } catch {
      #expect(error == ScenarioError(file: path, line: nil, column: nil, key: "", message: "no such file"))
    }
  }
}

@Suite struct BucketLimitTests {
  @Test func aBucketTooNarrowForTheHorizonIsALocatedError() {
    let text = """
      senders: [{id: s}]
      campaigns: [{id: c, sender: s, audience: 1}]
      report:
        bucket: 1ms
      """
    #expect {
      try ScenarioLoader.parse(text, file: "b.yaml")
    } throws: { error in
      let error = error as! ScenarioError
      return error.line == 4 && error.key == "report.bucket" && error.message.contains("buckets")
    }
  }
}

/// One test per class of bad MODEL.md §9 value, each with the exact line and key path.
@Suite struct PlatformKeyErrorTests {
  /// Lines 1–2; the key under test starts on line 3.
  static let head = "senders: [{id: main}]\ncampaigns: [{id: c, sender: main, audience: 1}]\n"

  @Test func limitWindowMustBePositive() {
    expectError(
      Self.head + "business: {limit_window: 0s}\n", line: 3, key: "business.limit_window",
      message: "expected a positive duration")
    expectError(
      Self.head + "business:\n  limit_window: -1h\n", line: 4, key: "business.limit_window",
      message: "negative duration -1h")
  }

  @Test func tiersMustBeAscendingPositiveWithUnlimitedLast() {
    expectError(
      Self.head + """
        business:
          scaling:
            tiers:
              - 250
              - 10000
              - 2000
        """, line: 8, key: "business.scaling.tiers[2]",
      message: "expected tiers in ascending order, found 2000 after 10000"
    )
    expectError(
      Self.head + "business:\n  scaling:\n    tiers: [250, 250]\n", line: 5, key: "business.scaling.tiers[1]",
      message: "found 250 after 250")
    expectError(
      Self.head + "business:\n  scaling:\n    tiers: [0, 250]\n", line: 5, key: "business.scaling.tiers[0]",
      message: "expected a positive integer or unlimited, found 0")
    expectError(
      Self.head + "business:\n  scaling:\n    tiers: [-250]\n", line: 5, key: "business.scaling.tiers[0]",
      message: "expected a positive integer or unlimited, found -250")
    expectError(
      Self.head + "business:\n  scaling:\n    tiers: [250, unlimited, 100000]\n", line: 5,
      key: "business.scaling.tiers[2]", message: "unlimited must be the last tier")
    expectError(
      Self.head + "business:\n  scaling:\n    tiers: []\n", line: 5, key: "business.scaling.tiers",
      message: "expected a non-empty list of tiers")
  }

  @Test func usedFractionMustBeInZeroExcludedToOne() {
    for bad in ["0", "0.0", "1.5", "-0.5", "1.0000000000001"] {
      expectError(
        Self.head + "business:\n  scaling: {used_fraction: \(bad)}\n", line: 4,
        key: "business.scaling.used_fraction", message: "expected a number in (0, 1], found \(bad)")
    }
    expectError(
      Self.head + "business:\n  scaling: {used_fraction: half}\n", line: 4, key: "business.scaling.used_fraction",
      message: "found the string \"half\"")
    // Exact comparison needs an exact decimal: more digits than a Double keeps is refused, not rounded.
    expectError(
      Self.head + "business:\n  scaling: {used_fraction: 0.1234567890123456}\n", line: 4,
      key: "business.scaling.used_fraction", message: "at most 15 significant digits")
  }

  @Test func scalingDurationsAndQuality() {
    expectError(
      Self.head + "business:\n  scaling:\n    lookback: 0s\n", line: 5, key: "business.scaling.lookback",
      message: "expected a positive duration")
    expectError(
      Self.head + "business:\n  scaling:\n    delay: -6h\n", line: 5, key: "business.scaling.delay",
      message: "negative duration -6h")
    expectError(
      Self.head + "business:\n  scaling:\n    min_quality: great\n", line: 5, key: "business.scaling.min_quality",
      message: "expected high, medium or low, found the string \"great\"")
    expectError(
      Self.head + "business:\n  scaling:\n    tiers: [1000]\n    upgrade_after: 6h\n", line: 6,
      key: "business.scaling.upgrade_after", message: "unknown key 'upgrade_after'")
  }

  @Test func qualityThresholdsAreOrderedFractions() {
    expectError(
      Self.head + "business:\n  quality:\n    medium_at: 0.05\n    low_at: 0.02\n", line: 6,
      key: "business.quality.low_at", message: "expected low_at ≥ medium_at (0.05), found 0.02")
    // Only medium_at written, above the default low_at (0.03): the error is on what was written.
    expectError(
      Self.head + "business:\n  quality:\n    medium_at: 0.04\n", line: 5, key: "business.quality.medium_at",
      message: "expected medium_at ≤ low_at (0.03, the default), found 0.04")
    expectError(
      Self.head + "business:\n  quality: {low_at: 1.5}\n", line: 4, key: "business.quality.low_at",
      message: "expected a number in [0, 1], found 1.5")
    expectError(
      Self.head + "business:\n  quality:\n    window: -7d\n", line: 5, key: "business.quality.window",
      message: "negative duration -7d")
  }

  @Test func anUpgradeMustRaiseTheThroughput() {
    expectError(
      """
      senders:
        - id: main
          throughput_mps: 80
          upgrade: {throughput_mps: 80}
      campaigns: [{id: c, sender: main, audience: 1}]
      """, line: 4, key: "senders[0].upgrade.throughput_mps",
      message: "expected a throughput above the sender's throughput_mps (80), found 80")
    expectError(
      """
      senders:
        - id: main
          throughput_mps: 1000
          upgrade: {pause: 1m}
      campaigns: [{id: c, sender: main, audience: 1}]
      """, line: 4, key: "senders[0].upgrade", message: "the default upgrade throughput_mps (1000) is not above")
    expectError(
      """
      senders:
        - id: main
          upgrade:
            throughput_mps: 2000000
      campaigns: [{id: c, sender: main, audience: 1}]
      """, line: 4, key: "senders[0].upgrade.throughput_mps",
      message: "expected a number of sends per second in (0, 1000000], found 2000000")
    expectError(
      """
      senders:
        - id: main
          upgrade:
            pause: -1m
      campaigns: [{id: c, sender: main, audience: 1}]
      """, line: 4, key: "senders[0].upgrade.pause", message: "negative duration -1m")
  }

  @Test func capsAndReports() {
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          contacts: {marketing_capped: 1.2}
      """, line: 6, key: "campaigns[0].contacts.marketing_capped", message: "expected a probability in [0, 1]")
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          cap_duration: -36h
      """, line: 6, key: "campaigns[0].cap_duration", message: "negative duration -36h")
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          cap_duration:
            normal: 36h
      """, line: 7, key: "campaigns[0].cap_duration.normal", message: "unknown key 'normal'")
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          engagement: {read: 0.5, report: 2}
      """, line: 6, key: "campaigns[0].engagement.report", message: "expected a probability in [0, 1], found 2")
    expectError(
      """
      senders: [{id: main}]
      campaigns:
        - id: c
          sender: main
          audience: 1
          latency:
            report: {exponential: -2h}
      """, line: 7, key: "campaigns[0].latency.report.exponential", message: "negative duration -2h")
  }

  @Test func perKindBackoffs() {
    expectError(
      Self.head + "retry:\n  limit_backoff: []\n", line: 4, key: "retry.limit_backoff",
      message: "expected a non-empty list of durations")
    expectError(
      Self.head + "retry:\n  limit_backoff: [1h, -2h]\n", line: 4, key: "retry.limit_backoff[1]",
      message: "negative duration -2h")
    expectError(
      Self.head + "retry:\n  cap_backoff: {after: 12h}\n", line: 4, key: "retry.cap_backoff",
      message: "expected a duration or a non-empty list of durations")
    expectError(
      Self.head + "retry:\n  cap_backoff: [12h, 1d, two days]\n", line: 4, key: "retry.cap_backoff[2]",
      message: "expected a duration")
  }

  @Test func jitterMustBeInZeroToOne() {
    for bad in ["1.5", "-0.1"] {
      expectError(
        Self.head + "retry:\n  jitter: \(bad)\n", line: 4, key: "retry.jitter",
        message: "expected a number in [0, 1], found \(bad)")
    }
  }

  @Test func retryOnTakesKnownKindsOnce() {
    expectError(
      Self.head + "retry:\n  retry_on: [transient, quota]\n", line: 4, key: "retry.retry_on[1]",
      message: "expected an error kind, one of transient, limit, cap, found the string \"quota\"")
    expectError(
      Self.head + "retry:\n  retry_on:\n    - cap\n    - cap\n", line: 6, key: "retry.retry_on[1]",
      message: "'cap' is listed twice")
    expectError(
      Self.head + "retry:\n  retry_on: cap\n", line: 4, key: "retry.retry_on", message: "expected a list of error kinds"
    )
  }
}
