import CampaignModel
import SimKernel

/// Live counters for the status page, `/metrics` and the report.
struct EmulatorStats: Sendable {
  struct Webhooks: Sendable, Equatable {
    /// Statuses queued (originals).
    var scheduled = 0
    /// Chaos copies queued.
    var duplicatesScheduled = 0
    /// Originals the receiver acknowledged with a 2xx.
    var delivered = 0
    /// Chaos copies the receiver acknowledged.
    var duplicated = 0
    /// HTTP posts made (a batch is one post; redeliveries included).
    var posts = 0
    /// Posts that failed (non-2xx, timeout, refused connection).
    var failedPosts = 0
    /// Statuses posted again after a failure.
    var redelivered = 0
    /// Statuses given up on after `max_age`.
    var expired = 0
    /// Statuses refused because the backlog was full.
    var dropped = 0
    var dropWarningDue = false
  }

  var senders = 0
  /// Send requests that reached the throughput bucket and the rules.
  var requests = 0
  var accepted = 0
  /// Refusals by error code, indexed like `ErrorCode.reportIndex`.
  var errors = Array(repeating: 0, count: ErrorCode.count)
  /// Answers by HTTP status (all endpoints).
  var statuses: [Int: Int] = [:]
  var webhooks = Webhooks()
  /// The last refusals, newest last, for the status page.
  var recent: [(at: SimTime, code: Int, detail: String)] = []

  mutating func count(_ error: ErrorCode) { errors[error.reportIndex] += 1 }

  mutating func answered(_ status: Int) { statuses[status, default: 0] += 1 }

  mutating func note(at time: SimTime, code: Int, detail: String) {
    recent.append((time, code, detail))
    if recent.count > 20 { recent.removeFirst(recent.count - 20) }
  }
}
