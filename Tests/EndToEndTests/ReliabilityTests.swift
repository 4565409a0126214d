import Foundation
import Testing

/// Issue 10 through the binary: huge values, unusable --out paths, signals.
@Suite(.serialized) struct ReliabilityTests {
  func write(_ text: String, name: String, in folder: URL) throws -> String {
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  func files(in folder: String) throws -> [String: Data] {
    var out: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
      out[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
    }
    return out
  }

  static let tiny = """
    name: tiny
    senders: [{id: main, throughput_mps: 10}]
    campaigns: [{id: promo, sender: main, audience: 20}]
    """

  /// #1: 25 000 latencies of 10 000 days add up past 2^64 µs.
  @Test func latenciesSummingPast64BitsStillGiveEveryReport() throws {
    let folder = temporaryFolder()
    let scenario = try write(
      """
      name: huge-latency
      horizon: 10002d
      senders: [{id: s, throughput_mps: 1000000}]
      campaigns: [{id: c, sender: s, audience: 25000, window: 1d, latency: {api: 10000d}}]
      """, name: "huge.yaml", in: folder)
    let out = folder.appendingPathComponent("out").path
    let result = try runCLI(["run", scenario, "--out", out, "--quiet"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      try files(in: out).keys.sorted() == ["outcomes.csv", "report.html", "report.json", "report.md", "timeseries.csv"])
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json")))
        as? [String: Any])
    let campaign = try #require((report["campaigns"] as? [[String: Any]])?.first)
    let sent = try #require((campaign["latency_ms"] as? [String: Any])?["start_to_sent"] as? [String: Any])
    #expect(sent["count"] as? Int == 25_000)
    // 10 000 days = 864e9 ms, within HdrHistogram's three significant digits.
    let p50 = try #require(sent["p50"] as? Double)
    #expect(abs(p50 - 864e9) / 864e9 < 0.001)
  }

  /// #2: `--out ""` used to write into the current folder's root; every unusable path is exit 2.
  @Test func outPathsThatCannotBeAReportFolderExitTwoAndWriteNothing() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.tiny, name: "tiny.yaml", in: folder)
    try "mine\n".write(toFile: folder.path + "/notes.txt", atomically: false, encoding: .utf8)
    let before = try files(in: folder.path)
    let rootHadReport = FileManager.default.fileExists(atPath: "/report.json")
    for out in ["", "/", ".", "..", folder.path, folder.path + "/notes.txt", folder.path + "/tiny.yaml"] {
      let run = try runCLI(["run", scenario, "--out", out, "--quiet"], in: folder)
      #expect(run.status == 2, "run --out '\(out)': \(run.stderr)")
      #expect(run.stderr.contains("error:"), "run --out '\(out)'")
      let sweep = try runCLI(
        ["sweep", scenario, "--vary", "senders.main.throughput_mps=10,20", "--out", out, "--quiet"], in: folder)
      #expect(sweep.status == 2, "sweep --out '\(out)': \(sweep.stderr)")
    }
    #expect(try files(in: folder.path) == before)
    #expect(FileManager.default.fileExists(atPath: "/report.json") == rootHadReport)
  }

  /// A run of a few seconds in a debug build, printing progress after its first second.
  func startSlowRun(out: String, in folder: URL) throws -> (Process, Pipe) {
    let scenario = try write(
      """
      name: slow
      senders: [{id: s, throughput_mps: 1000000}]
      campaigns: [{id: c, sender: s, audience: 5000000, latency: {api: 1s}}]
      """, name: "slow.yaml", in: folder)
    guard let binary = cliBinary() else { throw CLIMissing() }
    let process = Process()
    process.executableURL = binary
    process.arguments = ["run", scenario, "--out", out, "--progress", "always"]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    // The first progress line means the simulation is under way (and the handlers installed).
    _ = err.fileHandleForReading.availableData
    return (process, err)
  }

  /// #3 and #9: SIGINT and SIGTERM during a run leave the previous report as it was.
  @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
  func aSignalDuringTheRunKeepsThePreviousReport(signal: Int32, status: Int32) throws {
    let folder = temporaryFolder()
    let out = folder.appendingPathComponent("out").path
    let tiny = try write(Self.tiny, name: "tiny.yaml", in: folder)
    #expect(try runCLI(["run", tiny, "--out", out, "--quiet"]).status == 0)
    let previous = try files(in: out)
    let (process, err) = try startSlowRun(out: out, in: folder)
    kill(process.processIdentifier, signal)
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationReason == .exit, "killed by a signal instead of exiting")
    #expect(process.terminationStatus == status)
    #expect(message.contains("interrupted"))
    #expect(try files(in: out) == previous)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["out", "slow.yaml", "tiny.yaml"])
  }

  /// #7: compare refuses other scenarios' reports unless --force, and odd numbers are exit 2.
  @Test func compareRefusesReportsOfDifferentScenariosUnlessForced() throws {
    let folder = temporaryFolder()
    let one = try write(Self.tiny, name: "one.yaml", in: folder)
    let other = try write(
      Self.tiny.replacingOccurrences(of: "name: tiny", with: "name: other"), name: "o.yaml", in: folder)
    let (a, b) = (folder.path + "/a", folder.path + "/b")
    #expect(try runCLI(["run", one, "--out", a, "--quiet"]).status == 0)
    #expect(try runCLI(["run", other, "--out", b, "--quiet"]).status == 0)
    let refused = try runCLI(["compare", a + "/report.json", b + "/report.json"])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("different scenarios: 'tiny'"))
    #expect(refused.stderr.contains("--force"))
    let forced = try runCLI(["compare", a + "/report.json", b + "/report.json", "--force"])
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(forced.stdout.contains("same"))

    let huge = try write("{\"figures\": {\"sending_finished_at\": 1e19}}", name: "huge.json", in: folder)
    let odd = try runCLI(["compare", huge, huge])
    #expect(odd.status == 2)
    #expect(odd.stderr.contains("figure 'sending_finished_at' is 1e+19"))
  }

  @Test func benchRefusesABaselineWithAnImpossibleWallTime() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.tiny, name: "tiny.yaml", in: folder)
    let baseline = try write(
      """
      {"schema": "campaignsim.bench/1", "results": [{"name": "tiny", "file": "tiny.yaml", "peakRSSBytes": 1,
        "samples": [{"wallSeconds": 1e-320, "events": 1, "messages": 20, "dispatches": 1}]}]}
      """, name: "base.json", in: folder)
    let result = try runCLI(["bench", "--scenario", scenario, "--runs", "1", "--baseline", baseline])
    #expect(result.status == 2)
    #expect(result.stderr.contains("tiny, sample 1: wallSeconds is"))
  }

  /// #8: a sweep of a million points says how long it would take and wants --yes.
  @Test func aHugeSweepGridAsksForYesAndRunsNothing() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.tiny, name: "tiny.yaml", in: folder)
    let values = (1...1000).map(String.init).joined(separator: ",")
    let out = folder.path + "/sweep"
    let result = try runCLI([
      "sweep", scenario, "--vary", "senders.main.throughput_mps=\(values)", "--vary",
      "campaigns.promo.audience=\(values)", "--out", out, "--threads", "2",
    ])
    #expect(result.status == 2)
    // 10^6 runs × (20 messages / 3 M/s + 1 ms) / 2 threads ≈ 503 s.
    #expect(
      result.stderr.contains(
        "1,000,000 points, 1,000,000 runs of about 20 messages: roughly 9 min on 2 threads (release build); pass --yes")
    )
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  /// #4: a run over the memory budget is refused before it starts, naming the key.
  @Test func aRunOverTheMemoryBudgetIsRefusedBeforeItStarts() throws {
    let folder = temporaryFolder()
    let campaigns = (1...100).map { "  - {id: c\($0), sender: s, audience: 10}" }.joined(separator: "\n")
    let scenario = try write(
      "name: fine\nsenders: [{id: s, throughput_mps: 80}]\ncampaigns:\n\(campaigns)\nreport: {bucket: 1s}\n",
      name: "fine.yaml", in: folder)
    let out = folder.path + "/out"
    let refused = try runCLI(["run", scenario, "--out", out, "--memory-budget", "1GiB"])
    #expect(refused.status == 2)
    #expect(refused.stderr.hasPrefix("\(scenario): error: at 'report.bucket': this run would need about"))
    #expect(refused.stderr.contains("(--memory-budget)"))
    #expect(!FileManager.default.fileExists(atPath: out))

    let limited = try write(
      """
      name: limited
      business: {messaging_limit: 100000}
      senders: [{id: s, throughput_mps: 1000}]
      campaigns: [{id: c, sender: s, audience: 1000000000}]
      report: {memory_budget: 512MiB}
      """, name: "limited.yaml", in: folder)
    let byKey = try runCLI(["run", limited, "--out", out])
    #expect(byKey.status == 2)
    #expect(byKey.stderr.contains("at 'business.messaging_limit'"))
    #expect(byKey.stderr.contains("over the budget of 512 MiB (report.memory_budget)"))
    #expect(!FileManager.default.fileExists(atPath: out))
    let validated = try runCLI(["validate", limited])
    #expect(validated.stdout.contains("memory_budget: 512MiB"))
  }
}
