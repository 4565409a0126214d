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

/// A legal edge of the message state machine: one case per edge of MODEL.md
/// §3's diagram, so the engine cannot even express an illegal transition, and
/// `init?(from:to:)` refuses every pair that is not an edge.
public enum MessageTransition: Int, Sendable, CaseIterable, CustomStringConvertible {
  case dispatch, redispatch, accept, awaitRetry, rejectInvalid, rejectBlocked, fail
  case deliver, read, respondUnread, respond, expireQueued, expireRetrying

  /// Number of edges; a literal so hot loops need no lazy global.
  public static let count = 13

  public init?(from: MessageState, to: MessageState) {
    guard let edge = MessageTransition.allCases.first(where: { $0.from == from && $0.to == to }) else { return nil }
    self = edge
  }

  public var from: MessageState {
    switch self {
    case .dispatch, .expireQueued: .queued
    case .redispatch, .expireRetrying: .retrying
    case .accept, .awaitRetry, .rejectInvalid, .rejectBlocked, .fail: .sending
    case .deliver: .sent
    case .read, .respondUnread: .delivered
    case .respond: .read
    }
  }

  public var to: MessageState {
    switch self {
    case .dispatch, .redispatch: .sending
    case .accept: .sent
    case .awaitRetry: .retrying
    case .rejectInvalid: .invalidContact
    case .rejectBlocked: .blockedOrSpam
    case .fail, .expireQueued, .expireRetrying: .failed
    case .deliver: .delivered
    case .read: .read
    case .respondUnread, .respond: .responded
    }
  }

  /// Position in `allCases`: lets counters be flat arrays.
  @inline(__always) public var index: Int { rawValue }

  /// Whether the message leaves queued/sending/retrying for good.
  @inline(__always) public var finishesSending: Bool {
    switch self {
    case .accept, .rejectInvalid, .rejectBlocked, .fail, .expireQueued, .expireRetrying: true
    default: false
    }
  }

  public var description: String { "\(from) → \(to)" }
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
