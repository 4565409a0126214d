import SimKernel

/// Everything WhatsApp decides about a business's attempts (MODEL.md §4 rules 1–7, §9): the
/// senders' windows, the messaging limit and its scaling, quality, throughput upgrades and the
/// per-user cap. It knows no event loop: callers (the batch engine, the HTTP emulator) hand it
/// times that never decrease and act on what it answers.
///
/// One attempt goes: `decide` (rules 1–6); if it returns `nil` the attempt is accepted and the
/// caller calls `accept` (rule 7: counts it, may earn an upgrade of the limit or start a
/// throughput upgrade), then `record(_:)` with the message's `Fate` so quality can see its
/// delivery and report. `applyLimitUpgrade(at:)` is called at `pendingUpgradeAt`.
public struct PlatformState: Sendable {
  public var limit: LimitTracker
  public var quality: QualityTracker?
  public var senders: [SenderWindows]
  public let transientRate: Double
  public private(set) var throughputChanges: [ThroughputChange] = []
  /// Whether anything may start a throughput upgrade (skips a check per acceptance when not).
  @usableFromInline var upgradesLeft: Int
  /// Whether a rule reads quality (scaling, a throughput upgrade). When one does, tracking stops
  /// once none can any more (no next tier, no upgrade left): from then on it would cost a heap
  /// operation per acceptance and memory for every delivery of the last `quality.window`, and
  /// decide nothing. Without such a rule (reports only) quality is tracked for the report
  /// throughout.
  @usableFromInline let qualityDecides: Bool

  /// - Parameters:
  ///   - quality: `nil` turns quality off (no §9 quality input in the scenario): the rating is
  ///     then always `high`.
  public init(
    limit: Int?, limitWindow: SimTime, scaling: ScalingPolicy?, quality: QualityPolicy?, qualityStart: SimTime,
    senders: [SenderWindows], transientRate: Double
  ) {
    self.limit = LimitTracker(limit: limit, window: limitWindow, scaling: scaling)
    self.quality = quality.map { QualityTracker(policy: $0, startingAt: qualityStart) }
    self.senders = senders
    self.transientRate = transientRate
    upgradesLeft = senders.filter { $0.upgrade != nil }.count
    qualityDecides = scaling != nil || upgradesLeft > 0
  }

  /// Rules 1–6 for an attempt of sender `s` at `t`: the refusal, or `nil` when the attempt is
  /// accepted (call `accept` next).
  @inlinable @inline(__always)
  public mutating func decide(
    sender s: Int, contact model: ContactRules, contact: RandomStream, attempt: RandomStream, at t: SimTime
  ) -> Refusal? {
    // Read-only checks first: a mutating call on an array element costs a uniqueness check
    // even when it changes nothing, and most senders have no windows left.
    if senders[s].mayHaveOutage && senders[s].inOutage(at: t) { return .outage }
    if senders[s].mayBeThrottled && senders[s].throttled(at: t) { return .throttled }
    let u = contact.uniform(0)
    if u < model.invalidBelow { return .invalidContact }
    if u < model.blockedBelow, model.blockedIsError { return .blocked }
    if limit.isFull(at: t) { return .messagingLimit }
    if model.capped > 0, t < model.cappedUntil(contact) { return .marketingCap }
    if transientRate > 0 && attempt.uniform(1) < transientRate { return .transient }
    return nil
  }

  /// Rule 7: counts an acceptance of sender `s` at `t`. Returns when a limit upgrade it earned
  /// takes effect (the caller must call `applyLimitUpgrade(at:)` then), or `nil`.
  @inlinable @inline(__always)
  public mutating func accept(sender s: Int, at t: SimTime) -> SimTime? {
    // Rated at every acceptance while quality is on, so the recorded changes are complete.
    let rating = rating(at: t)
    var earned: SimTime? = nil
    if limit.accept(at: t), let scaling = limit.scaling, rating >= scaling.minQuality {
      earned = limit.earnUpgrade(at: t)
    }
    if upgradesLeft > 0 { startThroughputUpgradeIfDue(sender: s, at: t, rating: rating) }
    if qualityDecides, upgradesLeft == 0, !limit.mayScale, quality?.stoppedAt == nil { quality!.stop(at: t) }
    return earned
  }

  /// The rating at `t`; `high` when quality is off.
  @inlinable @inline(__always)
  public mutating func rating(at t: SimTime) -> Quality {
    guard quality != nil else { return .high }
    return quality!.rating(at: t)
  }

  @usableFromInline
  mutating func startThroughputUpgradeIfDue(sender s: Int, at t: SimTime, rating: Quality) {
    guard senders[s].upgradePending, limit.isUnlimited, rating >= .medium, let upgrade = senders[s].upgrade
    else { return }
    let end = senders[s].startUpgrade(at: t)
    upgradesLeft -= 1
    throughputChanges.append(
      ThroughputChange(sender: s, at: t, fromMPS: senders[s].throughputMPS, toMPS: upgrade.throughputMPS, pauseEnd: end)
    )
  }

  /// What quality needs to know of an accepted message: its delivery and report, if they happen.
  @inlinable @inline(__always)
  public mutating func record(_ fate: Fate) {
    guard quality != nil else { return }
    if let deliveredAt = fate.deliveredAt { quality!.add(deliveryAt: deliveredAt) }
    if let reportedAt = fate.reportedAt { quality!.add(reportAt: reportedAt) }
  }

  /// The pending limit upgrade takes effect at `t`.
  public mutating func applyLimitUpgrade(at t: SimTime) { limit.applyUpgrade(at: t) }

  @inlinable public var pendingUpgradeAt: SimTime? { limit.pending?.at }
}
