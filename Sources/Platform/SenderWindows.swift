import SimKernel

/// A sender's throughput upgrade having happened (MODEL.md §9.3).
public struct ThroughputChange: Sendable, Equatable {
  public let sender: Int
  public let at: SimTime
  public let fromMPS: Double
  public let toMPS: Double
  /// The outage the switch causes, `[at, pauseEnd)`.
  public let pauseEnd: SimTime

  public init(sender: Int, at: SimTime, fromMPS: Double, toMPS: Double, pauseEnd: SimTime) {
    self.sender = sender
    self.at = at
    self.fromMPS = fromMPS
    self.toMPS = toMPS
    self.pauseEnd = pauseEnd
  }
}

/// One sender's side of the rules: its outage and throttle windows (rules 1 and 2), its
/// interval, and its throughput upgrade.
///
/// A sender's dispatch times never decrease, so a cursor past the windows already over
/// answers each rule in O(1).
public struct SenderWindows: Sendable {
  @usableFromInline struct ThrottleWindow: Sendable {
    @usableFromInline var start: SimTime
    @usableFromInline var end: SimTime
    @usableFromInline var spacing: SimTime
    @usableFromInline var lastPassed: SimTime?
  }

  public let throughputMPS: Double
  @usableFromInline var interval: SimTime
  @usableFromInline var outages: [(start: SimTime, end: SimTime)]  // merged, sorted
  @usableFromInline var outageCursor = 0
  @usableFromInline var throttles: [ThrottleWindow]  // disjoint, sorted
  @usableFromInline var throttleCursor = 0
  public let upgrade: ThroughputUpgrade?
  /// `[start, end)` of the upgrade's pause once it started; `end` is also when the new interval applies.
  @usableFromInline var pause: (start: SimTime, end: SimTime)?

  public init(throughputMPS: Double, outages: [Outage], throttles: [Throttle], upgrade: ThroughputUpgrade?) {
    self.throughputMPS = throughputMPS
    interval = intervalFor(mps: throughputMPS)
    let windows = outages.filter { $0.duration > 0 }.map { (start: $0.start, end: $0.end) }.sorted {
      $0.start < $1.start
    }
    self.outages = Self.merge(windows)
    self.throttles = throttles.filter { $0.duration > 0 }.sorted { $0.start < $1.start }
      .map { ThrottleWindow(start: $0.start, end: $0.end, spacing: $0.spacing, lastPassed: nil) }
    self.upgrade = upgrade
  }

  static func merge(_ sorted: [(start: SimTime, end: SimTime)]) -> [(start: SimTime, end: SimTime)] {
    var merged: [(start: SimTime, end: SimTime)] = []
    for window in sorted {
      if let last = merged.last, window.start <= last.end {
        merged[merged.count - 1].end = max(last.end, window.end)
      } else {
        merged.append(window)
      }
    }
    return merged
  }

  /// Whether rule 1 may still refuse: an outage window or the upgrade's pause not yet over.
  @inlinable @inline(__always)
  public var mayHaveOutage: Bool { outageCursor < outages.count || pause != nil }
  /// Whether rule 2 may still refuse.
  @inlinable @inline(__always)
  public var mayBeThrottled: Bool { throttleCursor < throttles.count }

  /// Rule 1.
  @inlinable @inline(__always)
  public mutating func inOutage(at t: SimTime) -> Bool {
    if let pause, t >= pause.start && t < pause.end { return true }
    var cursor = outageCursor
    let count = outages.count
    guard cursor < count else { return false }
    while cursor < count && outages[cursor].end <= t { cursor += 1 }
    outageCursor = cursor
    return cursor < count && outages[cursor].start <= t
  }

  /// Rule 2; an attempt inside the window that is not refused passes it and becomes the one
  /// the next is measured against.
  @inlinable @inline(__always)
  public mutating func throttled(at t: SimTime) -> Bool {
    var cursor = throttleCursor
    let count = throttles.count
    guard cursor < count else { return false }
    while cursor < count && throttles[cursor].end <= t { cursor += 1 }
    throttleCursor = cursor
    guard cursor < count, throttles[cursor].start <= t else { return false }
    if let last = throttles[cursor].lastPassed, t - last < throttles[cursor].spacing { return true }
    throttles[cursor].lastPassed = t
    return false
  }

  /// When the sender is free after dispatching at `t`.
  @inlinable @inline(__always)
  public func nextFree(afterDispatchAt t: SimTime) -> SimTime {
    if let pause, let upgrade, t >= pause.end { return t + upgrade.interval }
    return t + interval
  }

  /// Whether the upgrade may still start.
  @inlinable public var upgradePending: Bool { upgrade != nil && pause == nil }

  /// Starts the upgrade at `t`: the pause is an outage, then the new interval.
  mutating func startUpgrade(at t: SimTime) -> SimTime {
    let end = t + (upgrade?.pause ?? 0)
    pause = (t, end)
    return end
  }
}
