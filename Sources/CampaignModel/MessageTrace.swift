import SimKernel

/// Which messages a run keeps the history of (`run --trace`, `explain`).
///
/// Sampling hashes the campaign id and message index and never touches a run's random
/// streams, so turning tracing on moves no draw, and the same messages are sampled whatever
/// the seed (a history can be followed across seeds).
public struct TraceSelection: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case all
    /// `(campaign index, message index)` pairs.
    case messages(Set<TracedMessage>)
    /// Each message with probability `fraction`, decided by `TraceSelection.sampleHash`.
    case sample(fraction: Double)
  }

  public let kind: Kind

  public init(_ kind: Kind) { self.kind = kind }

  public static let all = TraceSelection(.all)
  public static func messages(_ keys: Set<TracedMessage>) -> TraceSelection { TraceSelection(.messages(keys)) }
  public static func sample(_ fraction: Double) -> TraceSelection { TraceSelection(.sample(fraction: fraction)) }

  /// A uniform number in [0, 1) for a message, from its campaign id and index only.
  public static func sampleHash(campaignHash: UInt64, message: Int) -> Double {
    // A constant of its own keeps this independent of the engine's `child` derivation.
    let bits = mix64(campaignHash ^ mix64(UInt64(message) &+ 0x7472_6163_6553_4D50))
    return Double(bits >> 11) * 0x1.0p-53
  }

  /// Whether message `message` of the campaign with index `campaign` (id hash `campaignHash`) is traced.
  @inlinable
  public func contains(campaign: Int, message: Int, campaignHash: UInt64) -> Bool {
    switch kind {
    case .all: true
    case .messages(let keys): keys.contains(TracedMessage(campaign: campaign, message: message))
    case .sample(let fraction): TraceSelection.sampleHash(campaignHash: campaignHash, message: message) < fraction
    }
  }
}

public struct TracedMessage: Sendable, Hashable, Comparable {
  public let campaign: Int
  public let message: Int

  public init(campaign: Int, message: Int) {
    self.campaign = campaign
    self.message = message
  }

  public static func < (lhs: TracedMessage, rhs: TracedMessage) -> Bool {
    (lhs.campaign, lhs.message) < (rhs.campaign, rhs.message)
  }
}

/// What the contact is, from draw 0 of its stream (MODEL.md §5): what decides whether an
/// accepted message can ever be delivered.
public enum ContactCategory: String, Sendable, CaseIterable {
  case invalid, blocked, offline, reachable
}

/// The rule of MODEL.md §4 that decided an attempt.
public enum AttemptRule: String, Sendable, CaseIterable {
  case accepted, outage, throttled
  case invalidContact = "invalid_contact"
  case blocked
  case messagingLimit = "messaging_limit"
  case marketingCap = "marketing_cap"
  case transient

  public init(_ refusal: Refusal) {
    switch refusal {
    case .outage: self = .outage
    case .throttled: self = .throttled
    case .invalidContact: self = .invalidContact
    case .blocked: self = .blocked
    case .messagingLimit: self = .messagingLimit
    case .marketingCap: self = .marketingCap
    case .transient: self = .transient
    }
  }
}

/// Why an attempt went out later than it was ready.
public enum DispatchWait: String, Sendable {
  /// Ready and dispatched at the same microsecond.
  case none
  /// The sender was busy with messages ready before it (one per throughput interval).
  case throughput
  /// The sender stood still at least once for a full messaging limit (`pacing: limit_aware`).
  case limitPause = "limit_pause"
}

/// What followed a refused attempt.
public enum AfterRefusal: Sendable, Equatable {
  /// Invalid or blocked: final at the response.
  case final
  /// No retry left (or the kind is not in `retry_on`): ends at the response for this reason.
  case gaveUp(FailureReason)
  /// Ready again at `readyAt` = response + `backoff` − `jitterCut`.
  case retry(backoff: SimTime, jitterCut: SimTime, readyAt: SimTime)
  /// The retry would not be ready before the window ends: expired at `at`.
  case expired(backoff: SimTime, jitterCut: SimTime, at: SimTime)
}

public struct AttemptTrace: Sendable, Equatable {
  /// 1 for the first attempt.
  public var number: Int
  public var readyAt: SimTime
  public var dispatchedAt: SimTime
  public var wait: DispatchWait
  /// The sender's interval between dispatches when this one went out.
  public var senderInterval: SimTime
  /// Dispatch plus the API latency: when the outcome is known.
  public var responseAt: SimTime
  public var rule: AttemptRule
  /// The draw that decided a transient error (refused below `transientRate`); `nil` when no
  /// draw was made (no transient errors configured, or an earlier rule decided).
  public var transientDraw: Double?
  /// The messaging limit in force, for a `messaging_limit` refusal.
  public var limit: Int?
  /// When the contact's marketing cap ends, for a `marketing_cap` refusal.
  public var cappedUntil: SimTime?
  /// `nil` when accepted.
  public var after: AfterRefusal?

  public init(
    number: Int, readyAt: SimTime, dispatchedAt: SimTime, wait: DispatchWait, senderInterval: SimTime,
    responseAt: SimTime, rule: AttemptRule, transientDraw: Double? = nil, limit: Int? = nil,
    cappedUntil: SimTime? = nil, after: AfterRefusal? = nil
  ) {
    self.number = number
    self.readyAt = readyAt
    self.dispatchedAt = dispatchedAt
    self.wait = wait
    self.senderInterval = senderInterval
    self.responseAt = responseAt
    self.rule = rule
    self.transientDraw = transientDraw
    self.limit = limit
    self.cappedUntil = cappedUntil
    self.after = after
  }

  public var errorCode: ErrorCode? {
    switch rule {
    case .accepted: nil
    case .outage: .outage
    case .throttled: .throttled
    case .invalidContact: .invalidContact
    case .blocked: .blocked
    case .messagingLimit, .marketingCap: .messagingLimit
    case .transient: .transient
    }
  }
}

/// A state change of the message, as the run recorded it (none past the horizon).
public struct StateChange: Sendable, Equatable {
  public var state: MessageState
  public var at: SimTime

  public init(state: MessageState, at: SimTime) {
    self.state = state
    self.at = at
  }
}

/// One message's whole history in one replication.
public struct MessageTrace: Sendable, Equatable {
  public var campaign: String
  public var campaignIndex: Int
  public var message: Int
  public var sender: String
  public var contact: ContactCategory
  /// Whether the contact is at the per-user marketing cap until some time (MODEL.md §9.4).
  public var cappedUntil: SimTime?
  public var attempts: [AttemptTrace] = []
  public var states: [StateChange] = []
  /// The contact reported the business (§9.2): no state change, but it counts for quality.
  public var reportedAt: SimTime?
  /// A delivered message read with receipts off: the read happened and is invisible.
  public var readUnseenAt: SimTime?
  public var finalState: MessageState = .queued
  public var failureReason: FailureReason?

  /// A message nothing has happened to yet.
  public init(
    campaign: String, campaignIndex: Int, message: Int, sender: String, contact: ContactCategory,
    cappedUntil: SimTime?
  ) {
    self.campaign = campaign
    self.campaignIndex = campaignIndex
    self.message = message
    self.sender = sender
    self.contact = contact
    self.cappedUntil = cappedUntil
  }
}
