import CampaignModel
import SimKernel

// The keys of MODEL.md §9 in the effective scenario. Each is written only when the scenario uses
// it (or, with `complete`, when writing it cannot change what the scenario means), so the
// effective scenario of a v1 file, and with it report.json, keeps every byte it had before §9.

func businessDocument(_ scenario: Scenario, complete: Bool) -> Document {
  var pairs: [(String, Document)] = [("messaging_limit", limitDocument(scenario.messagingLimit))]
  if complete || scenario.limitWindow != Time.day {
    pairs.append(("limit_window", durationDocument(scenario.limitWindow)))
  }
  if let scaling = scenario.scaling {
    pairs.append(
      (
        "scaling",
        .object([
          ("tiers", .array(scaling.tiers.map(limitDocument))),
          ("used_fraction", fractionDocument(scaling.usedFraction)),
          ("lookback", durationDocument(scaling.lookback)),
          ("delay", durationDocument(scaling.delay)),
          ("min_quality", .string("\(scaling.minQuality)")),
        ])
      ))
  }
  if let quality = scenario.quality {
    pairs.append(
      (
        "quality",
        .object([
          ("window", durationDocument(quality.window)),
          ("medium_at", fractionDocument(quality.mediumAt)),
          ("low_at", fractionDocument(quality.lowAt)),
        ])
      ))
  }
  return .object(pairs)
}

private func limitDocument(_ limit: Int?) -> Document { limit.map(Document.int) ?? .string("unlimited") }

/// At most 15 significant digits (the parser's bound), so the shortest `Double` text is the
/// decimal that was read, and it reads back to the same fraction.
private func fractionDocument(_ fraction: ExactFraction) -> Document { .double(fraction.doubleValue) }

func upgradeSection(_ sender: Sender) -> [(String, Document)] {
  guard let upgrade = sender.upgrade else { return [] }
  return [
    (
      "upgrade",
      .object([("throughput_mps", .double(upgrade.throughputMPS)), ("pause", durationDocument(upgrade.pause))])
    )
  ]
}

/// A campaign's §9 keys, by the mapping they go in.
struct CampaignPlatformKeys {
  var contacts: [(String, Document)] = []
  var engagement: [(String, Document)] = []
  var latency: [(String, Document)] = []
  var campaign: [(String, Document)] = []
}

func campaignPlatformKeys(_ campaign: Campaign, complete: Bool) -> CampaignPlatformKeys {
  var keys = CampaignPlatformKeys()
  let capped = campaign.contacts.marketingCapped > 0
  if complete || capped { keys.contacts.append(("marketing_capped", .double(campaign.contacts.marketingCapped))) }
  let reports = campaign.engagement.report > 0
  if complete || reports { keys.engagement.append(("report", .double(campaign.engagement.report))) }
  // A latency is shown once it matters, with its default filled in like every other latency.
  if complete || reports || campaign.latency.report != .fixed(0) {
    keys.latency.append(("report", distributionDocument(campaign.latency.report)))
  }
  if complete || capped || campaign.capDuration != Campaign.defaultCapDuration {
    keys.campaign.append(("cap_duration", distributionDocument(campaign.capDuration)))
  }
  return keys
}

func retryDocument(_ retry: RetryPolicy, complete: Bool) -> Document {
  var pairs: [(String, Document)] = [
    ("max_retries", .int(retry.maxRetries)),
    ("transient_backoff", .array(retry.transientBackoff.map(durationDocument))),
    ("limit_backoff", backoffDocument(retry.limitBackoff)),
  ]
  if let cap = retry.capBackoff { pairs.append(("cap_backoff", backoffDocument(cap))) }
  if complete || retry.jitter != 0 { pairs.append(("jitter", .double(retry.jitter))) }
  if retry.retryOn != .all { pairs.append(("retry_on", .array(retry.retryOn.kinds.map { .string("\($0)") }))) }
  return .object(pairs)
}

/// One wait is written as a duration, as in v1; several as a list.
private func backoffDocument(_ backoff: [SimTime]) -> Document {
  backoff.count == 1 ? durationDocument(backoff[0]) : .array(backoff.map(durationDocument))
}
