import CampaignModel
import Foundation
import RunPlan
import SimKernel
import Testing

@testable import Reporting

/// report.json's §9 fields on scenarios small enough to derive by hand.
@Suite struct PlatformJSONTests {
  func report(_ scenario: Scenario) throws -> [String: Any] {
    let text = JSONReport.document(Simulation(scenario: scenario).run(), engine: nil).json()
    return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  func campaign(_ root: [String: Any]) throws -> [String: Any] {
    try #require((root["campaigns"] as? [[String: Any]])?.first)
  }

  @Test func scalingUpgradesAtTheTimesDerivedByHand() throws {
    // Limit-aware from 250 at 1 msg/s: the 125th acceptance (t = 124 s) uses half of 250, so 500
    // takes effect at 124 s + 1 h = 3724 s. The window is full from 250 s, the sender waits for
    // the upgrade; its first dispatch at 3724 s is the 251st acceptance in the look-back, at
    // least half of 500: unlimited from 3724 s + 1 h = 7324 s. Acceptances 501 … 1000 then run
    // 7324 s … 7823 s.
    let root = try report(scalingScenario())
    #expect(root["final_limit"] as? String == "unlimited")
    #expect(root["unlimited_at_s"] as? Double == 7324)
    let changes = try #require(root["limit_changes"] as? [[String: Any]])
    #expect(changes.count == 2)
    #expect(
      changes[0]["at_s"] as? Double == 3724 && changes[0]["from"] as? Int == 250 && changes[0]["to"] as? Int == 500)
    #expect(changes[1]["at_s"] as? Double == 7324 && changes[1]["from"] as? Int == 500)
    #expect(changes[1]["to"] as? String == "unlimited")
    #expect(root["ended_at_s"] as? Double == 7823)
    // Hour buckets: the limit in force at the end of each.
    let series = try #require(try campaign(root)["throughput"] as? [String: Any])
    let limit = try #require(series["limit"] as? [Any])
    #expect(limit.count == 3)
    #expect(limit[0] as? Int == 250 && limit[1] as? Int == 500 && limit[2] as? String == "unlimited")
    // Scaling tracks quality; nothing is reported, so it stays high from the start.
    let quality = try #require(root["quality"] as? [[String: Any]])
    #expect(quality.count == 1)
    #expect(quality[0]["at_s"] as? Double == 0 && quality[0]["quality"] as? String == "high")
    #expect(quality[0]["report_rate"] as? Double == 0)
    let figures = try #require(root["figures"] as? [String: Any])
    #expect(figures["limit_upgrades"] as? Int == 2)
    #expect(figures["unlimited_at"] as? Double == 7324)
    #expect(figures["final_limit"] is NSNull)
    #expect(figures["quality_low_s"] as? Double == 0)
    let senders = try #require(root["senders"] as? [[String: Any]])
    #expect(senders[0]["throughput_upgrade"] is NSNull)
  }

  @Test func capErrorsAreCountedByKindAndRetriedUntilTheCapLifts() throws {
    // Capped for the first hour; retries 30 min apart: message k (dispatched at k s) fails at k s
    // and k s + 30 min, and is accepted at k s + 1 h. 10 messages: 20 cap errors, 30 dispatches.
    let root = try report(cappedScenario())
    let c = try campaign(root)
    let kinds = try #require(c["errors_by_kind"] as? [String: Int])
    #expect(kinds == ["transient": 0, "limit": 0, "cap": 20])
    #expect((c["errors"] as? [String: Int])?["131049"] == 20)
    #expect((c["failure_reasons"] as? [String: Int])?["marketing_cap"] == 0)
    #expect(c["sending_finished_at_s"] as? Double == 3609)
    #expect(root["limit_changes"] as? [Any] != nil && (root["limit_changes"] as? [Any])?.isEmpty == true)
    // Unlimited from the start: unlimited since 0, no quality tracked.
    #expect(root["final_limit"] as? String == "unlimited" && root["unlimited_at_s"] as? Double == 0)
    #expect((root["quality"] as? [Any])?.isEmpty == true)
    let totals = try #require(root["totals"] as? [String: Any])
    #expect(totals["errors_by_kind"] as? [String: Int] == ["transient": 0, "limit": 0, "cap": 20])
    let figures = try #require(root["figures"] as? [String: Any])
    #expect(figures["errors_cap"] as? Int == 20 && figures["c.errors_cap"] as? Int == 20)
    #expect(figures["marketing_cap"] as? Int == 0)
  }

