import Foundation
import Testing

/// Replications, thresholds, compare and sweep through the `campaign-sim` binary.
@Suite(.serialized) struct AnalysisCLITests {
  /// 100 contacts at 10 msg/s with a 2 s outage: sending finishes at exactly 33.3 s (CLITests).
  static let tiny = CLITests.tiny

  static let noisy = """
    # randomness everywhere, for replications
    name: noisy
    seed: 3
    replications: 4
    senders: [{id: main, throughput_mps: 40}]
    campaigns:
      - id: promo
        sender: main
        audience: 2000
        contacts: {invalid: 0.05, offline: 0.05, read_receipts_off: 0.2}
        engagement: {read: 0.5, respond: 0.2}
        latency: {api: {exponential: 200ms}, deliver: {exponential: 5s}, read: {exponential: 10m}}
    faults: {transient_error_rate: 0.05}
    """

  func write(_ text: String, _ name: String, in folder: URL) throws -> String {
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  func json(_ path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  /// A report without its engine section, the only part allowed to differ between runs.
  func withoutEngine(_ path: String, marker: String) throws -> String {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return String(text[..<(text.range(of: marker)?.lowerBound ?? text.endIndex)])
  }

  // MARK: Thresholds

  @Test func aFailingThresholdExits99AndTheReportsSayWhich() throws {
    let folder = temporaryFolder()
    let scenario = try write(
      Self.tiny + """

        thresholds:
          promo.sending_finished_at: "< 30s"
          promo.delivered_fraction: ">= 1"
          errors_131016: "== 20"
        """, "tiny.yaml", in: folder)
    let out = folder.appendingPathComponent("out").path
    let result = try runCLI(["run", scenario, "--out", out])
    #expect(result.status == 99, "\(result.stderr)")
    #expect(result.stdout.contains("thresholds: 2 passed, 1 failed"))
    #expect(result.stdout.contains("✗ promo.sending_finished_at < 30s"))
    #expect(result.stdout.contains("33.3s"))
    #expect(result.stdout.contains("✓ promo.delivered_fraction >= 1"))
    let report = try json(out + "/report.json")
    let thresholds = try #require(report["thresholds"] as? [[String: Any]])
    #expect(thresholds.map { $0["passed"] as? Bool } == [false, true, true])
    #expect(thresholds[0]["observed"] as? Double == 33.3)
    #expect(thresholds[0]["condition"] as? String == "< 30s")
    let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
    #expect(markdown.contains("## Thresholds\n\n2 passed, 1 failed."))
    #expect(markdown.contains("| ✗ | `promo.sending_finished_at` | `< 30s` | 33.3s |"))

    let quiet = try runCLI(["run", scenario, "--out", out, "--quiet"])
    #expect(quiet.status == 99)
    #expect(quiet.stdout.isEmpty)
    #expect(quiet.stderr.contains("✗ promo.sending_finished_at < 30s"))
  }

  @Test func passingThresholdsExitZero() throws {
    let folder = temporaryFolder()
    let scenario = try write(
      Self.tiny + "\nthresholds:\n  promo.sending_finished_at: \"<= 33.3s\"\n", "tiny.yaml", in: folder)
    let result = try runCLI(["run", scenario, "--out", folder.appendingPathComponent("out").path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("thresholds: 1 passed, 0 failed"))
  }

  @Test func malformedThresholdsExitTwoWithFileLineAndKey() throws {
    let folder = temporaryFolder()
    let cases: [(String, String)] = [
      (
        "  promo.delivered: \">= 1\"\n  promo.sending_finish: \"< 1h\"",
        "bad.yaml:16:3: error: at 'thresholds.promo.sending_finish': unknown figure"
      ),
      (
        "  promotion.delivered: \">= 1\"",
        "bad.yaml:15:3: error: at 'thresholds.promotion.delivered': unknown campaign 'promotion'"
      ),
      ("  promo.delivered: \"≥ 1\"", "bad.yaml:15:20: error: at 'thresholds.promo.delivered': expected a comparison"),
      ("  promo.delivered: \">= lots\"", "bad.yaml:15:20: error: at 'thresholds.promo.delivered': expected a number"),
    ]
    for (thresholds, message) in cases {
      let scenario = try write(Self.tiny + "\nthresholds:\n" + thresholds + "\n", "bad.yaml", in: folder)
      let out = folder.appendingPathComponent("out")
      let result = try runCLI(["run", scenario, "--out", out.path])
      #expect(result.status == 2)
      #expect(result.stderr.contains(message), "\(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out.path))
    }
  }

  // MARK: Replications

  @Test func replicatedReportsAreIdenticalWithOneOrTwoThreads() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.noisy, "noisy.yaml", in: folder)
    var reports: [(json: String, md: String)] = []
    for threads in ["1", "2"] {
      let out = folder.appendingPathComponent("t\(threads)").path
      let result = try runCLI(["run", scenario, "--out", out, "--threads", threads])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.contains("over 4 replications"))
      reports.append(
        (
          try withoutEngine(out + "/report.json", marker: "\"engine\""),
          try withoutEngine(out + "/report.md", marker: "## Engine")
        ))
    }
    #expect(reports[0].json == reports[1].json)
    #expect(reports[0].md == reports[1].md)

    let report = try json(folder.appendingPathComponent("t2/report.json").path)
    let statistics = try #require(report["statistics"] as? [String: Any])
    #expect(statistics["replications"] as? Int == 4)
    #expect(abs((statistics["t"] as? Double ?? 0) - 3.1824463052837084) < 1e-14)
    let figures = try #require(statistics["figures"] as? [String: [String: Any]])
    let delivered = try #require(figures["promo.delivered_fraction"])
    let values = try #require(delivered["values"] as? [Double])
    #expect(values.count == 4 && Set(values).count > 1)
    let mean = try #require(delivered["mean"] as? Double)
    #expect(abs(mean - values.reduce(0, +) / 4) < 1e-15)
    let ci = try #require(delivered["ci95"] as? [Double])
    #expect(ci[0] < mean && mean < ci[1])
    #expect((report["figures"] as? [String: Any])?["promo.delivered_fraction"] as? Double == mean)
    #expect(report["replication"] as? Int == 0)
    #expect((report["scenario"] as? [String: Any])?["replications"] as? Int == 4)
    let markdown = try String(contentsOfFile: folder.appendingPathComponent("t2/report.md").path, encoding: .utf8)
    #expect(markdown.contains("describe replication 0 of 4"))
    #expect(markdown.contains("## Replications"))
  }

