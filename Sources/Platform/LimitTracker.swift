import DequeModule
import SimKernel

/// A change of the messaging limit in force (`nil`: unlimited).
public struct LimitChange: Sendable, Equatable {
  public let at: SimTime
  public let from: Int?
  public let to: Int?

  public init(at: SimTime, from: Int?, to: Int?) {
    self.at = at
    self.from = from
    self.to = to
  }
}

/// The business's messaging limit (MODEL.md §4 rule 5, §9.1): the rolling window of accepted
/// dispatches, the limit in force, and automatic scaling with its one pending upgrade.
///
/// Memory follows what the rules can still look at: acceptances inside the limit window while
/// the limit is finite, and inside the look-back while a next tier exists; nothing once the
/// limit is unlimited.
public struct LimitTracker: Sendable {
  /// The limit in force; `Int.max` is unlimited.
  public private(set) var limit: Int
  public let window: SimTime
  @usableFromInline var inWindow = Deque<SimTime>()
  public let scaling: ScalingPolicy?
  @usableFromInline var nextTier: Int?
  @usableFromInline var usedNeeded = Int.max
  @usableFromInline var inLookback = Deque<SimTime>()
  public private(set) var pending: (at: SimTime, to: Int)?
  public private(set) var changes: [LimitChange] = []

  public init(limit: Int?, window: SimTime, scaling: ScalingPolicy?) {
    self.limit = limit ?? Int.max
    self.window = window
    self.scaling = scaling
    retarget()
  }

  private mutating func retarget() {
    nextTier = scaling?.nextTier(after: limit)
    if let scaling, nextTier != nil {
      usedNeeded = scaling.usedFraction.ceilTimes(limit)
    } else {
      usedNeeded = Int.max
      inLookback.removeAll()
    }
    if limit == Int.max { inWindow.removeAll() }
  }

  @inlinable public var isUnlimited: Bool { limit == Int.max }
  /// Whether the limit may still grow: a next tier exists (an upgrade may be pending).
  @inlinable public var mayScale: Bool { nextTier != nil }

  /// Accepted dispatches in `(t − window, t]`. Times passed in never decrease.
  @inlinable @inline(__always)
  public mutating func count(at t: SimTime) -> Int {
    let oldest = t - window
    while let first = inWindow.first, first <= oldest { inWindow.removeFirst() }
    return inWindow.count
  }

  /// Rule 5: whether the window is full at `t`.
  @inlinable @inline(__always)
  public mutating func isFull(at t: SimTime) -> Bool {
    limit != Int.max && count(at: t) >= limit
  }

  /// When a limit-aware sender that found the window full at `t` may look again: the oldest
  /// counted acceptance leaves the window, or the pending upgrade takes effect, whichever is first.
  public func wakeTime(afterFullAt t: SimTime) -> SimTime {
    let leaves = (inWindow.first ?? t) + window
    guard let pending else { return leaves }
    return min(leaves, pending.at)
  }

  /// Counts an acceptance at `t`. Returns whether the look-back is now used enough for an
  /// upgrade (the caller checks quality, which costs more, only then).
  @inlinable @inline(__always)
  public mutating func accept(at t: SimTime) -> Bool {
    if limit != Int.max { inWindow.append(t) }
    guard nextTier != nil else { return false }
    inLookback.append(t)
    guard pending == nil, let scaling else { return false }
    let oldest = t - scaling.lookback
    while let first = inLookback.first, first <= oldest { inLookback.removeFirst() }
    return inLookback.count >= usedNeeded
  }

  /// Makes the upgrade to the next tier pending from `t`; returns when it takes effect.
  public mutating func earnUpgrade(at t: SimTime) -> SimTime {
    let at = t + (scaling?.delay ?? 0)
    pending = (at, nextTier ?? Int.max)
    return at
  }

  /// The pending upgrade takes effect (at its time).
  public mutating func applyUpgrade(at t: SimTime) {
    guard let pending, pending.at == t else { return }
    changes.append(
      LimitChange(at: t, from: limit == Int.max ? nil : limit, to: pending.to == Int.max ? nil : pending.to))
    limit = pending.to
    self.pending = nil
    retarget()
  }
}
