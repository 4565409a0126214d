import CampaignModel
import Platform
import SimKernel

/// Error kinds as the emulator tracks them per recipient.
enum OutcomeKind: UInt8, Sendable {
  case none, accepted, transient, limit, cap, invalid, blocked
}

/// The platform's answer to one attempt.
enum Verdict: Equatable, Sendable {
  case accepted
  case refused(ErrorCode, OutcomeKind)
}

/// The one place where the emulator asks the platform what happens: every rule of MODEL.md §4
/// and §9 is the shared `Platform` module's (`PlatformState`, `ContactModel`), the same code the
/// batch engine runs; this type only adapts it to requests arriving in real time.
struct PlatformGate {
  var platform: PlatformState
  let models: [ContactModel]
  let baseRates: [Double]

  init(scenario: Scenario) {
    platform = PlatformState(
      limit: scenario.messagingLimit, limitWindow: scenario.limitWindow, scaling: scenario.scaling,
      quality: scenario.tracksQuality ? scenario.quality ?? QualityPolicy() : nil,
      qualityStart: scenario.campaigns.map(\.start).min() ?? 0,
      senders: scenario.senders.map { sender in
        SenderWindows(
          throughputMPS: sender.throughputMPS, outages: scenario.faults.outages.filter { $0.sender == sender.id },
          throttles: scenario.faults.throttles.filter { $0.sender == sender.id }, upgrade: sender.upgrade)
      },
      transientRate: scenario.faults.transientErrorRate)
    models = scenario.campaigns.map(\.contactModel)
    baseRates = scenario.senders.map(\.throughputMPS)
  }

  /// Brings the platform to `t`: a limit upgrade earned earlier takes effect at its own time
  /// (MODEL.md §9.1), before anything decided at `t`.
  mutating func advance(to t: SimTime) {
    while let at = platform.pendingUpgradeAt, at <= t { platform.applyLimitUpgrade(at: at) }
  }

  func apiLatency(campaign c: Int, attempt: RandomStream) -> SimTime { models[c].apiLatency(attempt) }

  /// Rules 1–7 for an attempt dispatched at `t`, first that applies; an acceptance is counted
  /// (and may earn a limit or throughput upgrade) and its delivery and report feed quality.
  mutating func decide(sender s: Int, campaign c: Int, contact: RandomStream, attempt: RandomStream, at t: SimTime)
    -> Verdict
  {
    advance(to: t)
    if let refusal = platform.decide(sender: s, contact: models[c].rules, contact: contact, attempt: attempt, at: t) {
      let kind: OutcomeKind =
        switch refusal {
        case .invalidContact: .invalid
        case .blocked: .blocked
        case .messagingLimit: .limit
        case .marketingCap: .cap
        case .outage, .throttled, .transient: .transient
        }
      return .refused(refusal.code, kind)
    }
    _ = platform.accept(sender: s, at: t)
    let sentAt = t + apiLatency(campaign: c, attempt: attempt)
    platform.record(models[c].fate(contact, sentAt: sentAt, horizon: .max))
    return .accepted
  }

  /// The contact's future after a message to it is sent at `sentAt` (MODEL.md §5), by `horizon`.
  func fate(campaign c: Int, contact: RandomStream, sentAt: SimTime, horizon: SimTime = .max) -> Fate {
    models[c].fate(contact, sentAt: sentAt, horizon: horizon)
  }

  /// The sender's throughput at `t` for the token bucket: the upgraded rate once its pause is
  /// over (MODEL.md §9.3).
  func throughput(sender s: Int, at t: SimTime) -> Double {
    for change in platform.throughputChanges where change.sender == s && t >= change.pauseEnd { return change.toMPS }
    return baseRates[s]
  }

  /// The messaging limit in force (`nil`: unlimited), for the status page and metrics.
  var limitInForce: Int? { platform.limit.isUnlimited ? nil : platform.limit.limit }

  mutating func windowCount(at t: SimTime) -> Int { platform.limit.count(at: t) }

  mutating func quality(at t: SimTime) -> Quality { platform.rating(at: t) }
}
