import CampaignModel
import RunPlan
import SimKernel
import Testing

@testable import Reporting

/// Issue 11, "what misled": each expectation here failed on the old summaries.
@Suite struct HonestSummaryTests {
  /// One sender at 1 msg/s, 100 contacts, no faults, zero latencies: dispatches at 0 s, 1 s, …
  static func drip(window: SimTime, horizon: SimTime? = nil) -> RunResult {
    Simulation(
      scenario: Scenario(
        name: "drip", horizon: horizon, senders: [Sender(id: "s", throughputMPS: 1)],
        campaigns: [Campaign(id: "c", sender: "s", window: window, audience: 100)])
    ).run()
  }

  static func figure(_ result: RunResult, _ name: String) -> Double?? { result.figureValues()[name] }

  @Test func aWindowCutIsNotADrain() {
    // Window 10 s: dispatches at 0 … 9 s, nothing at 10 s (start + window), 90 messages expire at 10 s.
    let result = Self.drip(window: 10 * Time.second)
    let c = result.campaigns[0]
    #expect(c.count(FailureReason.expired) == 90)
    #expect(c.sendingFinishedAt == 10 * Time.second, "sending finished: the window expired the rest")
    #expect(c.drainedAt == nil)
    #expect(Self.figure(result, "c.sending_finished_at") == .some(10))
    #expect(Self.figure(result, "c.drained_at") == .some(nil), "missing: the window cut it")
    #expect(Self.figure(result, "drained_at") == .some(nil))
    let summary = TextReport.summary(result)
    #expect(summary.contains("10s, window cut"))
    #expect(
      summary.contains(
        "warning: c: the sending window ended before the audience drained: 90 messages (90.00%) expired; "
          + "sending finished when the window did, drained_at is missing"))
    let expiredRow = summary.split(separator: "\n").first { $0.hasPrefix("  window expired") }
    #expect(expiredRow?.hasSuffix(" 90 (90.00%)") == true, "the reason, under `failed`")
    let md = TextReport.markdown(result, engine: nil)
    #expect(md.contains("sending finished at 10s when its window ended"))
    #expect(md.contains("> warning: c: the sending window ended before the audience drained"))
    let html = HTMLReport.render(result, engine: nil)
    #expect(html.contains("<p class=\"warning\">warning: c: the sending window ended"))
    #expect(html.contains("10s, window cut"))
  }

  @Test func aDrainedCampaignHasDrainedAtAndNoWarning() {
    // 100 dispatches at 0 … 99 s inside a 3-day window: the last leaves `sending` at 99 s.
    let result = Self.drip(window: 3 * Time.day)
    #expect(result.campaigns[0].drainedAt == 99 * Time.second)
    #expect(Self.figure(result, "c.drained_at") == .some(99))
    #expect(Self.figure(result, "drained_at") == .some(99))
    let summary = TextReport.summary(result)
    #expect(!summary.contains("warning"))
    #expect(!summary.contains("window cut"))
  }

  @Test func theHorizonCutIsSaid() {
    let result = Self.drip(window: 3 * Time.day, horizon: 5 * Time.second)
    #expect(result.campaigns[0].sendingFinishedAt == nil)
    #expect(Self.figure(result, "c.drained_at") == .some(nil))
    let summary = TextReport.summary(result)
    #expect(summary.contains("not by horizon"))
    #expect(summary.contains("warning: c: the horizon (5s) cut sending short with "))
    #expect(summary.contains("sending_finished_at and drained_at are missing"))
  }

  /// A 1-contact limit, naive pacing, limit refusals not retried: nearly every message ends
  /// `blocked_or_spam` for the limit.
  static let limited = Simulation(
    scenario: Scenario(
      name: "limited", messagingLimit: 1, senders: [Sender(id: "s", throughputMPS: 10)],
      campaigns: [Campaign(id: "c", sender: "s", window: Time.day, audience: 100)],
      retry: RetryPolicy(retryOn: [.transient]))
  ).run()

  @Test func completedAtAFewPercentDeliveredIsRedAndTheReasonIsNamed() {
    let c = Self.limited.campaigns[0]
    let reached = c.count(.delivered) + c.count(.read) + c.count(.responded)
    #expect(c.state == .completed)
    #expect(c.count(FailureReason.messagingLimit) == 99)
    #expect(reached * 2 < c.audience, "precondition: under half reached delivery")
    #expect(Outcome(c).grade == .poor)
    let coloured = TextReport.summary(Self.limited, colour: true)
    let lines = coloured.split(separator: "\n").map(String.init)
    let state = lines.first { TextReportTests.plain($0).hasPrefix("campaign state") }!
    #expect(state.contains("\u{1B}[31mcompleted"), "completed, but in red: the outcome is poor")
    let plain = TextReport.summary(Self.limited)
    // The limit refusals are named under the state they end in.
    let limitRow = plain.split(separator: "\n").first { $0.hasPrefix("  messaging limit") }
    #expect(limitRow != nil)
    #expect(limitRow?.contains(Format.count(c.count(FailureReason.messagingLimit))) == true)
    #expect(plain.contains("error 131049 messaging limit"))
    #expect(plain.contains("reached delivery"))
  }

  @Test func theOutcomeGradesAreDocumentedThresholds() {
    #expect(Outcome.grade(0.9) == .good)
    #expect(Outcome.grade(0.899) == .partial)
    #expect(Outcome.grade(0.5) == .partial)
    #expect(Outcome.grade(0.499) == .poor)
  }

  @Test func aPartNeverRoundsToAllOrNone() {
    #expect(Format.percent(39_999, of: 40_000) == ">99.99%")
    #expect(Format.percent(40_000, of: 40_000) == "100.00%")
    #expect(Format.percent(1, of: 1_000_000) == "<0.01%")
    #expect(Format.percent(0, of: 1_000_000) == "0.00%")
    #expect(Format.percent(1, of: 3) == "33.33%")
    #expect(Format.percentage(0.999_999_9) == ">99.999%")
    #expect(Format.percentage(1) == "100.000%")
    #expect(Format.percentage(1e-9) == "<0.001%")
  }

  @Test func theEngineRateOnlyWhenItMeansSomething() {
    let tiny = EngineStats(wallSeconds: 0.000_5, events: 10, messages: 2_000, peakRSSBytes: 0)
    #expect(!tiny.rateIsMeaningful)
    #expect(tiny.rateText == "run too short for a rate")
    let real = EngineStats(wallSeconds: 2, events: 10, messages: 2_000_000, peakRSSBytes: 0)
    #expect(real.rateText == "1,000,000 messages/s")
    #expect(TextReport.markdown(Self.limited, engine: tiny).contains("run too short for a rate"))
  }

  @Test func peakAndAverageDispatchRatesAreNamedAsSuch() {
    // Limit-aware, limit 100, 10 msg/s, 200 contacts: 100 dispatches in the first 10 s bucket,
    // a 24 h stand-still, then the rest. The average over the whole send is far below the peak.
    let result = Simulation(
      scenario: Scenario(
        name: "paced", messagingLimit: 100, pacing: .limitAware, senders: [Sender(id: "s", throughputMPS: 10)],
        campaigns: [Campaign(id: "c", sender: "s", audience: 200)], bucket: 10 * Time.second)
    ).run()
    let rows = TextReport.summary(result).split(separator: "\n").map(String.init)
    let peak = rows.first { $0.hasPrefix("dispatches/s, peak 10s") }
    let average = rows.first { $0.hasPrefix("dispatches/s, average") }
    #expect(peak?.hasSuffix(" 10.0") == true, "100 dispatches in one 10 s bucket")
    #expect(average?.hasSuffix(" 0.0") == true, "200 dispatches over a day and more")
    #expect(!rows.contains { $0.hasPrefix("sends/s") })
  }

  /// 10 000 campaigns printed a 10 000-column table and a warning each: the terminal shows the
  /// first few campaigns and counts the rest.
  @Test func manyCampaignsKeepTheSummaryReadable() {
    let count = TextReport.summaryColumns + 5
    let result = Simulation(
      scenario: Scenario(
        senders: [Sender(id: "s", throughputMPS: 1)],
        campaigns: (0..<count).map { Campaign(id: "k\($0)", sender: "s", window: 2 * Time.second, audience: 20) })
    ).run()
    let summary = TextReport.summary(result)
    let header = summary.split(separator: "\n")[0]
    #expect(header.contains("k\(TextReport.summaryColumns - 1)"))
    #expect(!header.contains("k\(TextReport.summaryColumns) "))
    #expect(summary.contains("… and 5 more campaigns: every campaign is in report.md and outcomes.csv"))
    let warnings = summary.split(separator: "\n").filter { $0.hasPrefix("warning: ") }
    #expect(warnings.count == TextReport.warningLimit + 1)
    #expect(warnings.last == "warning: … and 3 more campaigns cut short; outcomes.csv lists every campaign")
  }
}
