import CampaignModel
import RunPlan
import ScenarioFormat
import Testing

@testable import Analysis

@Suite struct ThresholdTests {
  func table(_ figures: [String: [Double?]]) -> FigureTable {
    let names = figures.keys.sorted()
    return FigureTable(names: names, statistics: names.map { FigureStatistics(values: figures[$0]!) })
  }

  func check(_ condition: String, _ figures: FigureTable, strict: Bool = false) throws -> ThresholdOutcome {
    let thresholds = try Conditions.conjunction(condition, campaignIDs: ["promo"], strict: strict)
    return ThresholdCheck.evaluate(thresholds[0], figures: figures)
  }

  @Test func meanAgainstTheValueInTheFiguresUnit() throws {
    let figures = table(["promo.delivered_fraction": [0.96], "promo.sending_finished_at": [3 * 86_400 + 0.2]])
    #expect(try check("promo.delivered_fraction >= 0.95", figures).passed)
    #expect(try check("promo.delivered_fraction >= 95%", figures).passed)
    #expect(try !check("promo.delivered_fraction > 96%", figures).passed)
    // 3 days and 0.2 s is later than 3d.
    #expect(try !check("promo.sending_finished_at <= 3d", figures).passed)
    #expect(try check("promo.sending_finished_at <= 259200.2", figures).passed)
    #expect(try check("promo.sending_finished_at != 3d", figures).passed)
  }

  @Test func strictUsesTheConfidenceBoundOnTheFailingSide() throws {
    // Mean 0.96, sd 0.01 over 4 replications: 95 % CI 0.96 ± 3.182 · 0.005 = [0.9441, 0.9759].
    let figures = table(["promo.delivered_fraction": [0.95, 0.96, 0.97, 0.96]])
    let s = try #require(figures["promo.delivered_fraction"])
    #expect(abs(s.sd! - 0.008164965809277268) < 1e-15)
    let loose = try check("promo.delivered_fraction >= 0.95", figures)
    #expect(loose.passed && loose.checked == s.mean)
    let strict = try check("promo.delivered_fraction >= 0.95", figures, strict: true)
    #expect(!strict.passed && strict.checked == s.ciLow)
    let upper = try check("promo.delivered_fraction < 0.98", figures, strict: true)
    #expect(upper.passed && upper.checked == s.ciHigh)
    #expect(try !check("promo.delivered_fraction != 0.95", figures, strict: true).passed)
    #expect(try check("promo.delivered_fraction != 0.99", figures, strict: true).passed)
  }

  @Test func aTimeThatNeverCameIsLaterThanAnyAndAnUndefinedFigureFails() throws {
    let figures = table(["promo.sending_finished_at": [100, nil], "promo.read_to_responded_p50": [nil]])
    let never = try check("promo.sending_finished_at <= 30d", figures)
    #expect(!never.passed && never.observed == .infinity)
    #expect(try check("promo.sending_finished_at > 1d", figures).passed)
    let undefined = try check("promo.read_to_responded_p50 < 1h", figures)
    #expect(!undefined.passed && undefined.observed == nil)
    #expect(try !check("promo.read_to_responded_p50 > 1h", figures).passed)
  }

  @Test func conditionsReadBackFromTheirText() throws {
    let thresholds = try Conditions.conjunction(
      "promo.sending_finished_at <= 3d and promo.delivered_fraction >= 33.3% and errors_131049 == 0 and "
        + "promo.start_to_sent_p99 < 1.5s",
      campaignIDs: ["promo"])
    #expect(thresholds.map(\.value) == [259_200, 0.333, 0, 1.5])
    #expect(
      Conditions.text(thresholds)
        == "promo.sending_finished_at <= 3d and promo.delivered_fraction >= 0.333 and errors_131049 == 0 and "
        + "promo.start_to_sent_p99 < 1500ms")
    #expect(try Conditions.conjunction(Conditions.text(thresholds), campaignIDs: ["promo"]) == thresholds)
  }

  @Test(arguments: [
    ("promo.delivered_fraction => 0.95", "expected a comparison"),
    ("promo.delivered_fraction >= 3d", "is a duration but 'promo.delivered_fraction' is a fraction"),
    ("promo.sending_finished_at <= soon", "expected a duration"),
    ("promo.dispatches <= 5%", "a percentage fits only a fraction"),
    ("promo.delivered_fraction >=", "expected a value"),
    ("spam.delivered_fraction >= 1", "unknown campaign 'spam'"),
    ("promo.delivered >= 1 and", "expected conditions like"),
    ("promo.delivered", "expected FIGURE COMPARISON VALUE"),
  ])
  func badConditionsSayWhatIsWrong(_ text: String, _ message: String) {
    #expect {
      try Conditions.conjunction(text, campaignIDs: ["promo"])
    } throws: { error in
      (error as? ConditionError)?.message.contains(message) == true
    }
  }
}
