/// The ten message states of MODEL.md §3, in report order.
public enum MessageState: Int, Sendable, CaseIterable, CustomStringConvertible {
  case queued, sending, retrying, sent, delivered, read, responded, failed, invalidContact, blockedOrSpam

  public var description: String {
    switch self {
    case .queued: "queued"
    case .sending: "sending"
    case .retrying: "retrying"
    case .sent: "sent"
    case .delivered: "delivered"
    case .read: "read"
    case .responded: "responded"
    case .failed: "failed"
    case .invalidContact: "invalid_contact"
    case .blockedOrSpam: "blocked_or_spam"
    }
  }

  public var isTerminal: Bool { self == .failed || self == .invalidContact || self == .blockedOrSpam }
  public var isSuccess: Bool { self == .sent || self == .delivered || self == .read || self == .responded }
  /// Queued, sending or retrying: the message has not finished being sent.
  public var isInProgress: Bool { self == .queued || self == .sending || self == .retrying }
  /// Delivered or a later success state: what makes a campaign `completed`.
  public var reachedDelivery: Bool { self == .delivered || self == .read || self == .responded }

  /// Whether the diagram of MODEL.md §3 has an edge `self → next`.
  public func canTransition(to next: MessageState) -> Bool {
    switch (self, next) {
    case (.queued, .sending), (.retrying, .sending): true
    case (.sending, .sent), (.sending, .retrying), (.sending, .invalidContact),
      (.sending, .blockedOrSpam), (.sending, .failed):
      true
    case (.sent, .delivered), (.delivered, .read), (.delivered, .responded), (.read, .responded): true
    case (.queued, .failed), (.retrying, .failed): true  // window ends
    default: false
    }
  }
}

/// A legal edge of the message state machine. The initialiser refuses every
/// other pair, so the engine cannot even express an illegal transition.
public struct MessageTransition: Sendable, Equatable, CustomStringConvertible {
  public let from: MessageState
  public let to: MessageState
  /// Position in `MessageTransition.all`: lets counters be flat arrays.
  public let index: Int

  public init?(from: MessageState, to: MessageState) {
    guard from.canTransition(to: to) else { return nil }
    self.from = from
    self.to = to
    self.index = MessageTransition.edges.firstIndex { $0 == (from, to) }!
  }

  /// Every legal edge, in a fixed order.
  static let edges: [(MessageState, MessageState)] = MessageState.allCases.flatMap { from in
    MessageState.allCases.filter { from.canTransition(to: $0) }.map { (from, $0) }
  }

  public static let all: [MessageTransition] = edges.map { MessageTransition(from: $0.0, to: $0.1)! }

  public var description: String { "\(from) → \(to)" }

  public static let dispatch = MessageTransition(from: .queued, to: .sending)!
  public static let redispatch = MessageTransition(from: .retrying, to: .sending)!
  public static let accept = MessageTransition(from: .sending, to: .sent)!
  public static let awaitRetry = MessageTransition(from: .sending, to: .retrying)!
  public static let rejectInvalid = MessageTransition(from: .sending, to: .invalidContact)!
  public static let rejectBlocked = MessageTransition(from: .sending, to: .blockedOrSpam)!
  public static let fail = MessageTransition(from: .sending, to: .failed)!
  public static let deliver = MessageTransition(from: .sent, to: .delivered)!
  public static let read = MessageTransition(from: .delivered, to: .read)!
  public static let respondUnread = MessageTransition(from: .delivered, to: .responded)!
  public static let respond = MessageTransition(from: .read, to: .responded)!
  public static let expireQueued = MessageTransition(from: .queued, to: .failed)!
  public static let expireRetrying = MessageTransition(from: .retrying, to: .failed)!
}

/// Campaign states of MODEL.md §3.
public enum CampaignState: String, Sendable, CaseIterable {
  case queued, sending, completed, failed

  public func canTransition(to next: CampaignState) -> Bool {
    switch (self, next) {
    case (.queued, .sending), (.sending, .completed), (.sending, .failed): true
    // A campaign the run never dispatched for ends straight from `queued`.
    case (.queued, .completed), (.queued, .failed): true
    default: false
    }
  }

  /// The state after `event`, or `nil` when the event is illegal in this state.
  public func after(_ event: CampaignEvent) -> CampaignState? {
    let next: CampaignState
    switch event {
    case .firstDispatch: next = .sending
    case .runEnded(let anyDelivered): next = anyDelivered ? .completed : .failed
    }
    return canTransition(to: next) ? next : nil
  }
}

public enum CampaignEvent: Sendable, Equatable {
  case firstDispatch
  case runEnded(anyDelivered: Bool)
}

/// WhatsApp Cloud API error codes the model produces (MODEL.md §4).
public enum ErrorCode: Int, Sendable, CaseIterable, CustomStringConvertible {
  case transient = 131000
  case outage = 131016
  case invalidContact = 131026
  case blocked = 131048
  case messagingLimit = 131049
  case throttled = 130429

  public var description: String { String(rawValue) }

  /// What the code means, for reports.
  public var meaning: String {
    switch self {
    case .transient: "Something went wrong (transient error)"
    case .outage: "Service unavailable (outage)"
    case .invalidContact: "Message undeliverable (invalid contact)"
    case .blocked: "Spam rate limit hit (contact blocked the business)"
    case .messagingLimit: "Messaging limit reached (24 h unique-contact cap)"
    case .throttled: "Rate limit hit (throttled)"
    }
  }

  /// Whether a retry may follow this error.
  public var isRetryable: Bool { self != .invalidContact && self != .blocked }

  /// Report order: ascending code.
  public static let reportOrder: [ErrorCode] = allCases.sorted { $0.rawValue < $1.rawValue }

  /// Position in `reportOrder`.
  @inline(__always) public var reportIndex: Int {
    switch self {
    case .throttled: 0
    case .transient: 1
    case .outage: 2
    case .invalidContact: 3
    case .blocked: 4
    case .messagingLimit: 5
    }
  }
}

/// Why a message ended in a failure state (MODEL.md §8).
public enum FailureReason: Int, Sendable, CaseIterable, CustomStringConvertible {
  case retriesExhausted, expired, messagingLimit, invalid, blocked

  public var description: String {
    switch self {
    case .retriesExhausted: "retries_exhausted"
    case .expired: "expired"
    case .messagingLimit: "messaging_limit"
    case .invalid: "invalid"
    case .blocked: "blocked"
    }
  }
}
