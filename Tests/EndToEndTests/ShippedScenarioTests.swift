import CampaignModel
import Foundation
import Reporting
import ScenarioFormat
import Testing

@Suite struct ShippedScenarioTests {
  @Test func thereAreShippedScenariosForEveryFaultKind() {
    let names = Set(shippedScenarios().map { $0.deletingPathExtension().lastPathComponent })
    for required in [
      "quickstart", "outage", "throttle", "tier-limit-naive", "tier-limit-aware", "blocks-error", "blocks-silent",
      "read-receipts", "multi-sender", "million",
    ] {
      #expect(names.contains(required), "Scenarios/\(required).yaml")
    }
  }

  @Test(arguments: shippedScenarios())
  func everyShippedScenarioKeepsTheInvariantsAndIsDeterministic(_ file: URL) throws {
    let scenario = try ScenarioLoader.load(path: file.path).scenario
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.hasPrefix("#"), "\(file.lastPathComponent) starts with a comment saying what it shows")
    let first = Simulation(scenario: scenario).run()
    #expect(first.invariantViolations().isEmpty, "\(first.invariantViolations())")
    #expect(first.messages == scenario.totalAudience)
    let second = Simulation(scenario: scenario).run()
    let a = JSONReport.document(first, engine: nil).json()
    let b = JSONReport.document(second, engine: nil).json()
    #expect(a == b, "same scenario and seed must give the same report bytes")
    #expect(try JSONSerialization.jsonObject(with: Data(a.utf8)) is [String: Any])

    // Every report file, and the same bytes again from the second run.
    let files = ReportFiles.render([first], engine: nil)
    #expect(files.map(\.name) == ["report.json", "report.md", "report.html", "timeseries.csv", "outcomes.csv"])
    let contents = Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.contents) })
    #expect(contents["report.json"] == a)
    // report.json was compared above; the others now.
    for file in ReportFiles.render([second], engine: nil, formats: [.md, .html, .csv]) {
      #expect(file.contents == contents[file.name], "\(file.name) is deterministic")
    }
    let html = try #require(contents["report.html"])
    #expect(isWellFormedXML(html), "report.html parses as XML")
    for index in first.campaigns.indices {
      for chart in ["flow", "throughput", "outcomes", "reasons", "attempts", "latency", "errors"] {
        #expect(html.contains("id=\"c\(index)-\(chart)\""), "c\(index)-\(chart)")
      }
    }
    #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))
    let series = try #require(contents["timeseries.csv"]).split(separator: "\n")
    let buckets = first.timeSeries.bucketCount(through: first.endedAt)
    #expect(series.count == 1 + buckets * first.campaigns.count)
    #expect(series.first?.hasPrefix("replication,campaign,bucket_start_s,bucket_end_s,sends,") == true)
    let outcomes = try #require(contents["outcomes.csv"]).split(separator: "\n")
    #expect(outcomes.count == 1 + first.campaigns.count)
  }

  @Test func reportHasEveryFieldOfModelSection8() throws {
    let scenario = try ScenarioLoader.load(
      path: repositoryRoot.appendingPathComponent("Scenarios/quickstart.yaml").path
    ).scenario
    let result = Simulation(scenario: scenario).run()
    let engine = EngineStats(wallSeconds: 1, events: result.events, messages: result.messages)
    let text = JSONReport.document(result, engine: engine).json()
    let report = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    for key in ["schema", "scenario", "seed", "campaigns", "engine", "totals", "senders"] {
      #expect(report[key] != nil, "\(key)")
    }
    let campaign = try #require((report["campaigns"] as? [[String: Any]])?.first)
    for key in [
      "id", "state", "messages", "final_states", "failure_reasons", "attempts", "errors", "sending_finished_at_s",
      "latency_ms", "throughput",
    ] {
      #expect(campaign[key] != nil, "campaigns[0].\(key)")
    }
    #expect((campaign["final_states"] as? [String: Int])?.count == 10)
    #expect(
      Set((campaign["failure_reasons"] as? [String: Int])?.keys.map { $0 } ?? [])
        == ["retries_exhausted", "expired", "messaging_limit", "invalid", "blocked"])
    let latency = try #require(campaign["latency_ms"] as? [String: [String: Any]])
    #expect(Set(latency.keys) == ["start_to_sent", "sent_to_delivered", "delivered_to_read", "read_to_responded"])
    for (_, spans) in latency { #expect(Set(spans.keys) == ["count", "p50", "p90", "p99", "max"]) }
    let series = try #require(campaign["throughput"] as? [String: Any])
    let states = try #require(series["states"] as? [String: [Int]])
    #expect(states.count == 10)
    let sends = try #require(series["sends"] as? [Int])
    #expect(sends.reduce(0, +) == result.dispatches)
    #expect(states.values.allSatisfy { $0.count == sends.count })
    let engineSection = try #require(report["engine"] as? [String: Any])
    #expect(Set(engineSection.keys) == ["wall_s", "events", "events_per_s", "messages_per_s", "peak_rss_bytes"])
    // Every bucket's states add up to the audience.
    for bucket in 0..<sends.count {
      #expect(states.values.reduce(0) { $0 + $1[bucket] } == 50_000)
    }
  }
}
