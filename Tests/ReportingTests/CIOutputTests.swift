import Analysis
import Foundation
import RunPlan
import ScenarioFormat
import Testing

@testable import Reporting

/// `--summary-json`, `--junit`, the GitHub step summary and compare's table, byte for byte.
@Suite struct CIOutputTests {
  static func table(_ pairs: [(String, [Double?])]) -> FigureTable {
    FigureTable(names: pairs.map(\.0), statistics: pairs.map { FigureStatistics(values: $0.1) })
  }

  static let runFigures = table([
    ("messages", [100]), ("delivered_fraction", [0.9]), ("sending_finished_at", [nil]),
    ("promo.messages", [100]), ("promo.delivered_fraction", [0.9]), ("promo.sending_finished_at", [33.3]),
  ])

  static let outcomes = ThresholdCheck.evaluate(
    [
      Threshold(figure: "promo.sending_finished_at", comparison: .less, value: 30),
      Threshold(figure: "promo.delivered_fraction", comparison: .greaterOrEqual, value: 0.9, strict: true),
    ], figures: runFigures)

  // MARK: JUnit

  @Test func runJUnitHasOneCasePerThresholdAndAFailureForEachFailingOne() throws {
    let xml = JUnitReport.run(scenario: "tiny", seed: 42, replications: 1, outcomes: Self.outcomes)
    #expect(
      xml == """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="campaign-sim run tiny" tests="2" failures="1" errors="0" time="0">
          <testsuite name="campaign-sim run tiny" tests="2" failures="1" errors="0" skipped="0" time="0">
            <properties>
              <property name="seed" value="42"/>
              <property name="replications" value="1"/>
            </properties>
            <testcase classname="tiny.thresholds" name="promo.sending_finished_at &lt; 30s" time="0">
              <failure message="promo.sending_finished_at is 33.3s, expected &lt; 30s" type="failure">promo.sending_finished_at is 33.3s, expected &lt; 30s</failure>
              <system-out>observed 33.3s</system-out>
            </testcase>
            <testcase classname="tiny.thresholds" name="promo.delivered_fraction &gt;= 0.9" time="0">
              <system-out>observed 90.000%</system-out>
            </testcase>
          </testsuite>
        </testsuites>

        """)
    let root = try parseXML(xml)
    #expect(root.name == "testsuites")
    let cases = root.all.filter { $0.name == "testcase" }
    #expect(
      cases.map { $0.attributes["name"] } == ["promo.sending_finished_at < 30s", "promo.delivered_fraction >= 0.9"])
    #expect(cases.map { $0.children.contains { $0.name == "failure" } } == [true, false])
  }

  @Test func noThresholdsIsAnEmptySuite() throws {
    let xml = JUnitReport.run(scenario: "tiny", seed: 1, replications: 3, outcomes: [])
    let root = try parseXML(xml)
    #expect(root.children.first?.attributes["tests"] == "0")
    #expect(!root.all.contains { $0.name == "testcase" })
  }

  @Test func xmlEscapingKeepsEveryStringReadableAndTheDocumentWellFormed() throws {
    #expect(
      JUnitReport.attribute("a&b<c>\"d'e\tf\ng\rh\u{1}i") == "a&amp;b&lt;c&gt;&quot;d&apos;e&#9;f&#10;g&#13;h\u{FFFD}i")
    #expect(JUnitReport.text("x < y & \"z\"\n\u{0}\u{FFFE}") == "x &lt; y &amp; \"z\"\n\u{FFFD}\u{FFFD}")
    #expect(JUnitReport.text("]]> é 💬") == "]]&gt; é 💬")
    let hostile = "a\"b<c>&d'e\u{7}f\nend ]]>"
    let xml = JUnitReport.run(scenario: hostile, seed: 0, replications: 1, outcomes: Self.outcomes)
    let root = try parseXML(xml)
    #expect(root.attributes["name"] == "campaign-sim run a\"b<c>&d'e\u{FFFD}f\nend ]]>")
    let first = try #require(root.all.first { $0.name == "testcase" })
    #expect(first.attributes["classname"] == "a\"b<c>&d'e\u{FFFD}f\nend ]]>.thresholds")
  }

  @Test func compareJUnitHasACasePerDirectedFigureFailingOnlyRegressions() throws {
    let baseline = Self.table([
      ("messages", [100]), ("dispatches", [120]), ("failed_fraction", [0.01]), ("sent", [3]),
      ("a.dispatches", [60]), ("b.dispatches", [60]),
    ])
    let current = Self.table([
      ("messages", [100]), ("dispatches", [126]), ("failed_fraction", [0.02]), ("sent", [4]),
      ("a.dispatches", [63]), ("b.dispatches", [63]),
    ])
    let rows = try Compare.compare(
      baseline: baseline, current: current, figures: nil,
      tolerances: try Tolerances.parse(["*dispatches=5%"]).get())
    let xml = JUnitReport.compare(rows, scenario: "tiny", baseline: "old.json", current: "new.json")
    #expect(
      xml == """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="campaign-sim compare tiny" tests="4" failures="1" errors="0" time="0">
          <testsuite name="campaign-sim compare tiny" tests="4" failures="1" errors="0" skipped="0" time="0">
            <properties>
              <property name="baseline" value="old.json"/>
              <property name="current" value="new.json"/>
            </properties>
            <testcase classname="tiny.overall" name="dispatches" time="0">
              <system-out>120 → 126, +6 (+5.00%): within tolerance (tolerance 5%)</system-out>
            </testcase>
            <testcase classname="tiny.overall" name="failed_fraction" time="0">
              <failure message="failed_fraction regressed: 1.000% → 2.000%, +1.000 pp (+100.00%): regressed (tolerance 0%)" type="failure">failed_fraction regressed: 1.000% → 2.000%, +1.000 pp (+100.00%): regressed (tolerance 0%)</failure>
              <system-out>1.000% → 2.000%, +1.000 pp (+100.00%): regressed (tolerance 0%)</system-out>
            </testcase>
            <testcase classname="tiny.a" name="a.dispatches" time="0">
              <system-out>60 → 63, +3 (+5.00%): within tolerance (tolerance 5%)</system-out>
            </testcase>
            <testcase classname="tiny.b" name="b.dispatches" time="0">
              <system-out>60 → 63, +3 (+5.00%): within tolerance (tolerance 5%)</system-out>
            </testcase>
          </testsuite>
        </testsuites>

        """)
    #expect((try? parseXML(xml)) != nil)
  }

  // MARK: Summary JSON

  @Test func runSummaryIsExact() {
    let document = SummaryJSON.run(
      scenario: "tiny", seed: 42, replications: 1, campaigns: [("promo", "main")], figures: Self.runFigures,
      thresholds: Self.outcomes, reports: "out")
    #expect(
      document.json() == """
        {
          "schema": "campaignsim.summary/1",
          "command": "run",
          "scenario": "tiny",
          "seed": 42,
          "replications": 1,
          "passed": false,
          "thresholds": {
            "passed": 1,
            "failed": 1,
            "checks": [
              {
                "figure": "promo.sending_finished_at",
                "condition": "< 30s",
                "strict": false,
                "observed": 33.3,
                "checked": 33.3,
                "passed": false
              },
              {
                "figure": "promo.delivered_fraction",
                "condition": ">= 0.9",
                "strict": true,
                "observed": 0.9,
                "checked": 0.9,
                "passed": true
              }
            ]
          },
          "overall": {
            "figures": {
              "messages": 100,
              "delivered_fraction": 0.9,
              "sending_finished_at": null
            }
          },
          "campaigns": [
            {
              "id": "promo",
              "sender": "main",
              "figures": {
                "messages": 100,
                "delivered_fraction": 0.9,
                "sending_finished_at": 33.3
              }
            }
          ],
          "reports": "out"
        }

        """)
  }

  @Test func campaignIdsWithDotsAndHugeSeedsStayExact() {
    let figures = Self.table([("messages", [2]), ("a.b.messages", [1]), ("a.messages", [1])])
    let document = SummaryJSON.run(
      scenario: "x", seed: UInt64.max, replications: 1, campaigns: [("a", "s"), ("a.b", "s")], figures: figures,
      thresholds: [], reports: nil)
    #expect(document["seed"] == .string("18446744073709551615"))
    guard case .array(let campaigns)? = document["campaigns"] else {
      Issue.record("no campaigns")
      return
    }
    #expect(
      campaigns.map { $0["figures"] } == [.object([("messages", .double(1))]), .object([("messages", .double(1))])])
    #expect(document["passed"] == .bool(true))
  }

  @Test func compareSummaryIsExact() throws {
    let baseline = Self.table([("sending_finished_at", [100]), ("promo.sending_finished_at", [100])])
    let current = Self.table([("sending_finished_at", [nil]), ("promo.sending_finished_at", [nil])])
    let rows = try Compare.compare(baseline: baseline, current: current, figures: nil, tolerances: Tolerances())
    let document = SummaryJSON.compare(
      rows, scenario: "tiny", baseline: ("old.json", .init(seed: 7, replications: 1)), current: ("new.json", nil),
      tolerances: try Tolerances.parse(["1%", "dispatches=5%"]).get())
    #expect(
      document.json() == """
        {
          "schema": "campaignsim.summary/1",
          "command": "compare",
          "scenario": "tiny",
          "baseline": {
            "path": "old.json",
            "seed": 7,
            "replications": 1
          },
          "current": {
            "path": "new.json",
            "seed": null,
            "replications": null
          },
          "tolerance": {
            "default": 0.01,
            "figures": [
              {
                "pattern": "dispatches",
                "tolerance": 0.05
              }
            ]
          },
          "passed": false,
          "regressions": 1,
          "verdicts": {
            "same": 0,
            "improved": 0,
            "regressed": 1,
            "within noise": 0,
            "within tolerance": 0,
            "changed": 0,
            "only in baseline": 0,
            "only in current": 0
          },
          "figures": [
            {
              "figure": "sending_finished_at",
              "also": ["promo.sending_finished_at"],
              "campaign": null,
              "direction": "lower",
              "baseline": 100,
              "current": null,
              "change": null,
              "relative_change": null,
              "tolerance": 0,
              "verdict": "regressed"
            }
          ]
        }

        """)
  }

  // MARK: GitHub step summary

  @Test func stepSummaryAppendsAndCutsAtALineEndUnderTheLimit() {
    #expect(StepSummary.appended("# B\n", to: "", whole: "w") == "# B\n")
    #expect(StepSummary.appended("# B\n", to: "# A\n", whole: "w") == "# A\n\n# B\n")
    #expect(StepSummary.appended("# B\n", to: "# A", whole: "w") == "# A\n\n# B\n")
    let long = (1...50).map { "| row \($0) | value |\n" }.joined()
    let cut = StepSummary.appended(long, to: "# A\n", limit: 400, whole: "report.md")
    #expect(cut.utf8.count < 400)
    #expect(cut.hasPrefix("# A\n\n| row 1 | value |\n"))
    #expect(
      cut.hasSuffix(
        "| value |\n\n\n> Cut to stay under GitHub's 1 MiB step-summary limit; the whole text is in report.md.\n"))
    // Nothing fits beside what is there: the file is left as it was.
    #expect(StepSummary.appended(long, to: String(repeating: "x", count: 390), limit: 400, whole: "w").count == 390)
    #expect(StepSummary.limit == 1_048_576)
  }

  @Test func stepSummaryFileIsAppendedInPlace() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ci-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("summary.md").path
    try StepSummary.append("# one\n", to: path, whole: "w")
    try StepSummary.append("# two\n", to: path, whole: "w")
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "# one\n\n# two\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["summary.md"], "no temporary left")
  }

  // MARK: Output paths

  @Test func outputPathsThatCannotBeWrittenAreRefusedBeforehand() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ci-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("file.txt").path
    try "x".write(toFile: file, atomically: true, encoding: .utf8)
    try AtomicFile.check(folder.appendingPathComponent("new/deeper/out.xml").path, what: "--junit")
    try AtomicFile.check(file, what: "--junit")
    for (path, reason) in [
      ("", "empty path"), (folder.path, "is a folder"), (folder.path + "/", "is a folder name"),
      (file + "/out.xml", "is not a folder"), ("/dev/null", "not a regular file"),
    ] {
      #expect(throws: OutputError.self, "\(path)") { try AtomicFile.check(path, what: "--junit") }
      do {
        try AtomicFile.check(path, what: "--junit")
      } catch {
        #expect(error.description.contains(reason), "\(path): \(error.description)")
      }
    }
  }

  // MARK: compare's table

  @Test func compareListsOneCampaignOnceAndFormatsNumbersOneWay() throws {
    let baseline = Self.table([
      ("messages", [1000, 1000]), ("dispatches", [1234, 1235]), ("delivered_fraction", [0.9, 0.9]),
      ("promo.messages", [1000, 1000]), ("promo.dispatches", [1234, 1235]), ("promo.delivered_fraction", [0.9, 0.9]),
    ])
    let current = Self.table([
      ("messages", [1000, 1000]), ("dispatches", [1300, 1301]), ("delivered_fraction", [0.8, 0.8]),
      ("promo.messages", [1000, 1000]), ("promo.dispatches", [1300, 1301]), ("promo.delivered_fraction", [0.8, 0.8]),
    ])
    let tolerances = try Tolerances.parse(["2.5%", "dispatches=10%"]).get()
    let rows = try Compare.compare(baseline: baseline, current: current, figures: nil, tolerances: tolerances)
    let text = CompareReport.render(
      rows, style: .text, tolerances: tolerances, baseline: "a", current: "b", changesOnly: true)
    #expect(
      text == """
        figure                     baseline          current                change           verdict
        ------------------  ---------------  ---------------  --------------------  ----------------
        dispatches          1,234.50 ± 6.35  1,300.50 ± 6.35          +66 (+5.35%)  within tolerance
        delivered_fraction          90.000%          80.000%  -10.000 pp (-11.11%)         regressed

        3 figures: 1 same, 1 regressed, 1 within tolerance (tolerance 2.5%, dispatches 10%)
        one campaign, promo: its figures are the overall ones, listed once (promo.X is X)
        regressed: delivered_fraction

        """)
  }

  @Test func relativeChangesAndTolerancesHaveOneFormat() {
    #expect(Format.relativeChange(0.0601) == "+6.01%")
    #expect(Format.relativeChange(-0.0035) == "-0.35%")
    #expect(Format.relativeChange(0) == "+0.00%")
    #expect(Format.relativeChange(2.235 / 86_664.544) == "+0.0026%", "a real change never shows as +0.00%")
    #expect(Format.relativeChange(-1e-9) == "-0.00000010%")
    #expect(Format.tolerance(0.02) == "2%")
    #expect(Format.tolerance(0.025) == "2.5%")
    #expect(Format.tolerance(0) == "0%")
    #expect(Format.tolerance(0.001234) == "0.1234%")
    #expect(Format.grouped(1234.5, 2) == "1,234.50")
    #expect(Format.grouped(-1234567.125, 1) == "-1,234,567.1")
    #expect(Format.grouped(-0.001, 2) == "0.00")
    #expect(Format.figure(1234.5, name: "promo.dispatches") == "1,234.50")
  }

  @Test func changesOnlySaysNoChangesWhenThereAreNone() throws {
    let figures = Self.table([("messages", [10]), ("delivered_fraction", [1])])
    let rows = try Compare.compare(baseline: figures, current: figures, figures: nil, tolerances: Tolerances())
    #expect(
      CompareReport.render(rows, style: .text, tolerances: Tolerances(), baseline: "a", current: "b", changesOnly: true)
        == "no changes: the 2 figures compared are the same\n")
    let markdown = CompareReport.render(
      rows, style: .md, tolerances: Tolerances(), baseline: "a", current: "b", changesOnly: true)
    #expect(
      markdown
        == "# Compare\n\nBaseline `a`, current `b`, tolerance 0%: 2 same.\n\n"
        + "No changes: the 2 figures compared are the same.\n")
  }
}
