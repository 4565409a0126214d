import CampaignModel
import Reporting
import RunPlan
import Testing

@testable import Analysis

/// Every CSV file goes through `CSV`; sweep.csv used to have a quoter of its own that left a
/// lone CR unquoted, and both let a CRLF through (one Character in Swift, equal to neither).
@Suite struct CSVWriterTests {
  @Test func quotesExactlyTheFieldsRFC4180Requires() {
    #expect(CSV.field("promo") == "promo")
    #expect(CSV.field("") == "")
    #expect(CSV.field(" padded ") == " padded ", "spaces are part of a field, not a reason to quote")
    #expect(CSV.field("≥ 0.95; élan") == "≥ 0.95; élan")
    #expect(CSV.field("a,b") == "\"a,b\"")
    #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(CSV.field("\"") == "\"\"\"\"")
    #expect(CSV.field("line\nbreak") == "\"line\nbreak\"")
    #expect(CSV.field("carriage\rreturn") == "\"carriage\rreturn\"")
    #expect(CSV.field("windows\r\nbreak") == "\"windows\r\nbreak\"")
  }

  @Test func rowJoinsWithCommasAndEndsInALineFeed() {
    #expect(CSV.row([]) == "\n")
    #expect(CSV.row(["a", "", "b,c", "1"]) == "a,,\"b,c\",1\n")
  }

  @Test func sweepCSVQuotesLikeTheReportCSVs() {
    let axes = [
      SweepAxis(path: "campaigns.a,b.audience", values: [.string("x\ry")]),
      SweepAxis(path: "pacing", values: [.string("win\r\ndows")]),
    ]
    let table = FigureTable(names: ["sent \"ok\""], statistics: [FigureStatistics(values: [3])])
    let sweep = SweepResult(axes: axes, points: Sweep.grid(axes), figures: [table], runs: 1)
    #expect(
      SweepReport.csv(sweep, figure: "sent")
        == "\"campaigns.a,b.audience\",pacing,\"sent \"\"ok\"\"\"\n\"x\ry\",\"win\r\ndows\",3\n")
  }

  @Test func outcomesCSVQuotesACampaignIdWithACarriageReturn() {
    var scenario = busyScenario()
    scenario.campaigns[1].id = "vip\r\ngold"
    let text = CSVReport.outcomes([Simulation(scenario: scenario).run()])
    #expect(text.contains("\n0,\"vip\r\ngold\",slow,"))
  }
}
