import CampaignModel
import SimKernel
import Testing

/// A one-sender, one-campaign scenario with no randomness unless asked for.
func single(
  audience: Int, mps: Double = 10, window: SimTime = 3 * Time.day, limit: Int? = nil, pacing: Pacing = .naive,
  contacts: ContactMix = ContactMix(), blockedSignal: BlockedSignal = .error, engagement: Engagement = Engagement(),
  latency: Latencies = Latencies(), faults: Faults = Faults(), retry: RetryPolicy = RetryPolicy(),
  horizon: SimTime? = nil, seed: UInt64 = 7
) -> Scenario {
  Scenario(
    name: "t", seed: seed, horizon: horizon, messagingLimit: limit, pacing: pacing,
    senders: [Sender(id: "s", throughputMPS: mps)],
    campaigns: [
      Campaign(
        id: "c", sender: "s", window: window, audience: audience, contacts: contacts, blockedSignal: blockedSignal,
        engagement: engagement, latency: latency)
    ],
    faults: faults, retry: retry)
}

/// Runs `scenario` recording every transition, and checks the invariants that
/// must hold on every run; returns the result and the trace.
func runChecked(_ scenario: Scenario) -> (RunResult, [Simulation.TransitionRecord]) {
  var trace: [Simulation.TransitionRecord] = []
  let result = Simulation(scenario: scenario, observer: { trace.append($0) }).run()
  let problems = result.invariantViolations() + traceViolations(result, trace: trace)
  #expect(problems.isEmpty, "\(problems.prefix(5))")
  return (result, trace)
}

/// Replays a trace: every message follows legal edges from `queued`, its
/// times never go back, and the replayed end states equal the reported ones.
func traceViolations(_ result: RunResult, trace: [Simulation.TransitionRecord]) -> [String] {
  var problems: [String] = []
  var state: [Int: [Int: (MessageState, SimTime)]] = [:]
  for record in trace {
    let (current, last) = state[record.campaign]?[record.message] ?? (.queued, 0)
    if current != record.transition.from {
      problems.append("message \(record.campaign)/\(record.message): \(record.transition) while \(current)")
    }
    if record.time < last { problems.append("message \(record.campaign)/\(record.message): time went back") }
    state[record.campaign, default: [:]][record.message] = (record.transition.to, record.time)
  }
  for (c, campaign) in result.campaigns.enumerated() {
    var counts = Array(repeating: 0, count: MessageState.allCases.count)
    let messages = state[c] ?? [:]
    counts[MessageState.queued.rawValue] = campaign.audience - messages.count
    for (_, (s, _)) in messages { counts[s.rawValue] += 1 }
    if counts != campaign.finalStates { problems.append("\(campaign.id): replay \(counts) != \(campaign.finalStates)") }
  }
  return problems
}
