import CampaignModel
import SimKernel
import Testing

// Message histories (`run --trace`, `explain`): exact on a scenario without randomness, and
// consistent with the run's own counts on random ones.
@Suite struct MessageTraceTests {
  let s = Time.second
  let ms = Time.millisecond

  /// Limit 2, 10 msg/s, an outage over the first 150 ms, no latency but fixed delivery, read
  /// and response delays, everyone reads and responds: every time follows from MODEL.md §4.
  func limitAndOutage() -> Scenario {
    single(
      audience: 4, mps: 10, limit: 2, engagement: Engagement(read: 1, respond: 1),
      latency: Latencies(deliver: .fixed(Time.second), read: .fixed(Time.minute), respond: .fixed(2 * Time.minute)),
      faults: Faults(outages: [Outage(sender: "s", start: 0, duration: 150 * Time.millisecond)]))
  }

  @Test func handDerivedHistoryOfARetriedMessage() throws {
    let simulation = Simulation(scenario: limitAndOutage(), trace: .all)
    let result = simulation.run()
    let traces = simulation.traces
    #expect(traces.map(\.message) == [0, 1, 2, 3])
    let m0 = try #require(traces.first)
    // Message 0 goes out at 0 inside the outage (rule 1), retries 30 s later into a limit
    // full with messages 2 and 3 (rule 5, accepted at 200 and 300 ms), twice 12 h later, and
    // gets through once those two acceptances left the 24 h window.
    let h12 = 12 * Time.hour
    #expect(m0.attempts.map(\.dispatchedAt) == [0, 30 * s, h12 + 30 * s, 2 * h12 + 30 * s])
    #expect(m0.attempts.map(\.readyAt) == [0, 30 * s, h12 + 30 * s, 2 * h12 + 30 * s])
    #expect(m0.attempts.map(\.rule) == [.outage, .messagingLimit, .messagingLimit, .accepted])
    #expect(m0.attempts.map(\.errorCode) == [.outage, .messagingLimit, .messagingLimit, nil])
    #expect(m0.attempts.map(\.wait) == [.none, .none, .none, .none])
    #expect(m0.attempts.map(\.senderInterval) == [100 * ms, 100 * ms, 100 * ms, 100 * ms])
    #expect(
      m0.attempts.map(\.after) == [
        .retry(backoff: 30 * s, jitterCut: 0, readyAt: 30 * s),
        .retry(backoff: h12, jitterCut: 0, readyAt: h12 + 30 * s),
        .retry(backoff: h12, jitterCut: 0, readyAt: 2 * h12 + 30 * s), nil,
      ])
    #expect(m0.attempts[1].limit == 2)
    let sentAt = 2 * h12 + 30 * s
    #expect(
      m0.states == [
        StateChange(state: .sending, at: 0), StateChange(state: .retrying, at: 0),
        StateChange(state: .sending, at: 30 * s), StateChange(state: .retrying, at: 30 * s),
        StateChange(state: .sending, at: h12 + 30 * s), StateChange(state: .retrying, at: h12 + 30 * s),
        StateChange(state: .sending, at: sentAt), StateChange(state: .sent, at: sentAt),
        StateChange(state: .delivered, at: sentAt + s), StateChange(state: .read, at: sentAt + s + Time.minute),
        StateChange(state: .responded, at: sentAt + s + 3 * Time.minute),
      ])
    #expect(m0.finalState == .responded && m0.failureReason == nil && m0.contact == .reachable)

    // Message 1 waited one throughput slot (100 ms) behind message 0, still inside the outage.
    let m1 = traces[1]
    #expect(
      m1.attempts.map(\.dispatchedAt) == [100 * ms, 30 * s + 100 * ms, h12 + 30 * s + 100 * ms, sentAt + 100 * ms])
    #expect(m1.attempts[0].wait == .throughput && m1.attempts[0].readyAt == 0)
    #expect(m1.attempts[0].rule == .outage)
    // Messages 2 and 3 pass at their first attempt, after the outage.
    #expect(traces[2].attempts.map(\.dispatchedAt) == [200 * ms])
    #expect(traces[3].attempts.map(\.rule) == [.accepted])
    #expect(result.campaigns[0].attempts == [0, 2, 0, 0, 2])
  }

  @Test func expiredRetryAndExhaustedRetriesAreTraced() throws {
    // Every attempt is a transient error (rate 1): 30 s, 2 m, then no retry left. A window of
    // 1 minute cuts message 0 after its second attempt: its 2 m retry would be ready too late.
    let all = Faults(transientErrorRate: 1)
    let simulation = Simulation(
      scenario: single(
        audience: 2, mps: 10, window: Time.minute, faults: all,
        retry: RetryPolicy(maxRetries: 1, transientBackoff: [30 * s])),
      trace: .all)
    _ = simulation.run()
    let m0 = try #require(simulation.traces.first)
    #expect(m0.attempts.map(\.rule) == [.transient, .transient])
    #expect(m0.attempts.allSatisfy { ($0.transientDraw ?? 1) < 1 })
    #expect(m0.attempts[1].after == .gaveUp(.retriesExhausted))
    #expect(m0.finalState == .failed && m0.failureReason == .retriesExhausted)

    let short = Simulation(
      scenario: single(
        audience: 1, mps: 10, window: 40 * s, faults: all, retry: RetryPolicy(maxRetries: 3, transientBackoff: [30 * s])
      ),
      trace: .all)
    _ = short.run()
    let only = try #require(short.traces.first)
    // Ready at 30 s (< 40 s): dispatched; its next retry would be ready at 60 s ≥ 40 s.
    #expect(only.attempts.map(\.dispatchedAt) == [0, 30 * s])
    #expect(only.attempts[1].after == .expired(backoff: 30 * s, jitterCut: 0, at: 40 * s))
    #expect(only.states.last == StateChange(state: .failed, at: 40 * s))
    #expect(only.failureReason == .expired)
  }

  @Test func aThroughputUpgradesPauseRefusesAndItsIntervalFollows() {
    // The first acceptance (message 0 at 0) starts the upgrade: [0, 1 s) is an outage of the
    // sender (MODEL.md §9.3), so messages 1…9 (every 100 ms) are refused; from 1 s the sender
    // dispatches every 10 ms.
    let scenario = Scenario(
      name: "t", seed: 1,
      senders: [Sender(id: "s", throughputMPS: 10, upgrade: ThroughputUpgrade(throughputMPS: 100, pause: s))],
      campaigns: [Campaign(id: "c", sender: "s", audience: 12)])
    let simulation = Simulation(
      scenario: scenario,
      trace: .messages([TracedMessage(campaign: 0, message: 9), TracedMessage(campaign: 0, message: 11)]))
    _ = simulation.run()
    let traces = simulation.traces
    #expect(traces.map(\.message) == [9, 11])
    #expect(traces[0].attempts.first?.rule == .outage && traces[0].attempts.first?.dispatchedAt == 900 * ms)
    #expect(traces[0].attempts.first?.senderInterval == 100 * ms)
    #expect(traces[1].attempts.map(\.dispatchedAt) == [s + 10 * ms])
    #expect(traces[1].attempts.map(\.senderInterval) == [10 * ms])
    #expect(traces[1].attempts.map(\.rule) == [.accepted])
  }

  @Test func tracingChangesNothingInTheResult() {
    let scenario = randomScenario()
    let plain = Simulation(scenario: scenario).run()
    let traced = Simulation(scenario: scenario, trace: .sample(0.3))
    let result = traced.run()
    #expect(result.archive == plain.archive)
    #expect(result.events == plain.events && result.endedAt == plain.endedAt)
    #expect(!traced.traces.isEmpty)
  }

  @Test func tracingEveryMessageReproducesTheCounts() {
    let scenario = randomScenario()
    let simulation = Simulation(scenario: scenario, trace: .all)
    let result = simulation.run()
    for (c, campaign) in result.campaigns.enumerated() {
      let traces = simulation.traces.filter { $0.campaignIndex == c }
      #expect(traces.count == campaign.audience)
      var states = Array(repeating: 0, count: MessageState.allCases.count)
      var attempts = Array(repeating: 0, count: campaign.attempts.count)
      var reasons = Array(repeating: 0, count: FailureReason.count)
      var errors = Array(repeating: 0, count: ErrorCode.count)
      for trace in traces {
        states[trace.finalState.rawValue] += 1
        attempts[trace.attempts.count] += 1
        if let reason = trace.failureReason { reasons[reason.rawValue] += 1 }
        for attempt in trace.attempts { if let code = attempt.errorCode { errors[code.reportIndex] += 1 } }
        // Each attempt starts where the last one's retry said it would be ready.
        for (earlier, later) in zip(trace.attempts, trace.attempts.dropFirst()) {
          guard case .retry(_, _, let readyAt) = earlier.after else {
            Issue.record("\(trace.message): an attempt after \(String(describing: earlier.after))")
            continue
          }
          #expect(later.readyAt == readyAt && later.dispatchedAt >= readyAt)
        }
        // Jitter 0.5 cuts at most half the backoff, and the cut is what the engine waited less.
        for attempt in trace.attempts {
          if case .retry(let backoff, let cut, let readyAt) = attempt.after {
            #expect(cut >= 0 && 2 * cut <= backoff && readyAt == attempt.responseAt + backoff - cut)
          }
        }
      }
      #expect(states == campaign.finalStates)
      #expect(attempts == campaign.attempts)
      #expect(reasons == campaign.failureReasons)
      #expect(errors == campaign.errors)
      #expect(traces.compactMap(\.reportedAt).count == campaign.reports)
    }
  }

  @Test func samplingIsAFunctionOfTheMessageNotTheSeed() {
    let scenario = randomScenario()
    let a = Simulation(scenario: scenario, seed: 1, trace: .sample(0.2))
    let b = Simulation(scenario: scenario, seed: 2, trace: .sample(0.2))
    _ = a.run()
    _ = b.run()
    #expect(a.traces.map(\.message) == b.traces.map(\.message))
    // Around a fifth of 2 000 messages.
    #expect((300...500).contains(a.traces.count))
  }

  /// Two campaigns on one sender with every kind of refusal and after-acceptance branch.
  func randomScenario() -> Scenario {
    let mix = ContactMix(invalid: 0.05, blocked: 0.05, offline: 0.05, readReceiptsOff: 0.3, marketingCapped: 0.1)
    let latency = Latencies(
      api: .exponential(mean: 200 * ms), deliver: .exponential(mean: 5 * s), read: .exponential(mean: Time.minute),
      respond: .exponential(mean: Time.minute), report: .exponential(mean: Time.minute))
    return Scenario(
      name: "t", seed: 5, messagingLimit: 700, pacing: .naive,
      senders: [Sender(id: "s", throughputMPS: 20)],
      campaigns: [
        Campaign(
          id: "a", sender: "s", window: 6 * Time.hour, audience: 1200, contacts: mix,
          engagement: Engagement(read: 0.6, respond: 0.3, report: 0.05), latency: latency),
        Campaign(
          id: "b", sender: "s", start: 10 * s, window: Time.hour, audience: 800, contacts: mix, latency: latency),
      ],
      faults: Faults(
        transientErrorRate: 0.05, outages: [Outage(sender: "s", start: 20 * s, duration: 10 * s)],
        throttles: [Throttle(sender: "s", start: Time.minute, duration: Time.minute, mps: 5)]),
      retry: RetryPolicy(maxRetries: 3, limitBackoff: [Time.hour], jitter: 0.5))
  }
}
