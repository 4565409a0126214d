import CampaignModel
import RunPlan
import SimKernel
import Testing

@testable import Analysis

@Suite struct ReplicationTests {
  @Test func replicationRIsSimulationReplicationR() {
    let run = ReplicatedRun.run(noisy(), replications: 3, threads: 2)
    #expect(run.replications == 3)
    for r in 0..<3 {
      let alone = Simulation(scenario: noisy(), replication: r).run().figureValues()
      #expect(run.figures.statistics.map { $0.values[r] } == alone.values)
    }
    #expect(run.first.replication == 0)
    #expect(run.messages == 6_000)
    // Replications differ: there is noise to measure.
    #expect((run.figures["c.sending_finished_at"]?.sd ?? 0) > 0)
  }

  @Test func resultsDoNotDependOnTheThreadCount() {
    let one = ReplicatedRun.run(noisy(), replications: 5, threads: 1)
    let two = ReplicatedRun.run(noisy(), replications: 5, threads: 2)
    let four = ReplicatedRun.run(noisy(), replications: 5, threads: 4)
    #expect(one.figures == two.figures)
    #expect(one.figures == four.figures)
    #expect(one.events == two.events)
  }

  @Test func replicationsDefaultToTheScenarios() {
    #expect(ReplicatedRun.run(noisy(replications: 2), threads: 2).replications == 2)
    #expect(ReplicatedRun.run(drain(audience: 5), threads: 2).replications == 1)
  }
}
