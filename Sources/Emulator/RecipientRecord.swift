import SimKernel

/// What the emulator remembers about one (campaign, recipient) for the whole run: 32 bytes,
/// plus the recipient string that keys it (tested with `MemoryLayout`). Everything else about
/// the recipient (its category, receipts, engagement, latencies) is recomputed from its random
/// stream when needed instead of being stored.
struct RecipientRecord: Sendable {
  /// Where the message is in MODEL.md §3's state machine, as far as the emulator has seen it.
  enum Phase: UInt8 {
    /// Refused with an error the sender may retry (it is `retrying` until it does or gives up).
    case retrying
    /// `invalid_contact` or `blocked_or_spam` by rule 3 or 4: nothing more can happen.
    case terminal
    /// Accepted at least once: a success state.
    case success
  }

  /// Dispatch time of the first attempt.
  var firstAt: SimTime
  /// Response time of the first accepted attempt (the `sent` time); `SimTime.max`: none.
  var sentAt: SimTime = .max
  /// Response time of the latest attempt.
  var lastResponse: SimTime
  var attempts: UInt32 = 0
  var phase: Phase = .retrying
  var last: OutcomeKind = .none

  init(firstAt: SimTime) {
    self.firstAt = firstAt
    lastResponse = firstAt
  }
}

/// The token bucket of MODEL.md §10: `rate` tokens per second, holding one second of them.
struct TokenBucket: Sendable {
  let rate: Double
  /// One second of tokens, but at least one so that a rate below 1/s still lets requests through.
  let capacity: Double
  var tokens: Double
  var updatedAt: SimTime?

  init(rate: Double) {
    self.rate = rate
    capacity = max(1, rate)
    tokens = capacity
  }

  /// Takes a token at `t` if there is one. Time never runs backwards for the bucket: requests
  /// decided out of order (they are not, under the core's lock) would not mint tokens.
  mutating func take(at t: SimTime) -> Bool {
    if let updatedAt, t > updatedAt {
      tokens = min(capacity, tokens + Double(t - updatedAt) * rate / 1_000_000)
    }
    if updatedAt.map({ t > $0 }) ?? true { updatedAt = t }
    guard tokens >= 1 else { return false }
    tokens -= 1
    return true
  }
}
