import CampaignModel
import RunPlan
import SimKernel
import Testing

@testable import Analysis

@Suite struct FigureTests {
  @Test func kindNamesAreUniqueAndDotFree() {
    let names = Figures.kinds.map(\.name)
    #expect(Set(names).count == names.count)
    #expect(!names.contains { $0.contains(".") })
    // Every final state and failure reason, as count and fraction; every error code.
    for state in MessageState.allCases {
      #expect(names.contains("\(state)") && names.contains("\(state)_fraction"))
    }
    for reason in FailureReason.v1 { #expect(names.contains("\(reason)_fraction")) }
    for code in ErrorCode.allCases { #expect(names.contains("errors_\(code.rawValue)")) }
  }

  @Test func namesResolveAgainstTheCampaigns() throws {
    let ids = ["promo", "re.minder"]
    #expect(
      try Figures.resolve("failed_fraction", campaignIDs: ids).get()
        == .overall(Figures.kind(named: "failed_fraction")!))
    // Split at the last dot: campaign ids may contain dots.
    #expect(
      try Figures.resolve("re.minder.sending_finished_at", campaignIDs: ids).get()
        == .campaign("re.minder", Figures.kind(named: "sending_finished_at")!))
    #expect(throws: FigureNameError.self) { try Figures.resolve("nope.delivered", campaignIDs: ids).get() }
    #expect(throws: FigureNameError.self) { try Figures.resolve("promo.delivred", campaignIDs: ids).get() }
    #expect(throws: FigureNameError.self) { try Figures.resolve("promo.limit_pauses", campaignIDs: ids).get() }
    #expect(
      Figures.names(campaignIDs: ids).count == Figures.kinds.count * 3 - 2 * Figures.kinds.filter(\.overallOnly).count)
  }

  @Test func figuresOfADeterministicDrain() throws {
    // 10 msg/s, api 100 ms, an outage [10 s, 15 s): 50 errors 131016, retried after the first attempts.
    let faults = Faults(outages: [Outage(sender: "s", start: 10 * Time.second, duration: 5 * Time.second)])
    let result = Simulation(scenario: drain(audience: 1_000, faults: faults)).run()
    let figures = result.figureValues()
    #expect(figures["messages"] == 1_000)
    #expect(figures["c.dispatches"] == 1_050)
    #expect(figures["c.dispatches_per_message"] == 1.05)
    #expect(figures["delivered_fraction"] == 1)
    #expect(figures["c.reached_delivery"] == 1_000)
    #expect(figures["c.errors_131016"] == 50)
    #expect(figures["errors"] == 50)
    #expect(figures["failed_fraction"] == 0)
    #expect(figures["c.sending_started_at"] == 0)
    // The last retry goes out at 100 s + 49 · 0.1 s and is sent 0.1 s later.
    #expect(figures["c.sending_finished_at"] == 105)
    #expect(figures["sending_finished_at"] == 105)
    #expect(figures["c.completed"] == 1)
    #expect(figures["limit_pauses"] == 0)
    // No reads: a percentile of no samples is missing, not 0.
    #expect(figures["c.delivered_to_read_p50"] == .some(nil))
    // HDR histograms keep 3 significant digits.
    #expect(abs(((figures["c.start_to_sent_max"] ?? nil) ?? 0) - 105) < 0.105)
    #expect(figures.names.count == figures.values.count)
  }

  @Test func overallFiguresAddUpTheCampaigns() {
    let scenario = Scenario(
      senders: [Sender(id: "a", throughputMPS: 10), Sender(id: "b", throughputMPS: 5)],
      campaigns: [
        Campaign(id: "x", sender: "a", audience: 30, contacts: ContactMix(invalid: 0.5)),
        Campaign(id: "y", sender: "b", audience: 10),
      ])
    let figures = Simulation(scenario: scenario).run().figureValues()
    #expect(figures["messages"] == 40)
    #expect(figures["invalid_contact"] == (figures["x.invalid_contact"]!)!)
    #expect(figures["delivered"] == (figures["x.delivered"]!)! + 10)
    // y: 10 at 5/s finishes at 1.8 s; x: 30 at 10/s at 2.9 s; overall: the later.
    #expect(figures["y.sending_finished_at"] == 1.8)
    #expect(figures["sending_finished_at"] == 2.9)
    #expect(figures["completed"] == 2)
  }
}
