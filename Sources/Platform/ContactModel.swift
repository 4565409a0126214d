import SimKernel

/// One campaign's contacts as the platform sees them (MODEL.md §5, §9.2, §9.4), with the
/// probabilities turned into thresholds and the distributions into samplers for the hot path.
///
/// Every value about a contact is a draw of the contact's own stream (the batch engine's message
/// stream; the emulator's recipient stream), at a fixed position, so a draw can be recomputed
/// instead of stored, and a §9 feature switched on moves no v1 draw (§9.6):
///
/// | contact stream | | attempt stream | |
/// | --- | --- | --- | --- |
/// | 0 | category | 0 | API latency |
/// | 1 | read receipts off | 1 | transient error |
/// | 2 | deliver latency | 2 | backoff jitter |
/// | 3 | reads? | | |
/// | 4 | read latency | | |
/// | 5 | responds? | | |
/// | 6 | respond latency | | |
/// | 7 | marketing capped? | | |
/// | 8 | cap duration | | |
/// | 9 | reports? | | |
/// | 10 | report latency | | |
public struct ContactModel: Sendable {
  /// What rules 3, 4 and 5b need: small, so that passing it per attempt copies a few words.
  public let rules: ContactRules
  public let unreachableBelow: Double
  public let receiptsOff: Double
  public let read: Double
  public let respond: Double
  public let report: Double
  public let api: Sampler
  public let deliver: Sampler
  public let readLatency: Sampler
  public let respondLatency: Sampler
  public let reportLatency: Sampler

  public init(
    start: SimTime, contacts mix: ContactMix, blockedSignal: BlockedSignal, engagement: Engagement,
    latency: Latencies, capDuration: Distribution
  ) {
    rules = ContactRules(
      start: start, invalidBelow: mix.invalid, blockedBelow: mix.invalid + mix.blocked,
      blockedIsError: blockedSignal == .error, capped: mix.marketingCapped, capDuration: capDuration.sampler)
    unreachableBelow = mix.invalid + mix.blocked + mix.offline
    receiptsOff = mix.readReceiptsOff
    read = engagement.read
    respond = engagement.respond
    report = engagement.report
    api = latency.api.sampler
    deliver = latency.deliver.sampler
    readLatency = latency.read.sampler
    respondLatency = latency.respond.sampler
    reportLatency = latency.report.sampler
  }

  /// The API latency of one attempt.
  @inlinable @inline(__always)
  public func apiLatency(_ attempt: RandomStream) -> SimTime {
    api.isConstant ? api.sample(0) : api.sample(attempt.openUniform(0))
  }

  /// Everything after acceptance (MODEL.md §5, §9.2), drawn at once: nothing can change it.
  /// Times past `horizon` do not happen.
  @inlinable @inline(__always)
  public func fate(_ contact: RandomStream, sentAt: SimTime, horizon: SimTime) -> Fate {
    var fate = Fate()
    // Blocked contacts that fail silently and offline contacts stay `sent`.
    guard contact.uniform(0) >= unreachableBelow else { return fate }
    let deliveredAt = sentAt + deliver.sample(contact.openUniform(2))
    guard deliveredAt <= horizon else { return fate }
    fate.deliveredAt = deliveredAt
    if report > 0, contact.uniform(9) < report {
      let reportedAt = deliveredAt + reportLatency.sample(contact.openUniform(10))
      if reportedAt <= horizon { fate.reportedAt = reportedAt }
    }
    guard read > 0, contact.uniform(3) < read else { return fate }
    let readAt = deliveredAt + readLatency.sample(contact.openUniform(4))
    guard readAt <= horizon else { return fate }
    fate.readAt = readAt
    fate.readVisible = !(receiptsOff > 0 && contact.uniform(1) < receiptsOff)
    guard respond > 0, contact.uniform(5) < respond else { return fate }
    let respondedAt = readAt + respondLatency.sample(contact.openUniform(6))
    guard respondedAt <= horizon else { return fate }
    fate.respondedAt = respondedAt
    return fate
  }
}

/// A campaign's contacts as rules 3, 4 and 5b of MODEL.md §4 see them.
public struct ContactRules: Sendable {
  public let start: SimTime
  public let invalidBelow: Double
  public let blockedBelow: Double
  public let blockedIsError: Bool
  public let capped: Double
  public let capDuration: Sampler

  public init(
    start: SimTime, invalidBelow: Double, blockedBelow: Double, blockedIsError: Bool, capped: Double,
    capDuration: Sampler
  ) {
    self.start = start
    self.invalidBelow = invalidBelow
    self.blockedBelow = blockedBelow
    self.blockedIsError = blockedIsError
    self.capped = capped
    self.capDuration = capDuration
  }

  /// The end of the contact's marketing cap (§9.4), or `SimTime.min` when it is not capped.
  @inlinable @inline(__always)
  public func cappedUntil(_ contact: RandomStream) -> SimTime {
    guard capped > 0, contact.uniform(7) < capped else { return SimTime.min }
    return start + capDuration.sample(contact.openUniform(8))
  }
}

/// What happens to an accepted message, by the horizon. A read with receipts off happens but is
/// invisible (`readVisible == false`): it gates and times the response, and shows no `read` state.
public struct Fate: Sendable, Equatable {
  public var deliveredAt: SimTime?
  public var readAt: SimTime?
  public var readVisible = true
  public var respondedAt: SimTime?
  /// The contact reported the business (§9.2); changes no message state.
  public var reportedAt: SimTime?

  @inlinable public init() {}
}
