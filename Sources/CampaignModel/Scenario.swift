import SimKernel

/// Everything a run needs, with every default already filled in
/// (MODEL.md §7). Built by a parser or by hand in tests; the model never reads files.
public struct Scenario: Sendable, Equatable {
  public var name: String
  public var seed: UInt64
  public var replications: Int
  /// `nil`: the latest `start + window` of all campaigns plus one day.
  public var horizon: SimTime?
  /// `nil`: unlimited.
  public var messagingLimit: Int?
  public var pacing: Pacing
  public var senders: [Sender]
  public var campaigns: [Campaign]
  public var faults: Faults
  public var retry: RetryPolicy
  /// Width of the throughput time-series buckets; `nil` picks one from the run's length.
  public var bucket: SimTime?

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
}

public enum Pacing: String, Sendable, CaseIterable {
  case naive
  case limitAware = "limit_aware"
}

public enum BlockedSignal: String, Sendable, CaseIterable {
  case error
  case silent
}

public struct Sender: Sendable, Equatable {
  public var id: String
  public var throughputMPS: Double

  public init(id: String, throughputMPS: Double = 80) {
    self.id = id
    self.throughputMPS = throughputMPS
  }

  /// `floor(1_000_000 / throughput_mps)` µs between two dispatches (MODEL.md §2).
  public var interval: SimTime { SimTime((1_000_000 / throughputMPS).rounded(.down)) }
}

public struct ContactMix: Sendable, Equatable {
  public var invalid: Double
  public var blocked: Double
  public var offline: Double
  public var readReceiptsOff: Double

  public init(invalid: Double = 0, blocked: Double = 0, offline: Double = 0, readReceiptsOff: Double = 0) {
    self.invalid = invalid
    self.blocked = blocked
    self.offline = offline
    self.readReceiptsOff = readReceiptsOff
  }
}

public struct Engagement: Sendable, Equatable {
  public var read: Double
  public var respond: Double

  public init(read: Double = 0, respond: Double = 0) {
    self.read = read
    self.respond = respond
  }
}

public struct Latencies: Sendable, Equatable {
  public var api: Distribution
  public var deliver: Distribution
  public var read: Distribution
  public var respond: Distribution

  public init(
    api: Distribution = .fixed(0), deliver: Distribution = .fixed(0), read: Distribution = .fixed(0),
    respond: Distribution = .fixed(0)
  ) {
    self.api = api
    self.deliver = deliver
    self.read = read
    self.respond = respond
  }
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

  public init(
    id: String, sender: String, start: SimTime = 0, window: SimTime = 3 * Time.day, audience: Int,
    contacts: ContactMix = ContactMix(), blockedSignal: BlockedSignal = .error,
    engagement: Engagement = Engagement(), latency: Latencies = Latencies()
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
  }

  public var windowEnd: SimTime { start + window }
}

/// A window `[start, start + duration)` on one sender.
public struct Outage: Sendable, Equatable {
  public var sender: String
  public var start: SimTime
  public var duration: SimTime

  public init(sender: String, start: SimTime, duration: SimTime) {
    self.sender = sender
    self.start = start
    self.duration = duration
  }

  public var end: SimTime { start + duration }
}

/// A window `[start, start + duration)` in which the sender's attempts must be
/// at least `floor(1_000_000 / mps)` µs apart.
public struct Throttle: Sendable, Equatable {
  public var sender: String
  public var start: SimTime
  public var duration: SimTime
  public var mps: Double

  public init(sender: String, start: SimTime, duration: SimTime, mps: Double) {
    self.sender = sender
    self.start = start
    self.duration = duration
    self.mps = mps
  }

  public var end: SimTime { start + duration }
  public var spacing: SimTime { SimTime((1_000_000 / mps).rounded(.down)) }
}

public struct Faults: Sendable, Equatable {
  public var transientErrorRate: Double
  public var outages: [Outage]
  public var throttles: [Throttle]

  public init(transientErrorRate: Double = 0, outages: [Outage] = [], throttles: [Throttle] = []) {
    self.transientErrorRate = transientErrorRate
    self.outages = outages
    self.throttles = throttles
  }
}

public struct RetryPolicy: Sendable, Equatable {
  public var maxRetries: Int
  public var transientBackoff: [SimTime]
  public var limitBackoff: SimTime

  public init(
    maxRetries: Int = 3,
    transientBackoff: [SimTime] = [30 * Time.second, 2 * Time.minute, 10 * Time.minute],
    limitBackoff: SimTime = 12 * Time.hour
  ) {
    self.maxRetries = maxRetries
    self.transientBackoff = transientBackoff
    self.limitBackoff = limitBackoff
  }

  /// The wait after a transient error when `retriesUsed` retries were used so far;
  /// the last entry repeats.
  public func transientBackoff(afterRetries retriesUsed: Int) -> SimTime {
    guard !transientBackoff.isEmpty else { return 0 }
    return transientBackoff[min(retriesUsed, transientBackoff.count - 1)]
  }
}
