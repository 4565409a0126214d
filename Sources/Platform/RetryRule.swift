import SimKernel

/// What follows a retryable refusal (MODEL.md §4, §9.5).
public enum RetryDecision: Sendable, Equatable {
  /// Ready again this long after the response.
  case retry(after: SimTime)
  /// No retry: the message ends at its response, for this reason.
  case giveUp(FailureReason)
}

extension RetryPolicy {
  /// The decision after a refusal of kind `kind` when `retriesUsed` retries were used so far;
  /// `attempt` is the refused attempt's stream (its draw 2 is the jitter).
  @inlinable
  public func decision(after kind: ErrorKind, retriesUsed: Int, attempt: RandomStream) -> RetryDecision {
    guard retriesUsed < maxRetries, retryOn.contains(kind) else {
      switch kind {
      case .transient: return .giveUp(.retriesExhausted)
      case .limit: return .giveUp(.messagingLimit)
      case .cap: return .giveUp(.marketingCap)
      }
    }
    let backoff = self.backoff(for: kind, afterRetries: retriesUsed)
    guard jitter > 0 else { return .retry(after: backoff) }
    // `b − floor(j · u · b)`: j = 1 is "full jitter", uniform over (0, b].
    let cut = (jitter * attempt.uniform(2) * Double(backoff)).rounded(.down)
    return .retry(after: backoff - SimTime(cut))
  }
}
