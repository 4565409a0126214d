import CampaignModel
import SimKernel

/// Limit-aware scaling from 250, tiers 250 → 500 → unlimited, half used over 7 d, 1 h delay,
/// one sender at 1 msg/s, no latency: every time is a whole second, derivable by hand.
func scalingScenario(audience: Int = 1_000) -> Scenario {
  var scenario = Scenario(
    name: "scaling", messagingLimit: 250, pacing: .limitAware, senders: [Sender(id: "s", throughputMPS: 1)],
    campaigns: [Campaign(id: "c", sender: "s", audience: audience)], bucket: Time.hour)
  scenario.scaling = ScalingPolicy(tiers: [250, 500, nil], delay: Time.hour)
  return scenario
}

/// Every contact capped for a fixed hour from the start; retries 30 min after a cap error.
func cappedScenario(audience: Int = 10, retryOnCap: Bool = true) -> Scenario {
  var campaign = Campaign(id: "c", sender: "s", audience: audience, contacts: ContactMix(marketingCapped: 1))
  campaign.capDuration = .fixed(Time.hour)
  return Scenario(
    name: "capped", senders: [Sender(id: "s", throughputMPS: 1)], campaigns: [campaign],
    retry: RetryPolicy(
      capBackoff: [30 * Time.minute], retryOn: retryOnCap ? .all : [.transient, .limit]),
    bucket: Time.hour)
}

/// Every delivered contact reports at once: quality falls to low at the second acceptance.
func reportingScenario(audience: Int = 10) -> Scenario {
  Scenario(
    name: "reports", senders: [Sender(id: "s", throughputMPS: 1)],
    campaigns: [Campaign(id: "c", sender: "s", audience: audience, engagement: Engagement(report: 1))],
    bucket: Time.minute)
}

/// Unlimited from the start, one sender at 1 msg/s upgraded to 2 msg/s after a 10 s pause.
func upgradeScenario(audience: Int = 20) -> Scenario {
  Scenario(
    name: "upgrade",
    senders: [Sender(id: "s", throughputMPS: 1, upgrade: ThroughputUpgrade(throughputMPS: 2, pause: 10 * Time.second))],
    campaigns: [Campaign(id: "c", sender: "s", audience: audience)], bucket: Time.minute)
}
