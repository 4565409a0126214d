import SimKernel

// WhatsApp's rules as parameters (MODEL.md §4, §5, §9). Every default is Meta's rule where
// Meta publishes one; the quality thresholds are this project's assumption (Meta publishes none).

/// The quality rating of MODEL.md §9.2, ordered `low < medium < high`.
public enum Quality: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
  case low, medium, high

  public static func < (lhs: Quality, rhs: Quality) -> Bool { lhs.rawValue < rhs.rawValue }
  public var description: String {
    switch self {
    case .low: "low"
    case .medium: "medium"
    case .high: "high"
    }
  }
}

/// `business.quality`: the report rate over a trailing window against two thresholds.
public struct QualityPolicy: Sendable, Equatable {
  public var window: SimTime
  public var mediumAt: ExactFraction
  public var lowAt: ExactFraction

  public init(
    window: SimTime = 7 * Time.day, mediumAt: ExactFraction = ExactFraction(numerator: 1, denominator: 100),
    lowAt: ExactFraction = ExactFraction(numerator: 3, denominator: 100)
  ) {
    self.window = window
    self.mediumAt = mediumAt
    self.lowAt = lowAt
  }

  /// The rating for `reports` reports among `deliveries` deliveries, compared exactly.
  @inlinable public func rating(reports: Int, deliveries: Int) -> Quality {
    if lowAt.isReached(by: reports, of: deliveries) { return .low }
    if mediumAt.isReached(by: reports, of: deliveries) { return .medium }
    return .high
  }
}

/// `business.scaling` (MODEL.md §9.1): the limit grows to the next tier once enough of it is used.
public struct ScalingPolicy: Sendable, Equatable {
  /// Ascending limits; `nil` (unlimited) may only end the list.
  public var tiers: [Int?]
  public var usedFraction: ExactFraction
  public var lookback: SimTime
  public var delay: SimTime
  public var minQuality: Quality

  /// The default fraction is 5/10, as `0.5` reads: ExactFraction compares its stored terms and
  /// prints by its power-of-ten denominator, so 1/2 would differ from a written 0.5 and not print.
  public init(
    tiers: [Int?] = [250, 2000, 10000, 100_000, nil],
    usedFraction: ExactFraction = ExactFraction(numerator: 5, denominator: 10),
    lookback: SimTime = 7 * Time.day, delay: SimTime = 6 * Time.hour, minQuality: Quality = .medium
  ) {
    self.tiers = tiers
    self.usedFraction = usedFraction
    self.lookback = lookback
    self.delay = delay
    self.minQuality = minQuality
  }

  /// The smallest tier above `limit` (`Int.max` stands for unlimited), or `nil` when none is.
  public func nextTier(after limit: Int) -> Int? {
    guard limit != Int.max else { return nil }
    for tier in tiers {
      let value = tier ?? Int.max
      if value > limit { return value }
    }
    return nil
  }
}

/// `senders[].upgrade` (MODEL.md §9.3).
public struct ThroughputUpgrade: Sendable, Equatable {
  public var throughputMPS: Double
  public var pause: SimTime

  public init(throughputMPS: Double = 1000, pause: SimTime = Time.minute) {
    self.throughputMPS = throughputMPS
    self.pause = pause
  }

  public var interval: SimTime { intervalFor(mps: throughputMPS) }
}

/// `floor(1_000_000 / mps)` µs (MODEL.md §2).
public func intervalFor(mps: Double) -> SimTime { SimTime((1_000_000 / mps).rounded(.down)) }

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
  public var spacing: SimTime { intervalFor(mps: mps) }
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

public enum BlockedSignal: String, Sendable, CaseIterable {
  case error
  case silent
}

public struct ContactMix: Sendable, Equatable {
  public var invalid: Double
  public var blocked: Double
  public var offline: Double
  public var readReceiptsOff: Double
  /// P(the contact is at Meta's per-user marketing cap), independent of the category (§9.4).
  public var marketingCapped: Double

  public init(
    invalid: Double = 0, blocked: Double = 0, offline: Double = 0, readReceiptsOff: Double = 0,
    marketingCapped: Double = 0
  ) {
    self.invalid = invalid
    self.blocked = blocked
    self.offline = offline
    self.readReceiptsOff = readReceiptsOff
    self.marketingCapped = marketingCapped
  }
}

public struct Engagement: Sendable, Equatable {
  public var read: Double
  public var respond: Double
  /// P(a reachable contact whose message is delivered reports the business) (§9.2).
  public var report: Double

  public init(read: Double = 0, respond: Double = 0, report: Double = 0) {
    self.read = read
    self.respond = respond
    self.report = report
  }
}

public struct Latencies: Sendable, Equatable {
  public var api: Distribution
  public var deliver: Distribution
  public var read: Distribution
  public var respond: Distribution
  /// From delivered to the report (§9.2).
  public var report: Distribution

  public init(
    api: Distribution = .fixed(0), deliver: Distribution = .fixed(0), read: Distribution = .fixed(0),
    respond: Distribution = .fixed(0), report: Distribution = .fixed(0)
  ) {
    self.api = api
    self.deliver = deliver
    self.read = read
    self.respond = respond
    self.report = report
  }
}

/// `retry` (MODEL.md §4, §9.5).
public struct RetryPolicy: Sendable, Equatable {
  public var maxRetries: Int
  public var transientBackoff: [SimTime]
  public var limitBackoff: [SimTime]
  /// `nil`: the limit list.
  public var capBackoff: [SimTime]?
  public var jitter: Double
  public var retryOn: ErrorKinds

  public init(
    maxRetries: Int = 3,
    transientBackoff: [SimTime] = [30 * Time.second, 2 * Time.minute, 10 * Time.minute],
    limitBackoff: [SimTime] = [12 * Time.hour], capBackoff: [SimTime]? = nil, jitter: Double = 0,
    retryOn: ErrorKinds = .all
  ) {
    self.maxRetries = maxRetries
    self.transientBackoff = transientBackoff
    self.limitBackoff = limitBackoff
    self.capBackoff = capBackoff
    self.jitter = jitter
    self.retryOn = retryOn
  }

  /// Entry `retriesUsed` of `kind`'s list (the last repeats), before jitter.
  @inlinable
  public func backoff(for kind: ErrorKind, afterRetries retriesUsed: Int) -> SimTime {
    // Indexed in place: returning the list would retain and release its buffer per retry.
    switch kind {
    case .transient:
      let n = transientBackoff.count
      return n == 0 ? 0 : transientBackoff[min(retriesUsed, n - 1)]
    case .limit:
      let n = limitBackoff.count
      return n == 0 ? 0 : limitBackoff[min(retriesUsed, n - 1)]
    case .cap:
      guard let capBackoff else { return backoff(for: .limit, afterRetries: retriesUsed) }
      let n = capBackoff.count
      return n == 0 ? 0 : capBackoff[min(retriesUsed, n - 1)]
    }
  }

  /// Whether anything here goes beyond v1 (per-kind lists, jitter, `retry_on`).
  public var usesV2: Bool { limitBackoff.count != 1 || capBackoff != nil || jitter != 0 || retryOn != .all }
}
