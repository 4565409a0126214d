/// WhatsApp Cloud API error codes the platform produces (MODEL.md §4, §9).
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
    case .messagingLimit: "Messaging limit reached (24 h unique-contact cap) or per-user marketing cap"
    case .throttled: "Rate limit hit (throttled)"
    }
  }

  /// Whether a retry may follow this error.
  public var isRetryable: Bool { self != .invalidContact && self != .blocked }

  public static let count = 6

  /// Report order: ascending code.
  public static let reportOrder: [ErrorCode] = allCases.sorted { $0.rawValue < $1.rawValue }

  /// Position in `reportOrder`.
  @inlinable @inline(__always) public var reportIndex: Int {
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

/// The retry kinds of MODEL.md §4 and §9.5. Invalid and blocked refusals are final and have none.
public enum ErrorKind: Int, Sendable, CaseIterable, CustomStringConvertible {
  case transient, limit, cap

  public static let count = 3

  public var description: String {
    switch self {
    case .transient: "transient"
    case .limit: "limit"
    case .cap: "cap"
    }
  }
}

/// A set of error kinds as a bit mask: no hashing, and iteration is always in `ErrorKind` order.
public struct ErrorKinds: OptionSet, Sendable, Hashable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }
  public init(_ kind: ErrorKind) { rawValue = 1 << UInt8(kind.rawValue) }

  public static let transient = ErrorKinds(.transient)
  public static let limit = ErrorKinds(.limit)
  public static let cap = ErrorKinds(.cap)
  public static let all: ErrorKinds = [.transient, .limit, .cap]

  @inlinable public func contains(_ kind: ErrorKind) -> Bool { rawValue & (1 << UInt8(kind.rawValue)) != 0 }

  /// The kinds in `ErrorKind` order.
  public var kinds: [ErrorKind] { ErrorKind.allCases.filter { contains($0) } }
}

/// Why an attempt was refused: one case per rule of MODEL.md §4 that refuses.
public enum Refusal: UInt8, Sendable, CaseIterable {
  case outage, throttled, invalidContact, blocked, messagingLimit, marketingCap, transient

  @inlinable public var code: ErrorCode {
    switch self {
    case .outage: .outage
    case .throttled: .throttled
    case .invalidContact: .invalidContact
    case .blocked: .blocked
    case .messagingLimit, .marketingCap: .messagingLimit
    case .transient: .transient
    }
  }

  /// The retry kind; `nil` for the final refusals (invalid, blocked).
  @inlinable public var kind: ErrorKind? {
    switch self {
    case .outage, .throttled, .transient: .transient
    case .messagingLimit: .limit
    case .marketingCap: .cap
    case .invalidContact, .blocked: nil
    }
  }
}
