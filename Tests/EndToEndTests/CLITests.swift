import Foundation
import ScenarioFormat
import Testing

@Suite(.serialized) struct CLITests {
  static let tiny = """
    # two senders, exact numbers
    name: tiny
    senders:
      - id: main
        throughput_mps: 10
    campaigns:
      - id: promo
        sender: main
        audience: 100
        latency:
          api: 200ms
    faults:
      outages: [{sender: main, start: 1s, duration: 2s}]
    """

  func write(_ text: String, name: String, in folder: URL) throws -> URL {
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test func runWritesBothReportsAndPrintsASummary() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.tiny, name: "tiny.yaml", in: folder)
    let out = folder.appendingPathComponent("out")
    let result = try runCLI(["run", scenario.path, "--out", out.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("delivered"))
    #expect(result.stdout.contains("100 (100.00%)"))
    let json = try Data(contentsOf: out.appendingPathComponent("report.json"))
    let report = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    let campaign = try #require((report["campaigns"] as? [[String: Any]])?.first)
    // 20 dispatches at 10/s fall in the outage [1 s, 3 s): 20 errors 131016.
    #expect((campaign["errors"] as? [String: Int])?["131016"] == 20)
    #expect((campaign["final_states"] as? [String: Int])?["delivered"] == 100)
    // First attempts end at 9.9 s; the 20 refused ones are ready 30 s after
    // their responses (31.2 s … 33.1 s), so the last is sent at 33.1 + 0.2 s.
    #expect(campaign["sending_finished_at_s"] as? Double == 33.3)
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.md").path))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") }
    #expect(leftovers.isEmpty, "temporary files left behind: \(leftovers)")
  }

  @Test func runWritesEveryReportFileByDefaultAndFormatPicksSome() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.tiny, name: "tiny.yaml", in: folder)
    let all = folder.appendingPathComponent("all")
    let result = try runCLI(["run", scenario.path, "--out", all.path])
    #expect(result.status == 0, "\(result.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: all.path).sorted()
    #expect(files == ["outcomes.csv", "report.html", "report.json", "report.md", "timeseries.csv"])
    #expect(result.stdout.contains("report.html"))
    // Through a pipe, and with NO_COLOR set, the summary carries no escape codes.
    #expect(!result.stdout.contains("\u{1B}"))

    let some = folder.appendingPathComponent("some")
    let picked = try runCLI(["run", scenario.path, "--out", some.path, "--format", "html,csv", "--quiet"])
    #expect(picked.status == 0, "\(picked.stderr)")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: some.path).sorted()
        == ["outcomes.csv", "report.html", "timeseries.csv"])

    let bad = try runCLI(["run", scenario.path, "--out", folder.appendingPathComponent("bad").path, "--format", "pdf"])
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("unknown report format 'pdf'"), "\(bad.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("bad").path))
  }

  @Test func defaultOutputFolderIsReportsSlashName() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.tiny, name: "tiny.yaml", in: folder)
    let result = try runCLI(["run", scenario.path, "--quiet"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("Reports/tiny/report.json").path))
  }

  @Test func sameSeedSameBytesAndSeedOverrideChangesThem() throws {
    let folder = temporaryFolder()
    let scenario = repositoryRoot.appendingPathComponent("Scenarios/quickstart.yaml").path
    func report(_ name: String, _ extra: [String]) throws -> String {
      let out = folder.appendingPathComponent(name)
      let result = try runCLI(["run", scenario, "--out", out.path, "--quiet"] + extra)
      #expect(result.status == 0, "\(result.stderr)")
      let text = try String(contentsOf: out.appendingPathComponent("report.json"), encoding: .utf8)
      // The engine section is the only part allowed to differ.
      return String(text[..<text.range(of: "\"engine\"")!.lowerBound])
    }
    let a = try report("a", [])
    let b = try report("b", [])
    let c = try report("c", ["--seed", "43"])
    #expect(a == b)
    #expect(a != c)
  }

  @Test func badScenarioExitsTwoNamesFileLineKeyAndWritesNothing() throws {
    let folder = temporaryFolder()
    let bad = Self.tiny.replacingOccurrences(of: "audience: 100", with: "audience: 100\n    contacts: {invalid: 1.5}")
    let scenario = try write(bad, name: "bad.yaml", in: folder)
    let out = folder.appendingPathComponent("out")
    let result = try runCLI(["run", scenario.path, "--out", out.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("bad.yaml:"))
    #expect(result.stderr.contains("bad.yaml:10:"), "line of the bad probability: \(result.stderr)")
    #expect(result.stderr.contains("campaigns[0].contacts.invalid"))
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func badPlatformValueExitsTwoNamesFileLineKeyAndWritesNothing() throws {
    let folder = temporaryFolder()
    let bad = Self.tiny + "\nretry:\n  jitter: 0.5\n  retry_on: [transient, quota]\n"
    let scenario = try write(bad, name: "bad.yaml", in: folder)
    let out = folder.appendingPathComponent("out")
    let result = try runCLI(["run", scenario.path, "--out", out.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("bad.yaml:16:"), "line of the unknown kind: \(result.stderr)")
    #expect(result.stderr.contains("at 'retry.retry_on[1]'"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  /// Issue 11: a file's errors come out together, each located, from `validate` and `run` alike.
  @Test func everyErrorOfAFileIsPrintedAtOnce() throws {
    let folder = temporaryFolder()
    let bad = "seed: -1\nsenders: [{id: main, throughput_mps: 0}]\ncampaigns: [{id: c, sender: main, audience: 1.5k}]\n"
    let scenario = try write(bad, name: "bad.yaml", in: folder)
    let expected = [
      "\(scenario.path):1:7: error: at 'seed': expected a non-negative integer (at most 18446744073709551615), found -1",
      "\(scenario.path):2:38: error: at 'senders[0].throughput_mps': expected a number of sends per second in "
        + "(0, 1000000], found 0",
      "\(scenario.path):3:45: error: at 'campaigns[0].audience': expected an integer in 0...1099511627775 or a count "
        + "such as 10K, 1.5M or 2G (upper-case K, M, G: 1e3, 1e6, 1e9), found the string \"1.5k\"",
    ]
    let validated = try runCLI(["validate", scenario.path])
    #expect(validated.status == 2)
    #expect(validated.stderr.split(separator: "\n").map(String.init) == expected, "\(validated.stderr)")
    let out = folder.appendingPathComponent("out")
    let ran = try runCLI(["run", scenario.path, "--out", out.path])
    #expect(ran.status == 2)
    #expect(ran.stderr.split(separator: "\n").map(String.init) == expected, "\(ran.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func validatePrintsTheEffectiveScenarioWithDefaults() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.tiny, name: "tiny.yaml", in: folder)
    let result = try runCLI(["validate", scenario.path, "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(document["seed"] as? Int == 42)
    #expect(document["pacing"] as? String == "naive")
    let retry = try #require(document["retry"] as? [String: Any])
    #expect(retry["max_retries"] as? Int == 3)
    #expect(retry["transient_backoff"] as? [String] == ["30s", "2m", "10m"])
    #expect(retry["limit_backoff"] as? String == "12h")

    let yaml = try runCLI(["validate", scenario.path])
    #expect(yaml.status == 0)
    #expect(yaml.stdout.contains("max_retries: 3"))
  }

  @Test func validateChecksEveryFileAndFailsIfAnyIsBad() throws {
    let folder = temporaryFolder()
    let good = try write(Self.tiny, name: "good.yaml", in: folder)
    let bad = try write(
      Self.tiny.replacingOccurrences(of: "sender: main", with: "sender: nobody"), name: "bad.yaml", in: folder)
    let result = try runCLI(["validate", good.path, bad.path])
    #expect(result.status == 2)
    #expect(result.stdout.contains("good.yaml: ok"))
    #expect(result.stderr.contains("bad.yaml:8:"), "\(result.stderr)")
  }

  /// Issue 11, item 8: the schema needs no scenario file, and is the one shipped in docs/.
  @Test func validateSchemaPrintsTheShippedSchema() throws {
    let result = try runCLI(["validate", "--schema"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == scenarioJSONSchemaText())
    let shipped = try String(
      contentsOf: repositoryRoot.appendingPathComponent("docs/scenario.schema.json"), encoding: .utf8)
    #expect(result.stdout == shipped)
    let help = try runCLI(["validate", "--help"])
    #expect(help.stdout.contains("campaign-sim validate --schema"))
    // Without --schema a file is still required, and --schema takes none.
    #expect(try runCLI(["validate"]).status == 64)
    #expect(try runCLI(["validate", "--schema", "Scenarios/quickstart.yaml"]).status == 64)
  }

  @Test func everyCommandHasHelpWithExamples() throws {
    for command in [[], ["run"], ["validate"], ["bench"]] {
      let result = try runCLI(command + ["--help"])
      #expect(result.status == 0)
      #expect(result.stdout.contains("Examples:"), "\(command) --help")
    }
  }

  @Test func benchSavesMeasurementsAndFailsOnlyOnARegression() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.tiny, name: "tiny.yaml", in: folder)
    let saved = folder.appendingPathComponent("bench.json")
    let first = try runCLI(["bench", "--scenario", scenario.path, "--runs", "2", "--save", saved.path])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("messages/s"))
    let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: saved)) as? [String: Any])
    let results = try #require(report["results"] as? [[String: Any]])
    #expect((results.first?["samples"] as? [Any])?.count == 2)

    // A baseline impossibly fast makes this run a regression (exit 1); an
    // impossibly slow one makes it an improvement (exit 0).
    func baseline(rate: Double) throws -> URL {
      let url = folder.appendingPathComponent("base-\(rate).json")
      let sample: [String: Any] = ["wallSeconds": 100 / rate, "events": 1, "messages": 100, "dispatches": 100]
      let json: [String: Any] = [
        "schema": "campaignsim.bench/1",
        "results": [["name": "tiny", "file": "tiny.yaml", "samples": [sample], "peakRSSBytes": 0]],
      ]
      try JSONSerialization.data(withJSONObject: json).write(to: url)
      return url
    }
    let regressed = try runCLI([
      "bench", "--scenario", scenario.path, "--runs", "1", "--baseline", baseline(rate: 1e15).path,
    ])
    #expect(regressed.status == 1)
    #expect(regressed.stdout.contains("regressed"))
    let improved = try runCLI([
      "bench", "--scenario", scenario.path, "--runs", "1", "--baseline", baseline(rate: 1).path,
    ])
    #expect(improved.status == 0, "\(improved.stderr)")
    #expect(improved.stdout.contains("improved"))
  }
}
