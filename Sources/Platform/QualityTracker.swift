import DequeModule
import HeapModule
import SimKernel

/// A change of the quality rating, with the counts that gave it.
public struct QualityChange: Sendable, Equatable {
  public let at: SimTime
  public let quality: Quality
  public let reports: Int
  public let deliveries: Int

  public init(at: SimTime, quality: Quality, reports: Int, deliveries: Int) {
    self.at = at
    self.quality = quality
    self.reports = reports
    self.deliveries = deliveries
  }

  /// `reports / deliveries` (0 when there are none).
  public var reportRate: Double { deliveries == 0 ? 0 : Double(reports) / Double(deliveries) }
}

/// The quality rating of MODEL.md §9.2: reports over deliveries in a trailing window.
///
/// Deliveries and reports are known when their message is accepted, usually before they
/// happen; they wait in a heap until the clock reaches them, then count until they leave the
/// window. The rating is asked for at acceptances only (that is where it decides anything), so
/// it is exact there, and the recorded changes are those seen at acceptances.
public struct QualityTracker: Sendable {
  public let policy: QualityPolicy
  @usableFromInline var futureDeliveries = Heap<SimTime>()
  @usableFromInline var futureReports = Heap<SimTime>()
  @usableFromInline var deliveries = Deque<SimTime>()
  @usableFromInline var reports = Deque<SimTime>()
  @usableFromInline var current: Quality = .high
  public private(set) var changes: [QualityChange] = []
  /// When the rating stopped being tracked because no rule could use it any more (`nil`: never).
  public private(set) var stoppedAt: SimTime?

  public init(policy: QualityPolicy, startingAt start: SimTime) {
    self.policy = policy
    changes.append(QualityChange(at: start, quality: .high, reports: 0, deliveries: 0))
  }

  public var quality: Quality { current }

  @inlinable @inline(__always)
  public mutating func add(deliveryAt time: SimTime) { if stoppedAt == nil { futureDeliveries.insert(time) } }
  @inlinable @inline(__always)
  public mutating func add(reportAt time: SimTime) { if stoppedAt == nil { futureReports.insert(time) } }

  /// Stops tracking at `t`: the rating keeps its last value and the stored times are freed.
  public mutating func stop(at t: SimTime) {
    guard stoppedAt == nil else { return }
    stoppedAt = t
    futureDeliveries = Heap()
    futureReports = Heap()
    deliveries = Deque()
    reports = Deque()
  }

  /// The rating at `t` (times passed in never decrease), recording a change.
  @inlinable
  public mutating func rating(at t: SimTime) -> Quality {
    guard stoppedAt == nil else { return current }
    let oldest = t - policy.window
    Self.advance(&futureDeliveries, into: &deliveries, to: t, dropping: oldest)
    Self.advance(&futureReports, into: &reports, to: t, dropping: oldest)
    let rating = policy.rating(reports: reports.count, deliveries: deliveries.count)
    if rating != current { noteChange(to: rating, at: t) }
    return rating
  }

  @usableFromInline mutating func noteChange(to rating: Quality, at t: SimTime) {
    current = rating
    changes.append(QualityChange(at: t, quality: rating, reports: reports.count, deliveries: deliveries.count))
  }

  @inlinable @inline(__always)
  static func advance(
    _ future: inout Heap<SimTime>, into past: inout Deque<SimTime>, to t: SimTime, dropping oldest: SimTime
  ) {
    while let next = future.min, next <= t {
      future.removeMin()
      if next > oldest { past.append(next) }
    }
    while let first = past.first, first <= oldest { past.removeFirst() }
  }
}