  @Test func withoutCapInRetryOnACapErrorEndsTheMessage() throws {
    let root = try report(cappedScenario(retryOnCap: false))
    let c = try campaign(root)
    #expect((c["failure_reasons"] as? [String: Int])?["marketing_cap"] == 10)
    #expect((c["final_states"] as? [String: Int])?["blocked_or_spam"] == 10)
    #expect((c["errors_by_kind"] as? [String: Int])?["cap"] == 10)
    let figures = try #require(root["figures"] as? [String: Any])
    #expect(figures["marketing_cap"] as? Int == 10)
    #expect(figures["marketing_cap_fraction"] as? Double == 1)
    #expect(figures["c.marketing_cap_fraction"] as? Double == 1)
  }

  @Test func reportsTurnTheQualityLowAtTheSecondAcceptance() throws {
    // Every delivered contact reports at once. At the acceptance at 1 s, the first message's
    // delivery and report (at 0 s) count: rate 1/1, low. Low from 1 s to the end at 9 s.
    let root = try report(reportingScenario())
    #expect(try campaign(root)["reports"] as? Int == 10)
    #expect((root["totals"] as? [String: Any])?["reports"] as? Int == 10)
    let quality = try #require(root["quality"] as? [[String: Any]])
    #expect(quality.count == 2)
    #expect(quality[1]["at_s"] as? Double == 1 && quality[1]["quality"] as? String == "low")
    #expect(quality[1]["report_rate"] as? Double == 1)
    #expect(quality[1]["reports"] as? Int == 1 && quality[1]["deliveries"] as? Int == 1)
    let figures = try #require(root["figures"] as? [String: Any])
    #expect(figures["quality_low_s"] as? Double == 8)
    #expect(figures["reports"] as? Int == 10 && figures["reports_fraction"] as? Double == 1)
  }

  @Test func aThroughputUpgradeIsReportedOnItsSender() throws {
    // Unlimited and high quality at the first acceptance (0 s): 1 → 2 msg/s, outage [0 s, 10 s).
    // Dispatches at 1 … 9 s meet it (nine 131016); from 10 s one every 0.5 s.
    let root = try report(upgradeScenario())
    let senders = try #require(root["senders"] as? [[String: Any]])
    let upgrade = try #require(senders[0]["throughput_upgrade"] as? [String: Any])
    #expect(upgrade["at_s"] as? Double == 0 && upgrade["pause_end_s"] as? Double == 10)
    #expect(upgrade["from_mps"] as? Double == 1 && upgrade["to_mps"] as? Double == 2)
    #expect((try campaign(root)["errors"] as? [String: Int])?["131016"] == 9)
    #expect((try campaign(root)["errors_by_kind"] as? [String: Int])?["transient"] == 9)
  }

  @Test func aScenarioWithoutPlatformKeysHasNoneOfTheFields() throws {
    let root = try report(busyScenario())
    for key in ["final_limit", "unlimited_at_s", "limit_changes", "quality"] { #expect(root[key] == nil) }
    let c = try campaign(root)
    #expect(c["reports"] == nil && c["errors_by_kind"] == nil)
    #expect((c["failure_reasons"] as? [String: Int])?["marketing_cap"] == nil)
    #expect((c["throughput"] as? [String: Any])?["limit"] == nil)
    #expect((root["senders"] as? [[String: Any]])?.first?["throughput_upgrade"] == nil)
    let figures = try #require(root["figures"] as? [String: Any])
    for kind in Figures.platformKinds { #expect(figures[kind.name] == nil) }
  }
}
