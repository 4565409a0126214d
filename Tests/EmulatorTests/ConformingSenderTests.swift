import CampaignModel
import Foundation
import ScenarioFormat
import SimKernel
import Testing

@testable import Emulator

/// MODEL.md §10 (a): a sender that dispatches exactly as §4 says, against the emulator on a
/// manual clock, meets the answers §10 prescribes and ends where `campaign-sim run` ends.
@Suite(.serialized) struct ConformingSenderTests {
  static let yaml = """
    name: emu-exact
    seed: 7
    business: {messaging_limit: 6}
    senders: [{id: main, phone_number_id: "1065", throughput_mps: 10}]
    campaigns:
      - {id: inv, template: t_inv, sender: main, audience: 2, contacts: {invalid: 1}}
      - {id: blk, template: t_blk, sender: main, audience: 2, contacts: {blocked: 1}, blocked_signal: error}
      - id: ok
        template: t_ok
        sender: main
        audience: 12
        engagement: {read: 1}
        latency: {deliver: 1s, read: 2s}
    faults:
      outages: [{sender: main, start: 350ms, duration: 200ms}]
      throttles: [{sender: main, start: 1s, duration: 500ms, mps: 4}]
    retry: {max_retries: 2, transient_backoff: [1s], limit_backoff: 3s}
    """

  /// One request the sender made, and what came back.
  struct Exchange: Equatable {
    var at: SimTime
    var campaign: Int
    var index: Int
    var http: Int
    var code: Int?
  }

  /// The 24 h limit window: the six acceptances fill the limit for the rest of the test, so
  /// every retry of the other six meets 131049 until the sender gives up.
  @Test func everyAnswerIsTheOneSection10Prescribes() async throws {
    let ms = Time.millisecond
    let limited: [Exchange] = [
      .init(at: 4500 * ms, campaign: 2, index: 11, http: 200, code: 131049),  // limit_backoff 3 s
      .init(at: 4600 * ms, campaign: 2, index: 0, http: 200, code: 131049),
      .init(at: 4700 * ms, campaign: 2, index: 1, http: 200, code: 131049),
      .init(at: 5100 * ms, campaign: 2, index: 7, http: 200, code: 131049),
      .init(at: 5200 * ms, campaign: 2, index: 8, http: 200, code: 131049),
      .init(at: 5400 * ms, campaign: 2, index: 10, http: 200, code: 131049),
      .init(at: 7500 * ms, campaign: 2, index: 11, http: 200, code: 131049),
    ]
    let outcome = try await conformingRun(limitWindow: Time.day, tail: limited, accepted: 6, limitErrors: 13)
    let ok = outcome.result.campaigns[2]
    #expect(ok.count(.read) == 6)
    #expect(ok.count(.blockedOrSpam) == 6)
    #expect(ok.count(FailureReason.messagingLimit) == 6)
    #expect(outcome.requests == 28)
  }

  /// A 2 s limit window (MODEL.md §2, for emulator tests): by the retries 3 s later the six
  /// acceptances have left the window, and every retried message gets through.
  @Test func aShortLimitWindowLetsRetriesThrough() async throws {
    let ms = Time.millisecond
    let released: [Exchange] = [
      .init(at: 4500 * ms, campaign: 2, index: 11, http: 200, code: nil),
      .init(at: 4600 * ms, campaign: 2, index: 0, http: 200, code: nil),
      .init(at: 4700 * ms, campaign: 2, index: 1, http: 200, code: nil),
      .init(at: 5100 * ms, campaign: 2, index: 7, http: 200, code: nil),
      .init(at: 5200 * ms, campaign: 2, index: 8, http: 200, code: nil),
      .init(at: 5400 * ms, campaign: 2, index: 10, http: 200, code: nil),  // 5 in (3.4 s, 5.4 s]: under 6
    ]
    let outcome = try await conformingRun(limitWindow: 2 * Time.second, tail: released, accepted: 12, limitErrors: 6)
    let ok = outcome.result.campaigns[2]
    #expect(ok.count(.read) == 12)
    #expect(ok.count(.blockedOrSpam) == 0)
    #expect(outcome.requests == 27)
  }

