import CampaignModel
import SimKernel
import Testing

@testable import ScenarioFormat

/// Every key of MODEL.md §9 set to a value other than its default.
let platformYAML = """
  name: platform
  business:
    messaging_limit: 2000
    limit_window: 12h
    scaling:
      tiers: [1000, 2000, 5000, unlimited]
      used_fraction: 0.3
      lookback: 3d
      delay: 90m
      min_quality: high
    quality: {window: 2d, medium_at: 0.02, low_at: 0.045}
  senders:
    - id: main
      throughput_mps: 80
      upgrade: {throughput_mps: 250.5, pause: 2m}
    - id: spare
  campaigns:
    - id: promo
      sender: main
      audience: 100
      contacts: {invalid: 0.5, blocked: 0.3, offline: 0.2, marketing_capped: 0.9}
      cap_duration: {uniform: [1h, 2h]}
      engagement: {read: 0.7, respond: 0.1, report: 0.002}
      latency: {report: {exponential: 2h}}
  retry:
    max_retries: 4
    limit_backoff: [1h, 2h]
    cap_backoff: 12h
    jitter: 0.25
    retry_on: [cap, transient]
  """

let expectedPlatform: Scenario = {
  var scenario = Scenario(
    name: "platform", messagingLimit: 2000,
    senders: [
      Sender(id: "main", throughputMPS: 80, upgrade: ThroughputUpgrade(throughputMPS: 250.5, pause: 2 * Time.minute)),
      Sender(id: "spare"),
    ],
    campaigns: [
      Campaign(
        id: "promo", sender: "main", audience: 100,
        contacts: ContactMix(invalid: 0.5, blocked: 0.3, offline: 0.2, marketingCapped: 0.9),
        engagement: Engagement(read: 0.7, respond: 0.1, report: 0.002),
        latency: Latencies(report: .exponential(mean: 2 * Time.hour)),
        capDuration: .uniform(Time.hour, 2 * Time.hour))
    ],
    retry: RetryPolicy(
      maxRetries: 4, limitBackoff: [Time.hour, 2 * Time.hour], capBackoff: [12 * Time.hour], jitter: 0.25,
      retryOn: [.transient, .cap]))
  scenario.limitWindow = 12 * Time.hour
  scenario.scaling = ScalingPolicy(
    tiers: [1000, 2000, 5000, nil], usedFraction: ExactFraction(numerator: 3, denominator: 10),
    lookback: 3 * Time.day, delay: 90 * Time.minute, minQuality: .high)
  scenario.quality = QualityPolicy(
    window: 2 * Time.day, mediumAt: ExactFraction(numerator: 2, denominator: 100),
    lowAt: ExactFraction(numerator: 45, denominator: 1000))
  return scenario
}()

@Suite struct PlatformKeysTests {
  static let head = "senders: [{id: main}]\ncampaigns: [{id: c, sender: main, audience: 1}]\n"

  @Test func everyKeyParsesToItsExactValue() throws {
    #expect(try ScenarioLoader.parse(platformYAML, file: "platform.yaml").scenario == expectedPlatform)
  }

