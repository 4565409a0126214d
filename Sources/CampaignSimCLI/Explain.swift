import ArgumentParser
import CampaignModel
import Foundation
import Reporting
import ScenarioFormat

struct Explain: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show one message's whole history: every attempt, the rule that decided it, every state change.",
    discussion: """
      Runs the whole scenario (a message's attempt times depend on the sender's other messages, \
      the shared messaging limit and the outages) with tracing on for the one message, and prints \
      its timeline: when each attempt was ready and dispatched and why it waited, the rule of \
      MODEL.md §4 that decided it with the error code and the random draw where one decided, the \
      backoff and jitter to the next attempt or the expiry, and every state change with its time. \
      Tracing changes nothing in the run, so this is exactly what `campaign-sim run` did; with \
      --json it prints the record `run --trace` writes for the message, byte for byte.

      Messages are numbered from 0 in each campaign, in the order the sender takes first attempts.

      Examples:
        campaign-sim explain Scenarios/quickstart.yaml --campaign promo --message 120
        campaign-sim explain Scenarios/outage.yaml --campaign reminder --message 48000
        campaign-sim explain my.yaml --campaign promo --message 1 --json | jq .
        campaign-sim explain my.yaml --campaign promo --message 3 --replication 4
      """
  )

  @Argument(help: "The scenario file (.yaml, .yml or .json).")
  var scenario: String

  @Option(name: .long, help: "The campaign id.")
  var campaign: String

  @Option(name: .long, help: "The message's index in its campaign, from 0.")
  var message: Int

  @Option(name: .long, help: "Seed to use instead of the scenario's.")
  var seed: UInt64?

  @Option(name: .long, help: "The replication, from 0 (a run of R replications has 0...R-1).")
  var replication = 0

  @Flag(name: .long, help: "Print the NDJSON record `run --trace` writes for the message.")
  var json = false

  @Option(name: .long, help: "Progress on stderr for runs over a second: auto (only on a terminal), always, never.")
  var progress: ProgressMode = .auto

  func run() throws {
    var file = try loadScenario(self.scenario)
    if let seed { file.scenario.seed = seed }
    let scenario = file.scenario
    let key = try messageKey(campaign: campaign, message: message, scenario: scenario)
    guard replication >= 0 else { throw badOption("--replication must be 0 or more, found \(replication)") }
    let display = ProgressDisplay.make(progress)
    let simulation = Simulation(scenario: scenario, replication: replication, trace: .messages([key]))
    _ = simulation.run(progress: display.map { d in { d.update($0) } })
    display?.finish()
    guard let trace = simulation.traces.first else {
      throw badOption("the run kept no history for \(campaign):\(message)")
    }
    if json {
      print(TraceReport.line(trace))
    } else {
      print(TraceReport.text(trace, scenario: scenario, seed: scenario.seed, replication: replication), terminator: "")
    }
  }
}
