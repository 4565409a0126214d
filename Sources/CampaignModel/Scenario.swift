import SimKernel

/// Everything a run needs, with every default already filled in
/// (MODEL.md §7). Built by a parser or by hand in tests; the model never reads files.
public struct Scenario: Sendable, Equatable {
  public var name: String
  public var seed: UInt64
  public var replications: Int
  /// `nil`: the latest `start + window` of all campaigns plus one day.
  public var horizon: SimTime?
  /// The starting messaging limit; `nil`: unlimited.
  public var messagingLimit: Int?
  /// The rolling window of the messaging limit (MODEL.md §2).
  public var limitWindow: SimTime = Time.day
  /// Automatic scaling of the limit (MODEL.md §9.1); `nil`: the limit never changes.
  public var scaling: ScalingPolicy? = nil
  /// `business.quality` (MODEL.md §9.2); `nil`: the defaults, used only if quality matters.
  public var quality: QualityPolicy? = nil
  public var pacing: Pacing
  public var senders: [Sender]
  public var campaigns: [Campaign]
  public var faults: Faults
  public var retry: RetryPolicy
  /// Width of the throughput time-series buckets; `nil` picks one from the run's length.
  public var bucket: SimTime?
  /// `report.memory_budget` in bytes: a run estimated to need more is refused
  /// before it starts; `nil`: 80 % of physical memory.
  public var memoryBudget: Int? = nil

  public init(
    name: String = "scenario", seed: UInt64 = 42, replications: Int = 1, horizon: SimTime? = nil,
    messagingLimit: Int? = nil, pacing: Pacing = .naive, senders: [Sender], campaigns: [Campaign],
    faults: Faults = Faults(), retry: RetryPolicy = RetryPolicy(), bucket: SimTime? = nil
  ) {
    self.name = name
    self.seed = seed
    self.replications = replications
    self.horizon = horizon
    self.messagingLimit = messagingLimit
    self.pacing = pacing
    self.senders = senders
    self.campaigns = campaigns
    self.faults = faults
    self.retry = retry
    self.bucket = bucket
  }

  /// The horizon in force: explicit, or the last window end plus one day.
  public var effectiveHorizon: SimTime {
    if let horizon { return horizon }
    let lastWindowEnd = campaigns.map { $0.start + $0.window }.max() ?? 0
    return lastWindowEnd + Time.day
  }

  public var totalAudience: Int { campaigns.reduce(0) { $0 + $1.audience } }

  /// Whether the quality rating is tracked: some rule or report depends on it (MODEL.md §9.2).
  public var tracksQuality: Bool {
    scaling != nil || quality != nil || senders.contains { $0.upgrade != nil }
      || campaigns.contains { $0.engagement.report > 0 }
  }

  /// Whether the scenario uses any key of MODEL.md §9. Without one it must run and report
  /// exactly as before §9 existed (the same bytes).
  public var usesPlatformDynamics: Bool {
    tracksQuality || limitWindow != Time.day || retry.usesV2
      || campaigns.contains { $0.contacts.marketingCapped > 0 || $0.capDuration != Campaign.defaultCapDuration }
  }
}

public enum Pacing: String, Sendable, CaseIterable {
  case naive
  case limitAware = "limit_aware"
}

public struct Sender: Sendable, Equatable {
  public var id: String
  public var throughputMPS: Double
  /// The throughput upgrade of MODEL.md §9.3; `nil`: none.
  public var upgrade: ThroughputUpgrade?

  public init(id: String, throughputMPS: Double = 80, upgrade: ThroughputUpgrade? = nil) {
    self.id = id
    self.throughputMPS = throughputMPS
    self.upgrade = upgrade
  }

  /// `floor(1_000_000 / throughput_mps)` µs between two dispatches (MODEL.md §2).
  public var interval: SimTime { intervalFor(mps: throughputMPS) }
}

public struct Campaign: Sendable, Equatable {
  public var id: String
  public var sender: String
  public var start: SimTime
  public var window: SimTime
  public var audience: Int
  public var contacts: ContactMix
  public var blockedSignal: BlockedSignal
  public var engagement: Engagement
  public var latency: Latencies
  /// How long a capped contact stays capped, from the campaign's start (MODEL.md §9.4).
  public var capDuration: Distribution

  /// The default `cap_duration`: this project's assumption (Meta publishes no figure).
  public static let defaultCapDuration = Distribution.exponential(mean: 36 * Time.hour)

  public init(
    id: String, sender: String, start: SimTime = 0, window: SimTime = 3 * Time.day, audience: Int,
    contacts: ContactMix = ContactMix(), blockedSignal: BlockedSignal = .error,
    engagement: Engagement = Engagement(), latency: Latencies = Latencies(),
    capDuration: Distribution = Campaign.defaultCapDuration
  ) {
    self.id = id
    self.sender = sender
    self.start = start
    self.window = window
    self.audience = audience
    self.contacts = contacts
    self.blockedSignal = blockedSignal
    self.engagement = engagement
    self.latency = latency
    self.capDuration = capDuration
  }

  public var windowEnd: SimTime { start + window }

  /// The platform's view of this campaign's contacts.
  public var contactModel: ContactModel {
    ContactModel(
      start: start, contacts: contacts, blockedSignal: blockedSignal, engagement: engagement, latency: latency,
      capDuration: capDuration)
  }
}