  /// `0.07 × 100` is 7.000000000000001 in Double, whose ceiling would demand one acceptance too many.
  @Test func fractionsAreReadFromTheirDecimalText() throws {
    let scenario = try ScenarioLoader.parse(
      Self.head + "business: {messaging_limit: 100, scaling: {used_fraction: 0.07}}\n", file: "p.yaml"
    ).scenario
    let scaling = try #require(scenario.scaling)
    #expect(scaling.usedFraction.ceilTimes(100) == 7)
    #expect((0.07 * 100.0).rounded(.up) == 8)
    for (text, numerator, denominator) in [
      ("0.5", 5, 10), ("0.50", 5, 10), (".5", 5, 10), ("5e-1", 5, 10), ("+0.5", 5, 10), ("1", 1, 1), ("1.0", 1, 1),
      ("0.01", 1, 100), ("1e-05", 1, 100_000), ("0", 0, 1), ("0.000", 0, 1),
      ("123456789012345e-15", 123_456_789_012_345, 1_000_000_000_000_000),
    ] {
      #expect(
        exactDecimal(text) == ExactFraction(numerator: Int64(numerator), denominator: Int64(denominator)),
        "\(text)")
    }
    for text in ["-0.5", "0x10", ".inf", "1/2", "", ".", "1e", "0.1234567890123456", "1e-19", "1e99999"] {
      #expect(exactDecimal(text) == nil, "\(text)")
    }
  }

  @Test func absentKeysMeanOff() throws {
    let scenario = try ScenarioLoader.parse(Self.head, file: "v1.yaml").scenario
    #expect(scenario.limitWindow == Time.day)
    #expect(scenario.scaling == nil && scenario.quality == nil)
    #expect(scenario.senders[0].upgrade == nil)
    #expect(scenario.campaigns[0].contacts.marketingCapped == 0)
    #expect(scenario.campaigns[0].capDuration == Campaign.defaultCapDuration)
    #expect(scenario.retry == RetryPolicy())
    #expect(!scenario.usesPlatformDynamics)
  }

  @Test func sectionsWithoutValuesTakeMetasRulesAndTheProjectsAssumptions() throws {
    let scenario = try ScenarioLoader.parse(
      """
      business: {scaling: {}}
      senders: [{id: main, upgrade: {}}]
      campaigns: [{id: c, sender: main, audience: 1}]
      retry: {limit_backoff: 6h}
      """, file: "d.yaml"
    ).scenario
    let scaling = try #require(scenario.scaling)
    #expect(scaling.tiers == [250, 2000, 10000, 100_000, nil])
    #expect(scaling.usedFraction.ceilTimes(2000) == 1000)
    #expect(scaling.lookback == 7 * Time.day && scaling.delay == 6 * Time.hour && scaling.minQuality == .medium)
    // Scaling needs quality, so its defaults are filled in (and shown by `validate`).
    #expect(scenario.quality == QualityPolicy())
    #expect(scenario.senders[0].upgrade == ThroughputUpgrade(throughputMPS: 1000, pause: Time.minute))
    #expect(scenario.retry.limitBackoff == [6 * Time.hour] && scenario.retry.capBackoff == nil)
    #expect(scenario.retry.backoff(for: .cap, afterRetries: 2) == 6 * Time.hour)
  }

  /// A default and the same value written out are one scenario, and the default prints as written.
  @Test func defaultFractionsEqualTheirWrittenForm() throws {
    let implicit = try ScenarioLoader.parse(Self.head + "business: {scaling: {}}\n", file: "s.yaml").scenario
    let explicit = try ScenarioLoader.parse(
      Self.head + "business:\n  scaling: {used_fraction: 0.5}\n  quality: {medium_at: 0.01, low_at: 0.03}\n",
      file: "s.yaml"
    ).scenario
    #expect(implicit == explicit)
    #expect(ScalingPolicy().usedFraction.description == "0.5")
    #expect(QualityPolicy().mediumAt.description == "0.01" && QualityPolicy().lowAt.description == "0.03")
  }

  @Test func marketingCappedIsOutsideTheCategorySum() throws {
    let scenario = try ScenarioLoader.parse(
      """
      senders: [{id: main}]
      campaigns:
        - {id: c, sender: main, audience: 1, contacts: {invalid: 0.6, blocked: 0.4, marketing_capped: 1}}
      """, file: "c.yaml"
    ).scenario
    #expect(scenario.campaigns[0].contacts.marketingCapped == 1)
  }

  @Test func anEmptyRetryOnRetriesNothing() throws {
    let scenario = try ScenarioLoader.parse(Self.head + "retry: {retry_on: []}\n", file: "r.yaml").scenario
    #expect(scenario.retry.retryOn == [])
    #expect(effectiveYAML(scenario).contains("retry_on: []"))
  }

  @Test func theEffectiveScenarioRoundTripsEveryKey() throws {
    var explicit = expectedPlatform
    explicit.horizon = expectedPlatform.effectiveHorizon
    #expect(try ScenarioLoader.parse(effectiveDocument(expectedPlatform).json(), file: "e.json").scenario == explicit)
    #expect(try ScenarioLoader.parse(effectiveYAML(expectedPlatform), file: "e.yaml").scenario == explicit)
    let yaml = effectiveYAML(expectedPlatform)
    #expect(yaml.contains("  limit_window: 12h\n"))
    #expect(yaml.contains("    tiers: [1000, 2000, 5000, unlimited]\n    used_fraction: 0.3\n"))
    #expect(yaml.contains("  quality: {window: 2d, medium_at: 0.02, low_at: 0.045}\n"))
    #expect(yaml.contains("  - {id: main, throughput_mps: 80, upgrade: {throughput_mps: 250.5, pause: 2m}}\n"))
    #expect(yaml.contains("  - {id: spare, throughput_mps: 80}\n"))
    #expect(yaml.contains("    cap_duration: {uniform: [1h, 2h]}\n"))
    #expect(
      yaml.contains("  limit_backoff: [1h, 2h]\n  cap_backoff: 12h\n  jitter: 0.25\n  retry_on: [transient, cap]\n"))
  }

  /// A v1 scenario's effective scenario has none of the §9 keys, so its report keeps its bytes.
  @Test func aV1ScenarioShowsNoPlatformKey() throws {
    let scenario = try ScenarioLoader.parse(
      Self.head + "business: {messaging_limit: 250}\nretry: {limit_backoff: 1h}\n", file: "v1.yaml"
    ).scenario
    let yaml = effectiveYAML(scenario)
    for key in [
      "limit_window", "scaling", "quality", "upgrade", "marketing_capped", "cap_duration", ", report", "    report:",
      "cap_backoff", "jitter", "retry_on",
    ] {
      #expect(!yaml.contains(key), "\(key)")
    }
    #expect(yaml.contains("  limit_backoff: 1h\n"))
  }

  /// Each §9 key shows up as soon as it is used, with what it depends on filled in.
  @Test func aKeyShowsOnceUsed() throws {
    let capped = try ScenarioLoader.parse(
      "senders: [{id: main}]\ncampaigns: [{id: c, sender: main, audience: 1, contacts: {marketing_capped: 0.08}}]\n",
      file: "c.yaml"
    ).scenario
    let cappedYAML = effectiveYAML(capped)
    #expect(cappedYAML.contains("marketing_capped: 0.08") && cappedYAML.contains("cap_duration: {exponential: 36h}"))
    #expect(!cappedYAML.contains("quality") && !cappedYAML.contains(", report"))
    let reporting = try ScenarioLoader.parse(
      "senders: [{id: main}]\ncampaigns: [{id: c, sender: main, audience: 1, engagement: {report: 0.01}}]\n",
      file: "r.yaml"
    ).scenario
    let reportingYAML = effectiveYAML(reporting)
    #expect(reportingYAML.contains("report: 0.01}") && reportingYAML.contains("report: 0s}"))
    #expect(reportingYAML.contains("quality: {window: 7d, medium_at: 0.01, low_at: 0.03}"))
  }

  @Test func sweepsVaryTheNewScalars() throws {
    let v1 = try ScenarioLoader.parse(Self.head, file: "v1.yaml").scenario
    #expect(try ScenarioParameters.current("retry.jitter", in: v1) == .double(0))
    #expect(try ScenarioParameters.current("campaigns.c.contacts.marketing_capped", in: v1) == .double(0))
    #expect(try ScenarioParameters.current("business.limit_window", in: v1) == .string("1d"))
    let jittered = try ScenarioParameters.applying([("retry.jitter", .double(0.5))], to: v1)
    #expect(jittered.retry.jitter == 0.5)
    let capped = try ScenarioParameters.applying(
      [("campaigns.c.contacts.marketing_capped", .double(0.08)), ("campaigns.c.engagement.report", .double(0.01))],
      to: v1)
    #expect(capped.campaigns[0].contacts.marketingCapped == 0.08 && capped.campaigns[0].engagement.report == 0.01)
    // Varying a v1 parameter leaves a v1 scenario: nothing of §9 appears on the way.
    let point = try ScenarioParameters.applying([("retry.max_retries", .int(5))], to: v1)
    #expect(!point.usesPlatformDynamics)
    #expect(
      effectiveYAML(point) == effectiveYAML(v1).replacingOccurrences(of: "max_retries: 3", with: "max_retries: 5"))

    let full = expectedPlatform
    let sped = try ScenarioParameters.applying(
      [
        ("business.scaling.delay", .string("6h")), ("senders.main.upgrade.throughput_mps", .int(1000)),
        ("business.scaling.used_fraction", .double(0.7)), ("business.quality.low_at", .double(0.05)),
      ], to: full)
    #expect(sped.scaling?.delay == 6 * Time.hour)
    #expect(sped.senders[0].upgrade?.throughputMPS == 1000)
    #expect(sped.scaling?.usedFraction == ExactFraction(numerator: 7, denominator: 10))
    #expect(sped.quality?.lowAt == ExactFraction(numerator: 5, denominator: 100))
    // Checked like the same value in a file.
    #expect(throws: ParameterError.self) {
      try ScenarioParameters.applying([("senders.main.upgrade.throughput_mps", .int(50))], to: full)
    }
    #expect(throws: ParameterError.self) { try ScenarioParameters.applying([("retry.jitter", .int(2))], to: v1) }
    // Scaling a scenario that has none is not a parameter of it.
    #expect(throws: ParameterError.self) { try ScenarioParameters.current("business.scaling.delay", in: v1) }
  }
}
