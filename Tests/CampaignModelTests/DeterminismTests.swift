import CampaignModel
import SimKernel
import Testing

@Suite struct DeterminismTests {
  static func busy(extra: Bool) -> Scenario {
    var campaigns = [
      Campaign(
        id: "promo", sender: "main", audience: 5_000,
        contacts: ContactMix(invalid: 0.03, blocked: 0.02, offline: 0.05, readReceiptsOff: 0.2),
        engagement: Engagement(read: 0.7, respond: 0.1),
        latency: Latencies(
          api: .exponential(mean: 200 * Time.millisecond), deliver: .exponential(mean: 5 * Time.second),
          read: .lognormal(median: 10 * Time.minute, p90: 6 * Time.hour),
          respond: .uniform(Time.minute, 30 * Time.minute)))
    ]
    if extra { campaigns.insert(Campaign(id: "other", sender: "side", audience: 3_000), at: 0) }
    return Scenario(
      seed: 11, senders: [Sender(id: "main", throughputMPS: 80), Sender(id: "side", throughputMPS: 50)],
      campaigns: campaigns, faults: Faults(transientErrorRate: 0.05))
  }

  static func fingerprint(_ c: CampaignResult) -> [Int] {
    c.finalStates + c.failureReasons + c.attempts + c.errors + [Int(c.sendingFinishedAt ?? -1)]
      + LatencySpan.allCases.map { Int(c.latency($0).valueAtPercentile(90)) }
  }

  @Test func sameScenarioAndSeedGiveIdenticalResults() {
    let a = Simulation(scenario: Self.busy(extra: false)).run()
    let b = Simulation(scenario: Self.busy(extra: false)).run()
    #expect(Self.fingerprint(a.campaigns[0]) == Self.fingerprint(b.campaigns[0]))
  }

  @Test func aDifferentSeedGivesDifferentDraws() {
    let a = Simulation(scenario: Self.busy(extra: false)).run()
    let b = Simulation(scenario: Self.busy(extra: false), seed: 12).run()
    #expect(Self.fingerprint(a.campaigns[0]) != Self.fingerprint(b.campaigns[0]))
  }

  @Test func addingAnotherCampaignLeavesTheFirstUnchanged() {
    // Streams are keyed by campaign id, not position, and the new campaign
    // has its own sender: not one of promo's numbers may move.
    let alone = Simulation(scenario: Self.busy(extra: false)).run()
    let (withOther, _) = runChecked(Self.busy(extra: true))
    #expect(withOther.campaigns[1].id == "promo")
    #expect(Self.fingerprint(alone.campaigns[0]) == Self.fingerprint(withOther.campaigns[1]))
  }

  @Test func replicationsDrawIndependently() {
    let a = Simulation(scenario: Self.busy(extra: false), replication: 0).run()
    let b = Simulation(scenario: Self.busy(extra: false), replication: 1).run()
    #expect(Self.fingerprint(a.campaigns[0]) != Self.fingerprint(b.campaigns[0]))
  }

  @Test func progressReportsMonotoneSettledCountsWithoutChangingTheResult() {
    var snapshots: [Simulation.Progress] = []
    let watched = Simulation(scenario: Self.busy(extra: false)).run(progressInterval: 1_000) { snapshots.append($0) }
    let plain = Simulation(scenario: Self.busy(extra: false)).run()
    #expect(Self.fingerprint(watched.campaigns[0]) == Self.fingerprint(plain.campaigns[0]))
    // One report per 1 024 events (the interval rounds up to a power of two).
    #expect(snapshots.count == watched.events / 1_024)
    #expect(zip(snapshots, snapshots.dropFirst()).allSatisfy { $0.settled <= $1.settled && $0.now <= $1.now })
    #expect(snapshots.allSatisfy { $0.messages == 5_000 && $0.settled <= 5_000 })
  }
}