  @Test func oneReplicationAddsFiguresAndNothingElse() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.noisy, "noisy.yaml", in: folder)
    let out = folder.appendingPathComponent("one").path
    let result = try runCLI(["run", scenario, "--out", out, "--replications", "1"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stdout.contains("replications"))
    let report = try json(out + "/report.json")
    #expect(report["statistics"] == nil && report["thresholds"] == nil)
    let figures = try #require(report["figures"] as? [String: Any])
    let campaign = try #require((report["campaigns"] as? [[String: Any]])?.first)
    #expect(figures["promo.delivered"] as? Int == (campaign["final_states"] as? [String: Int])?["delivered"])
    #expect(figures["promo.sending_finished_at"] as? Double == campaign["sending_finished_at_s"] as? Double)
    let bad = try runCLI(["run", scenario, "--out", out, "--replications", "0"])
    #expect(bad.status == 2 && bad.stderr.contains("--replications"))
  }

  // MARK: Compare

  @Test func compareFlagsRegressionsWithExitOne() throws {
    let folder = temporaryFolder()
    let fast = try write(Self.tiny, "fast.yaml", in: folder)
    // A 4 s outage instead of 2 s: 40 refused attempts, retried up to 35.1 s, so done at 35.3 s.
    let slow = try write(
      Self.tiny.replacingOccurrences(of: "duration: 2s", with: "duration: 4s"), "slow.yaml", in: folder)
    for (name, file) in [("fast", fast), ("slow", slow)] {
      #expect(try runCLI(["run", file, "--out", folder.appendingPathComponent(name).path, "--quiet"]).status == 0)
    }
    let a = folder.appendingPathComponent("fast/report.json").path
    let b = folder.appendingPathComponent("slow/report.json").path

    let same = try runCLI(["compare", a, a])
    #expect(same.status == 0, "\(same.stderr)")
    #expect(same.stdout.contains("same") && !same.stdout.contains("regressed"))

    // One campaign: its figures are the overall ones, listed once under the overall name.
    let slower = try runCLI(["compare", a, b, "--changes-only"])
    #expect(slower.status == 1)
    #expect(
      slower.stdout.range(
        of: #"\nsending_finished_at +33\.3s +35\.3s +\+2s \(\+6\.01%\) +regressed"#, options: .regularExpression)
        != nil, "\(slower.stdout)")
    #expect(
      slower.stdout.range(
        of: #"\nerrors_131016 +20 +40 +\+20 \(\+100\.00%\) +regressed"#, options: .regularExpression) != nil)
    #expect(!slower.stdout.contains("delivered_fraction") && !slower.stdout.contains("promo.sending_finished_at"))
    #expect(slower.stdout.contains("regressed: "))

    let faster = try runCLI(["compare", b, a, "--changes-only"])
    #expect(
      faster.stdout.range(
        of: #"\nsending_finished_at +35\.3s +33\.3s +-2s \(-5\.67%\) +improved"#, options: .regularExpression)
        != nil, "\(faster.stdout)")

    let tolerated = try runCLI(["compare", a, b, "--tolerance", "1000%"])
    #expect(tolerated.status == 0)
    #expect(tolerated.stdout.contains("within tolerance"))

    let asJSON = try runCLI(["compare", a, b, "--format", "json"])
    let document = try #require(try JSONSerialization.jsonObject(with: Data(asJSON.stdout.utf8)) as? [String: Any])
    let rows = try #require(document["figures"] as? [[String: Any]])
    let finished = try #require(rows.first { $0["figure"] as? String == "sending_finished_at" })
    #expect(finished["verdict"] as? String == "regressed" && finished["direction"] as? String == "lower")
    #expect(finished["also"] as? [String] == ["promo.sending_finished_at"])
    #expect((document["regressions"] as? Int ?? 0) > 0)

    let markdown = try runCLI(["compare", a, b, "--format", "md"])
    #expect(markdown.stdout.contains("| `sending_finished_at` | 33.3s |"))

    let notAReport = try runCLI(["compare", a, fast])
    #expect(notAReport.status == 2 && notAReport.stderr.contains("fast.yaml"))
  }

  // MARK: Sweep

  @Test func sweepFindsTheHandDerivedCapacityAndWritesItsFiles() throws {
    let folder = temporaryFolder()
    let scenario = try write(
      """
      # 10 msg/s, api 100 ms: N contacts are done at (N - 1) * 0.1 s + 0.1 s
      name: drain
      senders: [{id: main, throughput_mps: 10}]
      campaigns:
        - {id: promo, sender: main, audience: 1, latency: {api: 100ms}}
      """, "drain.yaml", in: folder)
    let out = folder.appendingPathComponent("sweep").path
    let result = try runCLI([
      "sweep", scenario, "--find-max", "campaigns.promo.audience", "--until", "promo.sending_finished_at <= 1m",
      "--vary", "senders.main.throughput_mps=10,20", "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    // At 10 msg/s: (N − 1) · 0.1 + 0.1 ≤ 60 → N ≤ 600; at 20 msg/s: (N − 1) · 0.05 + 0.1 ≤ 60 → N ≤ 1 199.
    let csv = try String(contentsOfFile: out + "/sweep.csv", encoding: .utf8).split(separator: "\n")
    #expect(csv.count == 3)
    #expect(csv[1].hasPrefix("10,600,found,601,promo.sending_finished_at <= 1m,60,"))
    #expect(csv[2].hasPrefix("20,1199,found,1200,promo.sending_finished_at <= 1m,60,"))
    let html = try String(contentsOfFile: out + "/sweep.html", encoding: .utf8)
    // report.html's chart engine: a line through one marker per point, the old polylines gone.
    #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<path class=\"line\"") && !html.contains("<polyline"))
    #expect(html.components(separatedBy: "<path class=\"marker\"").count == 3)
    #expect(html.contains("<title>throughput (msg/s) of sender main = 20: 1,199</title>"))
    // Self-contained: nothing to fetch, nothing to run; `url(` only for patterns on the page.
    for outside in ["<script", "src=", "href=", "@import", "http:", "https:"] {
      #expect(!html.contains(outside), "\(outside)")
    }
    #expect(html.components(separatedBy: "url(").count == html.components(separatedBy: "url(#").count)
    let markdown = try String(contentsOfFile: out + "/sweep.md", encoding: .utf8)
    #expect(markdown.contains("| 20 | 1199 | 1200 |"))
  }

  @Test func gridSweepWritesEveryPointAndRefusesBadValues() throws {
    let folder = temporaryFolder()
    let scenario = try write(
      Self.noisy.replacingOccurrences(of: "replications: 4", with: "replications: 1"), "noisy.yaml", in: folder)
    let out = folder.appendingPathComponent("grid").path
    let result = try runCLI([
      "sweep", scenario, "--vary", "senders.main.throughput_mps=40,80", "--vary", "faults.transient_error_rate=0,0.1",
      "--figure", "promo.sending_finished_at", "--out", out, "--threads", "2",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let csv = try String(contentsOfFile: out + "/sweep.csv", encoding: .utf8).split(separator: "\n")
    #expect(csv.count == 5)
    #expect(csv[0].hasPrefix("senders.main.throughput_mps,faults.transient_error_rate,messages,"))
    #expect(
      csv.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") } == [
        "40,0", "40,0.1", "80,0", "80,0.1",
      ])
    // Common random numbers: the transient-error rate does not change who is invalid.
    let header = csv[0].split(separator: ",", omittingEmptySubsequences: false)
    let invalid = try #require(header.firstIndex(of: "promo.invalid_contact"))
    let invalids = Set(csv.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[invalid] })
    #expect(invalids.count == 1)

    for bad in ["senders.main.throughput_mps=40,fast", "campaigns.nobody.audience=1", "pacing"] {
      let refused = try runCLI(["sweep", scenario, "--vary", bad, "--out", out])
      #expect(refused.status == 2, "\(bad)")
      #expect(refused.stderr.contains("error:"), "\(bad): \(refused.stderr)")
    }
    let nothing = try runCLI(["sweep", scenario, "--out", out])
    #expect(nothing.status == 2 && nothing.stderr.contains("nothing to sweep"))
  }

  /// A §9 scalar the file leaves out (off) is a sweep parameter all the same. Everyone capped for a
  /// day, and no retry after a cap: each of the 100 messages gets one 131049 and ends
  /// blocked_or_spam, the 20 caught by the outage after their transient retry.
  @Test func sweepVariesAPerUserCapTheFileLeavesOut() throws {
    let folder = temporaryFolder()
    let text =
      Self.tiny.replacingOccurrences(of: "audience: 100", with: "audience: 100\n    cap_duration: 1d")
      + "\nretry: {retry_on: [transient]}\n"
    let scenario = try write(text, "capped.yaml", in: folder)
    let out = folder.appendingPathComponent("caps").path
    let result = try runCLI([
      "sweep", scenario, "--vary", "campaigns.promo.contacts.marketing_capped=0,1", "--figure", "promo.blocked_or_spam",
      "--out", out, "--threads", "1",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let csv = try String(contentsOfFile: out + "/sweep.csv", encoding: .utf8).split(separator: "\n")
    #expect(csv.count == 3)
    let header = csv[0].split(separator: ",", omittingEmptySubsequences: false)
    func column(_ name: String) throws -> [String] {
      let index = try #require(header.firstIndex { $0 == name }, "\(name)")
      return csv.dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[index]) }
    }
    #expect(try column("campaigns.promo.contacts.marketing_capped") == ["0", "1"])
    #expect(try column("promo.blocked_or_spam") == ["0", "100"])
    #expect(try column("promo.errors_131049") == ["0", "100"])
    #expect(try column("promo.errors_131016") == ["20", "20"])
    #expect(try column("promo.delivered") == ["100", "0"])
  }

  @Test func newCommandsHaveHelpWithExamples() throws {
    for command in ["compare", "sweep"] {
      let result = try runCLI([command, "--help"])
      #expect(result.status == 0)
      #expect(result.stdout.contains("Examples:"), "\(command) --help")
    }
  }
}
