import Foundation
import Testing

/// `run` and `compare` with `--summary-json`, `--junit` and GITHUB_STEP_SUMMARY, through the binary.
@Suite(.serialized) struct CIOutputCLITests {
  /// 100 contacts done at 33.3 s (CLITests), with one threshold failing and one passing.
  static let gated =
    CLITests.tiny + """

      thresholds:
        promo.sending_finished_at: "< 30s"
        promo.delivered_fraction: ">= 1"
      """

  func write(_ text: String, _ name: String, in folder: URL) throws -> String {
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

  // MARK: run

  @Test func runWritesTheSummaryJUnitAndStepSummaryEvenWhenAThresholdFails() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.gated, "tiny.yaml", in: folder)
    let stepSummary = try write("# Earlier step\n", "step.md", in: folder)
    let out = folder.appendingPathComponent("out").path
    let summary = folder.appendingPathComponent("ci/summary.json").path
    let junit = folder.appendingPathComponent("ci/junit.xml").path
    let result = try runCLI(
      ["run", scenario, "--out", out, "--summary-json", summary, "--junit", junit],
      environment: ["GITHUB_STEP_SUMMARY": stepSummary])
    #expect(result.status == 99, "\(result.stderr)")

    let document = try json(try read(summary))
    #expect(document["schema"] as? String == "campaignsim.summary/1")
    #expect(document["command"] as? String == "run" && document["scenario"] as? String == "tiny")
    #expect(document["seed"] as? Int == 42 && document["replications"] as? Int == 1)
    #expect(document["passed"] as? Bool == false)
    #expect(document["reports"] as? String == out)
    let thresholds = try #require(document["thresholds"] as? [String: Any])
    #expect(thresholds["passed"] as? Int == 1 && thresholds["failed"] as? Int == 1)
    let campaigns = try #require(document["campaigns"] as? [[String: Any]])
    let figures = try #require(campaigns.first?["figures"] as? [String: Any])
    #expect(campaigns.first?["id"] as? String == "promo")
    #expect(figures["sending_finished_at"] as? Double == 33.3 && figures["delivered"] as? Int == 100)
    let overall = try #require((document["overall"] as? [String: Any])?["figures"] as? [String: Any])
    #expect(overall["errors_131016"] as? Int == 20)

    let xml = try read(junit)
    #expect(isWellFormedXML(xml))
    #expect(xml.contains("<testsuite name=\"campaign-sim run tiny\" tests=\"2\" failures=\"1\""))
    #expect(xml.contains("<testcase classname=\"tiny.thresholds\" name=\"promo.sending_finished_at &lt; 30s\""))
    #expect(xml.contains("<failure message=\"promo.sending_finished_at is 33.3s, expected &lt; 30s\""))

