import CampaignModel
import SimKernel

/// One sender at `mps`, one campaign `c` of `audience` contacts; no randomness unless asked for.
func drain(
  audience: Int, mps: Double = 10, api: SimTime = 100 * Time.millisecond, limit: Int? = nil, pacing: Pacing = .naive,
  window: SimTime = 3 * Time.day, faults: Faults = Faults(), contacts: ContactMix = ContactMix(), replications: Int = 1
) -> Scenario {
  Scenario(
    name: "drain", seed: 7, replications: replications, messagingLimit: limit, pacing: pacing,
    senders: [Sender(id: "s", throughputMPS: mps)],
    campaigns: [
      Campaign(
        id: "c", sender: "s", window: window, audience: audience, contacts: contacts,
        latency: Latencies(api: .fixed(api)))
    ],
    faults: faults)
}

/// A scenario with real randomness, for replications.
func noisy(replications: Int = 1) -> Scenario {
  Scenario(
    name: "noisy", seed: 11, replications: replications, senders: [Sender(id: "s", throughputMPS: 50)],
    campaigns: [
      Campaign(
        id: "c", sender: "s", audience: 2_000, contacts: ContactMix(invalid: 0.03, offline: 0.05),
        engagement: Engagement(read: 0.5, respond: 0.2),
        latency: Latencies(
          api: .exponential(mean: 200 * Time.millisecond), deliver: .exponential(mean: 5 * Time.second),
          read: .exponential(mean: 10 * Time.minute), respond: .uniform(Time.minute, 10 * Time.minute)))
    ],
    faults: Faults(transientErrorRate: 0.05))
}
