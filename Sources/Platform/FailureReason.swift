/// Why a message ended in a failure state (MODEL.md §8, §9.5).
public enum FailureReason: Int, Sendable, CaseIterable, CustomStringConvertible {
  // Appended only: the index is a report column, and v1 reports must not move.
  case retriesExhausted, expired, messagingLimit, invalid, blocked, marketingCap

  public static let count = 6
  /// The reasons a scenario without §9 keys can produce, in report order.
  public static let v1: [FailureReason] = [.retriesExhausted, .expired, .messagingLimit, .invalid, .blocked]

  public var description: String {
    switch self {
    case .retriesExhausted: "retries_exhausted"
    case .expired: "expired"
    case .messagingLimit: "messaging_limit"
    case .invalid: "invalid"
    case .blocked: "blocked"
    case .marketingCap: "marketing_cap"
    }
  }
}
