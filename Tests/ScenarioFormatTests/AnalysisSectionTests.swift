import CampaignModel
import Foundation
import RunPlan
import SimKernel
import Testing

@testable import ScenarioFormat

/// `thresholds:` and `sweep:`: parsed to exact values, malformed ones reported at their line and key.
@Suite struct AnalysisSectionTests {
  static let base = """
    senders: [{id: main, throughput_mps: 80}]
    campaigns:
      - {id: promo, sender: main, audience: 1000}
      - {id: re.minder, sender: main, audience: 10}

    """

  @Test func thresholdsParseToExactValues() throws {
    let file = try ScenarioLoader.parse(
      Self.base + """
        thresholds:
          promo.delivered_fraction: ">= 0.95"
          promo.sending_finished_at: ["<= 3d", {condition: "> 90m", strict: true}]
          failed_fraction: {condition: "< 1%", strict: true}
          re.minder.errors_131049: "== 0"
        """, file: "t.yaml")
    #expect(
      file.thresholds == [
        Threshold(figure: "promo.delivered_fraction", comparison: .greaterOrEqual, value: 0.95),
        Threshold(figure: "promo.sending_finished_at", comparison: .lessOrEqual, value: 259_200),
        Threshold(figure: "promo.sending_finished_at", comparison: .greater, value: 5_400, strict: true),
        Threshold(figure: "failed_fraction", comparison: .less, value: 0.01, strict: true),
        Threshold(figure: "re.minder.errors_131049", comparison: .equal, value: 0),
      ])
  }

  @Test func unknownCampaignInAThresholdIsReportedAtItsKey() {
    expectError(
      Self.base + """
        thresholds:
          promo.delivered_fraction: ">= 0.95"
          promoo.delivered_fraction: ">= 0.95"
        """, line: 7, column: 3, key: "thresholds.promoo.delivered_fraction", message: "unknown campaign 'promoo'")
  }

  @Test func unknownFigureInAThresholdIsReportedAtItsKey() {
    expectError(
      Self.base + """
        thresholds:
          promo.deliverd_fraction: ">= 0.95"
        """, line: 6, column: 3, key: "thresholds.promo.deliverd_fraction",
      message: "unknown figure 'deliverd_fraction'")
  }

  @Test func badOperatorIsReportedAtTheCondition() {
    expectError(
      Self.base + """
        thresholds:
          failed_fraction: "=< 0.01"
        """, line: 6, column: 20, key: "thresholds.failed_fraction", message: "expected a comparison")
  }

  @Test func badValueIsReportedAtTheCondition() {
    expectError(
      Self.base + """
        thresholds:
          promo.sending_finished_at:
            - "<= 3d"
            - "<= three days"
        """, line: 8, column: 7, key: "thresholds.promo.sending_finished_at[1]", message: "expected a duration")
    expectError(
      Self.base + """
        thresholds:
          promo.delivered_fraction: ">= 3d"
        """, line: 6, key: "thresholds.promo.delivered_fraction", message: "is a duration but")
  }

  @Test func unquotedOrNonStringConditionsAreRefused() {
    expectError(
      Self.base + """
        thresholds:
          failed: 0
        """, line: 6, key: "thresholds.failed", message: "expected a condition string")
    expectError(
      Self.base + """
        thresholds:
          failed: {condition: "== 0", strict: yes please}
        """, line: 6, key: "thresholds.failed.strict", message: "expected true or false")
  }

  static let sweepYAML = """
    sweep:
      vary:
        business.messaging_limit: [250, 2000, unlimited]
        senders.main.throughput_mps: [80, 1000.5]
        pacing: [naive, limit_aware]
        faults.transient_error_rate: 0.01
      figure: re.minder.delivered_fraction
      find_max:
        parameter: campaigns.promo.audience
        until: "promo.sending_finished_at <= 3d and promo.delivered_fraction >= 95%"
        low: 100
        high: 1000000
    """

  @Test func sweepParsesToExactValues() throws {
    let file = try ScenarioLoader.parse(Self.base + Self.sweepYAML, file: "s.yaml")
    let sweep = try #require(file.sweep)
    #expect(
      sweep.vary == [
        SweepAxis(path: "business.messaging_limit", values: [.int(250), .int(2000), .string("unlimited")]),
        SweepAxis(path: "senders.main.throughput_mps", values: [.int(80), .double(1000.5)]),
        SweepAxis(path: "pacing", values: [.string("naive"), .string("limit_aware")]),
        SweepAxis(path: "faults.transient_error_rate", values: [.double(0.01)]),
      ])
    #expect(sweep.figure == "re.minder.delivered_fraction")
    #expect(
      sweep.findMax
        == FindMax(
          parameter: "campaigns.promo.audience",
          until: [
            Threshold(figure: "promo.sending_finished_at", comparison: .lessOrEqual, value: 259_200),
            Threshold(figure: "promo.delivered_fraction", comparison: .greaterOrEqual, value: 0.95),
          ], low: 100, high: 1_000_000))
  }

  @Test func badSweepsAreReportedAtTheirLine() {
    let bad = Self.base + Self.sweepYAML
    expectError(
      bad.replacingOccurrences(of: "pacing: [naive, limit_aware]", with: "pacing: [naive, limit_awar]"),
      line: 9, key: "sweep.vary.pacing[1]", message: "expected naive or limit_aware")
    expectError(
      bad.replacingOccurrences(of: "[250, 2000, unlimited]", with: "[250, -2000]"),
      line: 7, key: "sweep.vary.business.messaging_limit[1]", message: "expected a positive integer or unlimited")
    expectError(
      bad.replacingOccurrences(of: "senders.main.throughput_mps", with: "senders.backup.throughput_mps"),
      line: 8, column: 5, key: "sweep.vary.senders.backup.throughput_mps", message: "unknown sender")
    expectError(
      bad.replacingOccurrences(of: "faults.transient_error_rate: 0.01", with: "faults.outages: 1"),
      line: 10, key: "sweep.vary.faults.outages", message: "is a list")
    expectError(
      bad.replacingOccurrences(of: "parameter: campaigns.promo.audience", with: "parameter: pacing"),
      line: 13, key: "sweep.find_max.parameter", message: "not a number")
    expectError(
      bad.replacingOccurrences(of: ">= 95%", with: ">= 95 percent"),
      line: 14, key: "sweep.find_max.until", message: "expected a number")
    expectError(
      bad.replacingOccurrences(of: "high: 1000000", with: "high: 10"),
      line: 16, key: "sweep.find_max.high", message: "expected high ≥ low (100)")
    expectError(
      bad.replacingOccurrences(of: "figure: re.minder.delivered_fraction", with: "figure: re.minder.nothing"),
      line: 11, key: "sweep.figure", message: "unknown figure 'nothing'")
  }

  @Test func bothSectionsRoundTripThroughTheEffectiveScenario() throws {
    let file = try ScenarioLoader.parse(
      Self.base + Self.sweepYAML + """

        thresholds:
          promo.delivered_fraction: ">= 0.333"
          promo.sending_finished_at: ["<= 1.5s", {condition: "> 90m", strict: true}]
        """, file: "s.yaml")
    #expect(!file.thresholds.isEmpty && file.sweep != nil)
    var explicit = file  // the effective scenario spells the horizon out
    explicit.scenario.horizon = file.scenario.effectiveHorizon
    #expect(try ScenarioLoader.parse(effectiveDocument(file).json(), file: "e.json") == explicit)
    #expect(try ScenarioLoader.parse(effectiveYAML(file), file: "e.yaml") == explicit)
    let yaml = effectiveYAML(file)
    // The model alone has neither section.
    #expect(!effectiveYAML(file.scenario).contains("thresholds") && !effectiveYAML(file.scenario).contains("sweep"))
    #expect(yaml.contains("\nthresholds:\n  promo.delivered_fraction: \">= 0.333\"\n"))
    #expect(yaml.contains("promo.sending_finished_at: [\"<= 1500ms\", {condition: \"> 90m\", strict: true}]"))
    #expect(yaml.contains("until: \"promo.sending_finished_at <= 3d and promo.delivered_fraction >= 0.95\""))
  }

  @Test func parametersApplyLikeTheSameValueInAFile() throws {
    let scenario = try ScenarioLoader.parse(
      Self.base + "faults:\n  outages: [{sender: main, start: 1h, duration: 10m}]\n", file: "p.yaml"
    ).scenario
    let changed = try ScenarioParameters.applying(
      [
        ("campaigns.re.minder.audience", .int(77)), ("senders.main.throughput_mps", .int(1000)),
        ("faults.outages[0].duration", .string("30m")), ("campaigns.promo.window", .string("10d")),
        ("business.messaging_limit", .int(250)),
      ], to: scenario)
    #expect(changed.campaigns[1].audience == 77)
    #expect(changed.senders[0].throughputMPS == 1000)
    #expect(changed.faults.outages[0].duration == 30 * Time.minute)
    #expect(changed.messagingLimit == 250)
    // The horizon was derived, so it follows the longer window.
    #expect(changed.horizon == nil && changed.effectiveHorizon == 11 * Time.day)
    #expect(changed.name == scenario.name)
    #expect(throws: ParameterError.self) {
      try ScenarioParameters.applying([("campaigns.promo.contacts.invalid", .double(1.5))], to: scenario)
    }
    #expect(throws: ParameterError.self) {
      try ScenarioParameters.applying([("campaigns.promo.id", .string("x"))], to: scenario)
    }
    #expect(throws: ParameterError.self) { try ScenarioParameters.applying([("seeds", .int(1))], to: scenario) }
  }
}
