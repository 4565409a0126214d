import CampaignModel
import DequeModule
import SimKernel

/// Error kinds of MODEL.md §4 as the emulator tracks them per recipient.
enum OutcomeKind: UInt8, Sendable {
  case none, accepted, transient, limit, cap, invalid, blocked
}

/// The platform's answer to one attempt.
enum Verdict: Equatable, Sendable {
  case accepted
  case refused(ErrorCode, OutcomeKind)
}

/// What happens to a contact after its message is sent (MODEL.md §5), as absolute times.
struct ContactFate: Equatable, Sendable {
  /// `nil`: the message stays `sent` (offline, or blocked with `blocked_signal: silent`).
  var deliveredAt: SimTime?
  /// When the contact read it, whether or not a receipt tells (`nil`: never).
  var readAt: SimTime?
  var receiptsOn: Bool
  var respondedAt: SimTime?
}

/// The one place where the emulator asks the platform model what happens: every rule of
/// MODEL.md §4 (and §9 once the shared `Platform` module provides it) is decided behind these
/// three calls and nowhere else in the emulator.
///
/// Draw positions follow the engine's (Simulation+AfterAcceptance.swift): a contact's stream
/// 0 category, 1 receipts off, 2 deliver latency, 3 reads?, 4 read latency, 5 responds?,
/// 6 respond latency; an attempt's stream 0 API latency, 1 transient error.
struct PlatformGate {
  struct CampaignRules {
    var invalidBelow: Double
    var blockedBelow: Double
    var unreachableBelow: Double
    var blockedIsError: Bool
    var receiptsOff: Double
    var read: Double
    var respond: Double
    var api: Sampler
    var deliver: Sampler
    var readLatency: Sampler
    var respondLatency: Sampler
  }

  struct SenderWindows {
    var outages: [(start: SimTime, end: SimTime)]
    var throttles: [(start: SimTime, end: SimTime, spacing: SimTime)]
    var lastPassed: [SimTime?]
  }

  let campaigns: [CampaignRules]
  var senders: [SenderWindows]
  let limit: Int?
  let limitWindow: SimTime
  let transientRate: Double
  /// Dispatch times of the acceptances still inside the rolling window, oldest first.
  var accepted = Deque<SimTime>()

  init(scenario: Scenario) {
    campaigns = scenario.campaigns.map { c in
      CampaignRules(
        invalidBelow: c.contacts.invalid, blockedBelow: c.contacts.invalid + c.contacts.blocked,
        unreachableBelow: c.contacts.invalid + c.contacts.blocked + c.contacts.offline,
        blockedIsError: c.blockedSignal == .error, receiptsOff: c.contacts.readReceiptsOff,
        read: c.engagement.read, respond: c.engagement.respond, api: c.latency.api.sampler,
        deliver: c.latency.deliver.sampler, readLatency: c.latency.read.sampler,
        respondLatency: c.latency.respond.sampler)
    }
    senders = scenario.senders.map { sender in
      let throttles = scenario.faults.throttles.filter { $0.sender == sender.id && $0.duration > 0 }
        .sorted { $0.start < $1.start }.map { (start: $0.start, end: $0.end, spacing: $0.spacing) }
      return SenderWindows(
        outages: scenario.faults.outages.filter { $0.sender == sender.id && $0.duration > 0 }
          .map { (start: $0.start, end: $0.end) },
        throttles: throttles, lastPassed: Array(repeating: nil, count: throttles.count))
    }
    limit = scenario.messagingLimit
    limitWindow = Time.day
    transientRate = scenario.faults.transientErrorRate
  }

  /// The API latency of an attempt.
  func apiLatency(campaign c: Int, attempt: RandomStream) -> SimTime {
    let api = campaigns[c].api
    return api.isConstant ? api.sample(0) : api.sample(attempt.openUniform(0))
  }

  /// Rules 1–7 for an attempt dispatched at `t` (MODEL.md §4), first that applies.
  mutating func decide(sender s: Int, campaign c: Int, contact: RandomStream, attempt: RandomStream, at t: SimTime)
    -> Verdict
  {
    let rules = campaigns[c]
    if senders[s].outages.contains(where: { $0.start <= t && t < $0.end }) { return .refused(.outage, .transient) }
    if let w = senders[s].throttles.firstIndex(where: { $0.start <= t && t < $0.end }) {
      if let last = senders[s].lastPassed[w], t - last < senders[s].throttles[w].spacing {
        return .refused(.throttled, .transient)
      }
      senders[s].lastPassed[w] = t
    }
    let u = contact.uniform(0)
    if u < rules.invalidBelow { return .refused(.invalidContact, .invalid) }
    if u < rules.blockedBelow && rules.blockedIsError { return .refused(.blocked, .blocked) }
    if let limit {
      while let oldest = accepted.first, oldest <= t - limitWindow { accepted.removeFirst() }
      if accepted.count >= limit { return .refused(.messagingLimit, .limit) }
    }
    if transientRate > 0 && attempt.uniform(1) < transientRate { return .refused(.transient, .transient) }
    if limit != nil { accepted.append(t) }
    return .accepted
  }

  /// The contact's future after a message to it is sent at `sentAt` (MODEL.md §5).
  func fate(campaign c: Int, contact stream: RandomStream, sentAt: SimTime) -> ContactFate {
    let rules = campaigns[c]
    let receiptsOn = !(rules.receiptsOff > 0 && stream.uniform(1) < rules.receiptsOff)
    var fate = ContactFate(deliveredAt: nil, readAt: nil, receiptsOn: receiptsOn, respondedAt: nil)
    guard stream.uniform(0) >= rules.unreachableBelow else { return fate }
    let delivered = sentAt + rules.deliver.sample(stream.openUniform(2))
    fate.deliveredAt = delivered
    guard rules.read > 0, stream.uniform(3) < rules.read else { return fate }
    let read = delivered + rules.readLatency.sample(stream.openUniform(4))
    fate.readAt = read
    guard rules.respond > 0, stream.uniform(5) < rules.respond else { return fate }
    fate.respondedAt = read + rules.respondLatency.sample(stream.openUniform(6))
    return fate
  }

  /// The messaging limit in force at `t` (`nil`: unlimited), for the status page and metrics.
  func limitInForce(at t: SimTime) -> Int? { limit }

  /// Acceptances counted in the rolling window (as last pruned).
  var windowCount: Int { accepted.count }
}