    let markdown = try read(stepSummary)
    #expect(markdown.hasPrefix("# Earlier step\n\n# Campaign report: tiny\n"))
    #expect(markdown.contains("| ✗ | `promo.sending_finished_at` | `< 30s` | 33.3s |"))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
    #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
  }

  @Test func summaryOnStandardOutputIsTheOnlyThingThere() throws {
    let folder = temporaryFolder()
    let scenario = try write(CLITests.tiny, "tiny.yaml", in: folder)
    let result = try runCLI(
      ["run", scenario, "--out", folder.appendingPathComponent("out").path, "--summary-json", "-"],
      environment: ["GITHUB_STEP_SUMMARY": ""])
    #expect(result.status == 0, "\(result.stderr)")
    let document = try json(result.stdout)
    #expect(document["passed"] as? Bool == true)
    #expect((document["thresholds"] as? [String: Any])?["checks"] as? [Any] != nil)
    #expect(result.stderr.contains("tiny: 100 messages"), "the human summary moves to stderr")
  }

  @Test func badOutputPathsExitTwoBeforeTheRun() throws {
    let folder = temporaryFolder()
    let scenario = try write(CLITests.tiny, "tiny.yaml", in: folder)
    let file = try write("x", "file.txt", in: folder)
    let out = folder.appendingPathComponent("out")
    let cases: [([String], [String: String], String)] = [
      (["--junit", folder.path], [:], "is a folder"),
      (["--summary-json", file + "/summary.json"], [:], "is not a folder"),
      (["--junit", "-"], [:], "--junit takes a file"),
      (["--summary-json", "same.xml", "--junit", "same.xml"], [:], "name the same file"),
      ([], ["GITHUB_STEP_SUMMARY": folder.path], "GITHUB_STEP_SUMMARY"),
    ]
    for (options, environment, message) in cases {
      let result = try runCLI(["run", scenario, "--out", out.path] + options, environment: environment)
      #expect(result.status == 2, "\(options): \(result.stderr)")
      #expect(result.stderr.contains(message), "\(options): \(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out.path), "\(options): the run must not have started")
    }
    // A scenario that does not load: no verdict, so no CI file.
    let broken = try write("name: [", "broken.yaml", in: folder)
    let junit = folder.appendingPathComponent("junit.xml").path
    #expect(try runCLI(["run", broken, "--out", out.path, "--junit", junit]).status == 2)
    #expect(!FileManager.default.fileExists(atPath: junit))
  }

  // MARK: compare

  /// The tiny run with a 2 s and a 4 s outage (AnalysisCLITests): 20 vs 40 refusals, 33.3 s vs 35.3 s.
  func twoReports(in folder: URL) throws -> (String, String) {
    let fast = try write(CLITests.tiny, "fast.yaml", in: folder)
    let slow = try write(
      CLITests.tiny.replacingOccurrences(of: "duration: 2s", with: "duration: 4s"), "slow.yaml", in: folder)
    for (name, file) in [("fast", fast), ("slow", slow)] {
      let result = try runCLI(["run", file, "--out", folder.appendingPathComponent(name).path, "--quiet"])
      #expect(result.status == 0, "\(result.stderr)")
    }
    return (
      folder.appendingPathComponent("fast/report.json").path, folder.appendingPathComponent("slow/report.json").path
    )
  }

  @Test func compareSelectsFiguresTakesPerFigureTolerancesAndListsEachOnce() throws {
    let folder = temporaryFolder()
    let (a, b) = try twoReports(in: folder)

    let all = try runCLI(["compare", a, b])
    #expect(all.status == 1)
    #expect(all.stdout.contains("one campaign, promo: its figures are the overall ones"))
    #expect(!all.stdout.contains("promo.sending_finished_at"), "listed once, under the overall name")
    #expect(
      all.stdout.range(
        of: #"\nsending_finished_at +33\.3s +35\.3s +\+2s \(\+6\.01%\) +regressed"#,
        options: .regularExpression) != nil, "\(all.stdout)")

    let picked = try runCLI(["compare", a, b, "--figures", "promo.*_fraction,failed_fraction"])
    #expect(picked.status == 0, "only fractions, none of which moved: \(picked.stdout)")
    let lines = picked.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let names = lines.dropFirst(2).prefix { !$0.isEmpty }.map { String($0.split(separator: " ")[0]) }
    #expect(names.contains("delivered_fraction") && names.contains("failed_fraction"))
    #expect(names.allSatisfy { $0.hasSuffix("_fraction") }, "\(names)")

    let forgiven = try runCLI([
      "compare", a, b, "--figures", "sending_finished_at,errors_131016,dispatches", "--tolerance", "10%",
      "--tolerance", "errors_131016=100%", "--tolerance", "dispatches=20%", "--changes-only",
    ])
    #expect(forgiven.status == 0, "\(forgiven.stdout)")
    #expect(forgiven.stdout.contains("(tolerance 10%, errors_131016 100%, dispatches 20%)"))
    let strict = try runCLI(["compare", a, b, "--figures", "errors_131016", "--tolerance", "errors_131016=99%"])
    #expect(strict.status == 1)

    let none = try runCLI(["compare", a, a, "--changes-only"])
    #expect(none.status == 0)
    #expect(none.stdout.hasPrefix("no changes: the "))

    for (options, message) in [
      (["--figures", "faild_fraction"], "--figures 'faild_fraction' matches no figure"),
      (["--tolerance", "dispatchs=5%"], "--tolerance 'dispatchs=…' matches no figure"),
      (["--tolerance", "5%", "--tolerance", "6%"], "the default twice"),
      (["--tolerance", "lots"], "--tolerance must be a percentage"),
      (["--figures", "a,,b"], "empty item"),
    ] {
      let refused = try runCLI(["compare", a, b] + options)
      #expect(refused.status == 2, "\(options)")
      #expect(refused.stderr.contains(message), "\(options): \(refused.stderr)")
    }
  }

  @Test func compareWritesTheSummaryJUnitAndStepSummary() throws {
    let folder = temporaryFolder()
    let (a, b) = try twoReports(in: folder)
    let summary = folder.appendingPathComponent("compare.json").path
    let junit = folder.appendingPathComponent("compare.xml").path
    let step = try write("", "step.md", in: folder)
    let result = try runCLI(
      ["compare", a, b, "--tolerance", "dispatches=50%", "--summary-json", summary, "--junit", junit],
      environment: ["GITHUB_STEP_SUMMARY": step])
    #expect(result.status == 1)

    let document = try json(try read(summary))
    #expect(document["command"] as? String == "compare" && document["scenario"] as? String == "tiny")
    #expect(document["passed"] as? Bool == false)
    #expect((document["baseline"] as? [String: Any])?["seed"] as? Int == 42)
    let rows = try #require(document["figures"] as? [[String: Any]])
    let finished = try #require(rows.first { $0["figure"] as? String == "sending_finished_at" })
    #expect(finished["also"] as? [String] == ["promo.sending_finished_at"])
    #expect(finished["baseline"] as? Double == 33.3 && finished["current"] as? Double == 35.3)
    #expect(finished["verdict"] as? String == "regressed")
    let dispatches = try #require(rows.first { $0["figure"] as? String == "dispatches" })
    #expect(dispatches["tolerance"] as? Double == 0.5 && dispatches["verdict"] as? String == "within tolerance")
    #expect(rows.count == Set(rows.compactMap { $0["figure"] as? String }).count)

    let xml = try read(junit)
    #expect(isWellFormedXML(xml))
    #expect(xml.contains("<testcase classname=\"tiny.overall\" name=\"sending_finished_at\" time=\"0\">"))
    #expect(xml.contains("<failure message=\"sending_finished_at regressed: 33.3s → 35.3s"))
    #expect(!xml.contains("name=\"messages\""), "a figure without a direction is no test")

    let markdown = try read(step)
    #expect(markdown.hasPrefix("# Compare\n\nBaseline `\(a)`, current `\(b)`, tolerance 0%, dispatches 50%: "))
    #expect(markdown.contains("| `sending_finished_at` | 33.3s | 35.3s | +2s (+6.01%) | **regressed** |"))
    #expect(!markdown.contains("| same |"), "the job summary lists changes only")

    // Refused reports: no verdict, so the files keep what they held.
    try FileManager.default.removeItem(atPath: junit)
    let refused = try runCLI(["compare", a, folder.appendingPathComponent("fast.yaml").path, "--junit", junit])
    #expect(refused.status == 2 && !FileManager.default.fileExists(atPath: junit))
  }

  @Test func everyNewOptionIsInTheHelpWithAnExample() throws {
    // Wide enough that argument-parser does not wrap an example across lines.
    let wide = ["COLUMNS": "200"]
    let run = try runCLI(["run", "--help"], environment: wide)
    for text in ["--summary-json <file|->", "--junit <file>", "GITHUB_STEP_SUMMARY", "--junit junit.xml"] {
      #expect(run.stdout.contains(text), "run --help: \(text)")
    }
    let compare = try runCLI(["compare", "--help"], environment: wide)
    for text in [
      "--summary-json <file|->", "--junit <file>", "--figures <patterns>", "--tolerance <[figure=]tolerance>",
      "GITHUB_STEP_SUMMARY", "--figures 'promo.*_fraction,failed_fraction'", "--tolerance dispatches=5%",
      "--junit compare.xml",
    ] {
      #expect(compare.stdout.contains(text), "compare --help: \(text)")
    }
  }
}
