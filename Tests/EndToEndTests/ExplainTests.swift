import Analysis
import CampaignModel
import Foundation
import Reporting
import RunPlan
import ScenarioFormat
import Testing

// `campaign-sim explain` and `run --trace` (issue 11, item 10): a message's history as the full
// run had it, on shipped scenarios with retries, outages and a messaging limit.
@Suite struct ExplainTests {
  static let scenarios = ["quickstart.yaml", "outage.yaml", "tier-limit-naive.yaml"]

  func path(_ name: String) -> String { repositoryRoot.appendingPathComponent("Scenarios/\(name)").path }

  func records(_ ndjson: String) throws -> [[String: Any]] {
    try ndjson.split(separator: "\n").map { line in
      try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
  }

  @Test(arguments: scenarios)
  func tracingLeavesEveryReportByteIdentical(name: String) throws {
    let file = try ScenarioLoader.load(path: path(name))
    let plain = Simulation(scenario: file.scenario).run()
    let simulation = Simulation(scenario: file.scenario, trace: .sample(0.01))
    let traced = simulation.run()
    #expect(!simulation.traces.isEmpty)
    func render(_ result: RunResult) -> [(name: String, contents: String)] {
      ReportFiles.render(
        [result], file: file, engine: nil,
        analysis: ReplicatedRun(single: result, platform: file.wantsPlatformFigures))
    }
    for (a, b) in zip(render(plain), render(traced)) {
      #expect(a.name == b.name)
      #expect(a.contents == b.contents, "\(name): \(a.name) differs with tracing on")
    }
  }

  @Test(arguments: scenarios)
  func explainPrintsTheLineRunTraceWrote(name: String) throws {
    let folder = temporaryFolder()
    let trace = folder.appendingPathComponent("trace.ndjson").path
    let run = try runCLI([
      "run", path(name), "--out", folder.appendingPathComponent("r").path, "--format", "json", "--quiet",
      "--trace", trace, "--trace-sample", "0.003",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let text = try String(contentsOfFile: trace, encoding: .utf8)
    let lines = text.split(separator: "\n").map(String.init)
    let parsed = try records(text)
    #expect(lines.count > 10)
    // Sorted by campaign order, then message index.
    let messages = parsed.map { $0["message"] as? Int ?? -1 }
    #expect(messages == messages.sorted())
    // The first and last sampled messages, and the one with the most attempts.
    let most = parsed.indices.max {
      (parsed[$0]["attempts"] as? [Any])?.count ?? 0 < (parsed[$1]["attempts"] as? [Any])?.count ?? 0
    }!
    for index in Set([0, lines.count - 1, most]).sorted() {
      let campaign = try #require(parsed[index]["campaign"] as? String)
      let message = try #require(parsed[index]["message"] as? Int)
      let explained = try runCLI([
        "explain", path(name), "--campaign", campaign, "--message", String(message), "--json",
      ])
      #expect(explained.status == 0, "\(explained.stderr)")
      #expect(explained.stdout == lines[index] + "\n", "\(name) \(campaign):\(message)")
    }
    let readable = try runCLI([
      "explain", path(name), "--campaign", try #require(parsed[most]["campaign"] as? String), "--message",
      String(try #require(parsed[most]["message"] as? Int)),
    ])
    #expect(readable.status == 0)
    #expect(readable.stdout.contains("attempt 1\n") && readable.stdout.contains("final state: "))
  }

  @Test func tracingEveryMessageAddsUpToTheReport() throws {
    let folder = temporaryFolder()
    let trace = folder.appendingPathComponent("all.ndjson").path
    let out = folder.appendingPathComponent("r").path
    let run = try runCLI([
      "run", path("tier-limit-naive.yaml"), "--out", out, "--format", "json", "--quiet", "--trace", trace,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let parsed = try records(try String(contentsOfFile: trace, encoding: .utf8))
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json")))
        as? [String: Any])
    let campaign = try #require((report["campaigns"] as? [[String: Any]])?.first)
    let finalStates = try #require(campaign["final_states"] as? [String: Int])
    let attempts = try #require(campaign["attempts"] as? [String: Int])
    #expect(parsed.count == 10_000)
    var states: [String: Int] = [:]
    var tries: [String: Int] = [:]
    for record in parsed {
      states[record["final_state"] as? String ?? "?", default: 0] += 1
      tries[String((record["attempts"] as? [Any])?.count ?? -1), default: 0] += 1
    }
    #expect(states == finalStates.filter { $0.value > 0 })
    #expect(tries == attempts.filter { $0.value > 0 })
    // The limit refused someone, and the trace says which rule and code.
    let refused = parsed.flatMap { ($0["attempts"] as? [[String: Any]]) ?? [] }.filter {
      $0["rule"] as? String == "messaging_limit"
    }
    #expect(!refused.isEmpty && refused.allSatisfy { $0["error_code"] as? Int == 131049 })
  }

  @Test func aDeterministicMessageReadsAsItsHandDerivedTimeline() throws {
    let folder = temporaryFolder()
    let scenario = folder.appendingPathComponent("tiny.yaml")
    // 10 msg/s, an outage over the first 150 ms, 200 ms API latency, no randomness.
    try """
    name: tiny
    seed: 1
    senders:
      - {id: main, throughput_mps: 10}
    campaigns:
      - id: promo
        sender: main
        audience: 3
        latency: {api: 200ms, deliver: 1s}
    faults:
      outages:
        - {sender: main, start: 0s, duration: 150ms}
    """.write(to: scenario, atomically: true, encoding: .utf8)
    let explained = try runCLI(["explain", scenario.path, "--campaign", "promo", "--message", "1"])
    #expect(explained.status == 0, "\(explained.stderr)")
    #expect(
      explained.stdout == """
        promo message 1: seed 1, replication 0
        sender main; campaign starts 00:00:00.000000, window ends 3d 00:00:00.000000; horizon 4d 00:00:00.000000
        contact: reachable
        final state: delivered, after 2 attempts

        attempt 1
          ready       00:00:00.000000  (campaign start)
          dispatched  00:00:00.100000  (waited 0.1s for a throughput slot: one dispatch every 0.1s, earlier-ready messages first)
          response    00:00:00.300000  (API latency 0.2s)
          rule        rule 1, outage [00:00:00.000000, 00:00:00.150000) of sender main → error 131016
          then        retrying: backoff 30s → ready 00:00:30.300000

        attempt 2
          ready       00:00:30.300000  (retry)
          dispatched  00:00:30.300000  (at once; one dispatch every 0.1s)
          response    00:00:30.500000  (API latency 0.2s)
          rule        accepted (rules 1–6 passed): sent at the response

        state changes
          00:00:00.100000  queued → sending
          00:00:00.300000  sending → retrying
          00:00:30.300000  retrying → sending
          00:00:30.500000  sending → sent
          00:00:31.500000  sent → delivered

        """)
  }

  /// The README shows real output; this keeps it real when the format changes.
  @Test func theREADMEsSampleOutputIsWhatTheCommandsPrint() throws {
    let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    func block(after command: String) throws -> String {
      let start = try #require(readme.range(of: "$ " + command + "\n"), "README lacks `\(command)`")
      let rest = readme[start.upperBound...]
      return String(rest[..<(try #require(rest.range(of: "```"))).lowerBound])
    }
    let explained = try runCLI(["explain", path("quickstart.yaml"), "--campaign", "promo", "--message", "120"])
    #expect(
      try block(after: "campaign-sim explain Scenarios/quickstart.yaml --campaign promo --message 120")
        == explained.stdout)
    let line = try runCLI(["explain", path("quickstart.yaml"), "--campaign", "promo", "--message", "1", "--json"])
    #expect(try block(after: "cat /tmp/q.ndjson") == line.stdout)
  }

  @Test func badTraceAndExplainArgumentsExit2BeforeRunning() throws {
    let folder = temporaryFolder()
    let out = folder.appendingPathComponent("r").path
    let quickstart = path("quickstart.yaml")
    for arguments in [
      ["run", quickstart, "--out", out, "--trace", folder.path + "/t", "--trace-messages", "promo:50000"],
      ["run", quickstart, "--out", out, "--trace", folder.path + "/t", "--trace-messages", "nosuch:1"],
      ["run", quickstart, "--out", out, "--trace", folder.path + "/t", "--trace-sample", "1.5"],
      ["run", quickstart, "--out", out, "--trace", out + "/trace.ndjson"],
      ["run", quickstart, "--out", out, "--trace-sample", "0.1"],
      // A million histories held to the end do not fit 1 GiB.
      ["run", path("million.yaml"), "--out", out, "--trace", folder.path + "/t", "--memory-budget", "1GiB"],
      ["explain", quickstart, "--campaign", "promo", "--message=-1"],
      ["explain", quickstart, "--campaign", "nosuch", "--message", "1"],
    ] {
      let result = try runCLI(arguments)
      #expect(result.status == 2, "\(arguments): \(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out), "\(arguments)")
    }
  }
}
