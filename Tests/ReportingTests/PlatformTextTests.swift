import CampaignModel
import SimKernel
import Testing

@testable import Reporting

/// The terminal summary, report.md and the CSV files on §9 scenarios (times derived in
/// PlatformJSONTests), and nothing new on a scenario without §9 keys.
@Suite struct PlatformTextTests {
  static let scaling = Simulation(scenario: scalingScenario()).run()
  static let capped = Simulation(scenario: cappedScenario()).run()
  static let busy = Simulation(scenario: busyScenario()).run()

  /// Every row of `csv` as cells keyed by the header.
  func rows(_ csv: String) -> [[String: String]] {
    let lines = csv.split(separator: "\n")
    let header = CSVReportTests.fields(lines[0])
    return lines.dropFirst().map { line in
      Dictionary(uniqueKeysWithValues: zip(header, CSVReportTests.fields(line)))
    }
  }

  @Test func theSummaryTellsWhenEachUpgradeHappened() {
    let summary = TextReport.summary(Self.scaling)
    #expect(summary.contains("messaging limit: 250 → 500 at 1h 2m 4s → unlimited at 2h 2m 4s\n"))
    #expect(summary.contains("quality: high at the end\n"))
    let capped = TextReport.summary(Self.capped)
    #expect(capped.contains("messaging limit: unlimited (no upgrade)\n"))
    let kinds = capped.split(separator: "\n").first { $0.hasPrefix("errors transient/limit/cap") }
    #expect(kinds?.hasSuffix(" 0/0/20") == true)
    let reports = Simulation(scenario: reportingScenario()).run()
    #expect(TextReport.summary(reports).contains("quality: low at the end, low for 8s\n"))
    let upgrade = TextReport.summary(Simulation(scenario: upgradeScenario()).run())
    #expect(upgrade.contains("throughput upgrade: s 1 → 2 msg/s at 0s (paused until 10s)\n"))
  }

  @Test func markdownHasTheLimitStoryAndErrorsByKind() {
    let md = TextReport.markdown(Self.scaling, engine: nil)
    #expect(md.contains("Final limit **unlimited**: 250 → 500 at 1h 2m 4s → unlimited at 2h 2m 4s.\n"))
    #expect(md.contains("| 1h 2m 4s | 3724 | 250 | 500 |\n| 2h 2m 4s | 7324 | 500 | unlimited |\n"))
    #expect(md.contains("| 0s | high | 0.000% | 0 | 0 |\n"))
    let capped = TextReport.markdown(Self.capped, engine: nil)
    #expect(capped.contains("| errors `cap` | 20 |\n"))
    #expect(capped.contains("| `marketing_cap` | 0 |\n"))
  }

  @Test func csvCarriesTheLimitPerBucketAndTheRunsLimitStory() {
    let series = rows(CSVReport.timeSeries([Self.scaling]))
    #expect(series.map { $0["limit"] } == ["250", "500", "unlimited"])
    let outcome = rows(CSVReport.outcomes([Self.scaling]))[0]
    #expect(outcome["final_limit"] == "unlimited" && outcome["unlimited_at_s"] == "7324")
    #expect(outcome["limit_upgrades"] == "2")
    #expect(outcome["limit_upgrade_times_s"] == "3724;7324" && outcome["limit_upgrade_tiers"] == "500;unlimited")
    let capped = rows(CSVReport.outcomes([Self.capped]))[0]
    #expect(capped["errors_cap"] == "20" && capped["errors_limit"] == "0" && capped["reason_marketing_cap"] == "0")
    #expect(capped["unlimited_at_s"] == "0" && capped["limit_upgrades"] == "0" && capped["limit_upgrade_times_s"] == "")
  }

  @Test func aScenarioWithoutPlatformKeysGetsNoneOfIt() {
    let summary = TextReport.summary(Self.busy)
    #expect(!summary.contains("messaging limit:") && !summary.contains("reports"))
    let md = TextReport.markdown(Self.busy, engine: nil)
    #expect(!md.contains("## Messaging limit, quality") && !md.contains("marketing_cap"))
    #expect(!CSVReport.timeSeries([Self.busy]).split(separator: "\n")[0].hasSuffix(",limit"))
    #expect(!CSVReport.outcomes([Self.busy]).contains("final_limit"))
  }
}