  /// Runs the §4 dispatcher against the emulator; checks every answer against the hand-derived
  /// timeline (the common head, then `tail`), every webhook, and the final states against `run`.
  func conformingRun(limitWindow: SimTime, tail: [Exchange], accepted: Int, limitErrors: Int) async throws
    -> EmulatorOutcome
  {
    let sink = WebhookSink(secret: testSecret, verifyToken: nil, keepStatuses: true)
    let harness = try await Harness.start(Self.yaml, sink: sink) { _ in
    } adjustScenario: {
      $0.limitWindow = limitWindow
    }
    let clock = try #require(harness.clock)
    let scenario = harness.emulator.scenario
    let templates = ["t_inv", "t_blk", "t_ok"]

    // The dispatcher of MODEL.md §4: ready queue by (ready time, campaign, index), one attempt
    // per interval, retries after the backoff of the error's kind, up to max_retries.
    struct Pending {
      var ready: SimTime
      var campaign: Int
      var index: Int
      var attempts: Int
    }
    var pending: [Pending] = []
    for (c, campaign) in scenario.campaigns.enumerated() {
      for m in 0..<campaign.audience { pending.append(Pending(ready: 0, campaign: c, index: m, attempts: 0)) }
    }
    let interval = scenario.senders[0].interval
    var exchanges: [Exchange] = []
    var t: SimTime = 0
    while !pending.isEmpty {
      let ready = pending.indices.filter { pending[$0].ready <= t }
      guard
        let pick = ready.min(by: {
          (pending[$0].ready, pending[$0].campaign, pending[$0].index)
            < (pending[$1].ready, pending[$1].campaign, pending[$1].index)
        })
      else {
        t = pending.map(\.ready).min()!
        continue
      }
      var item = pending.remove(at: pick)
      clock.advance(to: t)
      let reply = try await harness.send(
        to: "1555\(item.campaign)\(100 + item.index)", template: templates[item.campaign])
      item.attempts += 1
      var code = reply.errorCode
      if reply.status == 200 {
        let id = try #require(reply.messageID)
        // The platform's verdict on rules 3–5b arrives as the first status of the message.
        try await harness.waitForSink("first status of \(id)") { _ in sink.received.contains { $0.id == id } }
        code = sink.received.first { $0.id == id && $0.status == "failed" }?.errorCode
      }
      exchanges.append(Exchange(at: t, campaign: item.campaign, index: item.index, http: reply.status, code: code))
      let retriesUsed = item.attempts - 1
      switch code {
      case .some(130429), .some(131000), .some(131016):
        if retriesUsed < scenario.retry.maxRetries {
          item.ready = t + scenario.retry.backoff(for: .transient, afterRetries: retriesUsed)
          pending.append(item)
        }
      case .some(131049):
        if retriesUsed < scenario.retry.maxRetries {
          item.ready = t + scenario.retry.backoff(for: .limit, afterRetries: retriesUsed)
          pending.append(item)
        }
      default: break
      }
      t += interval
    }

    // Derived by hand from MODEL.md §4 and §10: the comments say which rule answers.
    let ms = Time.millisecond
    let expected: [Exchange] =
      [
        .init(at: 0, campaign: 0, index: 0, http: 200, code: 131026),
        .init(at: 100 * ms, campaign: 0, index: 1, http: 200, code: 131026),
        .init(at: 200 * ms, campaign: 1, index: 0, http: 200, code: 131048),
        .init(at: 300 * ms, campaign: 1, index: 1, http: 200, code: 131048),
        .init(at: 400 * ms, campaign: 2, index: 0, http: 503, code: 131016),  // outage [350ms, 550ms)
        .init(at: 500 * ms, campaign: 2, index: 1, http: 503, code: 131016),
        .init(at: 600 * ms, campaign: 2, index: 2, http: 200, code: nil),
        .init(at: 700 * ms, campaign: 2, index: 3, http: 200, code: nil),
        .init(at: 800 * ms, campaign: 2, index: 4, http: 200, code: nil),
        .init(at: 900 * ms, campaign: 2, index: 5, http: 200, code: nil),
        .init(at: 1000 * ms, campaign: 2, index: 6, http: 200, code: nil),  // throttle: first in window passes
        .init(at: 1100 * ms, campaign: 2, index: 7, http: 429, code: 130429),  // < 250 ms after the last pass
        .init(at: 1200 * ms, campaign: 2, index: 8, http: 429, code: 130429),
        .init(at: 1300 * ms, campaign: 2, index: 9, http: 200, code: nil),  // 6th acceptance: limit reached
        .init(at: 1400 * ms, campaign: 2, index: 10, http: 429, code: 130429),
        .init(at: 1500 * ms, campaign: 2, index: 11, http: 200, code: 131049),  // limit, as a failed status
        .init(at: 1600 * ms, campaign: 2, index: 0, http: 200, code: 131049),  // retry of the outage victims
        .init(at: 1700 * ms, campaign: 2, index: 1, http: 200, code: 131049),
        .init(at: 2100 * ms, campaign: 2, index: 7, http: 200, code: 131049),  // throttled ones, 1 s later
        .init(at: 2200 * ms, campaign: 2, index: 8, http: 200, code: 131049),
        .init(at: 2400 * ms, campaign: 2, index: 10, http: 200, code: 131049),
      ] + tail
    #expect(exchanges == expected)

    // Every status webhook: sent, delivered 1 s later and read 2 s after that for the six
    // accepted; one failed status per refused-by-rules attempt.
    clock.advance(to: 20 * Time.second)
    let failed = 2 + 2 + limitErrors
    try await harness.waitForSink { $0.unique >= accepted * 3 + failed }
    let outcome = try await harness.finish()
    let statuses = sink.received
    #expect(statuses.count == accepted * 3 + failed)
    #expect(statuses.filter { $0.status == "sent" }.count == accepted)
    #expect(statuses.filter { $0.status == "delivered" }.count == accepted)
    #expect(statuses.filter { $0.status == "read" }.count == accepted)
    #expect(statuses.filter { $0.errorCode == 131026 }.count == 2)
    #expect(statuses.filter { $0.errorCode == 131048 }.count == 2)
    #expect(statuses.filter { $0.errorCode == 131049 }.count == limitErrors)
    #expect(sink.counts.badSignatures == 0)
    #expect(sink.counts.repeats == 0)
    for message in Set(statuses.map(\.id)) {
      // Posts run concurrently: statuses due at the same moment (here after the final jump of
      // the clock) may arrive in any order, so the check is on the set.
      let kinds = statuses.filter { $0.id == message }.map(\.status).sorted()
      #expect(kinds == ["failed"] || kinds == ["delivered", "read", "sent"], "\(message): \(kinds)")
    }

    // The same final states, errors and attempts as `campaign-sim run` on the same scenario.
    let simulated = Simulation(scenario: harness.emulator.scenario).run()
    let served = outcome.result
    for c in served.campaigns.indices {
      let id = served.campaigns[c].id
      #expect(served.campaigns[c].finalStates == simulated.campaigns[c].finalStates, "\(id)")
      #expect(served.campaigns[c].failureReasons == simulated.campaigns[c].failureReasons, "\(id)")
      #expect(served.campaigns[c].errors == simulated.campaigns[c].errors, "\(id)")
      #expect(served.campaigns[c].errorsByKind == simulated.campaigns[c].errorsByKind, "\(id)")
      #expect(served.campaigns[c].attempts == simulated.campaigns[c].attempts, "\(id)")
    }
    #expect(served.campaigns[0].count(.invalidContact) == 2)
    #expect(served.campaigns[1].count(.blockedOrSpam) == 2)
    #expect(outcome.webhooks.delivered == accepted * 3 + failed)
    #expect(served.invariantViolations().isEmpty, "\(served.invariantViolations())")
    return outcome
  }
}
