// The whole discrete-event kernel: a clock and an event queue.
//
// Events are plain values (`Payload`), never objects, so scheduling one costs
// a few words in a flat array and no allocation. Two events at the same
// microsecond are ordered by `rank` (lower first, chosen by the model), then by
// the order in which they were scheduled, so a run never depends on how the
// heap happens to break ties.

/// Simulated time: an integer count of microseconds from 0.
public typealias SimTime = Int64

public enum Time {
  public static let microsecond: SimTime = 1
  public static let millisecond: SimTime = 1_000
  public static let second: SimTime = 1_000_000
  public static let minute: SimTime = 60 * second
  public static let hour: SimTime = 60 * minute
  public static let day: SimTime = 24 * hour
}

/// A clock plus a min-queue of pending events.
public struct Kernel<Payload> {
  @usableFromInline
  struct Entry {
    @usableFromInline var time: SimTime
    @usableFromInline var order: UInt64  // rank in the high 24 bits, sequence below
    @usableFromInline var payload: Payload

    @inlinable init(time: SimTime, order: UInt64, payload: Payload) {
      self.time = time
      self.order = order
      self.payload = payload
    }

    @inlinable func precedes(_ other: Entry) -> Bool {
      time < other.time || (time == other.time && order < other.order)
    }
  }

  @usableFromInline var heap: [Entry] = []
  @usableFromInline var sequence: UInt64 = 0

  @usableFromInline var clock: SimTime = 0
  @usableFromInline var handled: Int = 0

  /// The time of the event being handled (or last handled).
  @inlinable public var now: SimTime { clock }
  /// Events handed out by `next(until:)` so far.
  @inlinable public var processed: Int { handled }

  public init() {}

  public var pendingCount: Int { heap.count }

  /// Schedules `payload` at `time`, which must not lie in the past.
  ///
  /// - Complexity: O(log n) for n pending events.
  @inlinable
  public mutating func schedule(_ payload: Payload, at time: SimTime, rank: UInt32 = 0) {
    precondition(time >= now, "event scheduled in the past")
    precondition(rank < 1 << 24, "rank too large")
    let entry = Entry(time: time, order: UInt64(rank) << 40 | sequence, payload: payload)
    sequence &+= 1
    heap.append(entry)
    siftUp(heap.count - 1)
  }

  /// Removes the earliest event if it is not later than `horizon`, advances
  /// the clock to it and returns it; `nil` when nothing is left that early.
  ///
  /// - Complexity: O(log n) for n pending events.
  @inlinable
  public mutating func next(until horizon: SimTime) -> (time: SimTime, payload: Payload)? {
    guard let first = heap.first, first.time <= horizon else { return nil }
    let last = heap.removeLast()
    if !heap.isEmpty {
      heap[0] = last
      siftDown(0)
    }
    clock = first.time
    handled += 1
    return (first.time, first.payload)
  }

  /// Handles an event at `(time, rank)` without queueing it, when it would be
  /// the very next one anyway: no pending event comes before it (an equal
  /// `(time, rank)` pending event was scheduled earlier, so it would win) and
  /// it is not past `horizon`. Returns `false`, changing nothing, otherwise.
  ///
  /// A process that reschedules itself every step (a sender dispatching at a
  /// fixed interval) runs through this at the cost of one comparison, the
  /// same order of events as `schedule` followed by `next`.
  @inlinable
  public mutating func takeInPlace(at time: SimTime, rank: UInt32, until horizon: SimTime) -> Bool {
    guard time <= horizon, time >= clock else { return false }
    if let first = heap.first {
      let firstRank = UInt32(first.order >> 40)
      guard time < first.time || (time == first.time && rank < firstRank) else { return false }
    }
    clock = time
    handled += 1
    return true
  }

  /// The time of the earliest pending event, if any.
  @inlinable public var nextTime: SimTime? { heap.first?.time }

  @inlinable mutating func siftUp(_ start: Int) {
    heap.withUnsafeMutableBufferPointer { heap in
      var child = start
      let entry = heap[child]
      while child > 0 {
        let parent = (child &- 1) >> 1
        guard entry.precedes(heap[parent]) else { break }
        heap[child] = heap[parent]
        child = parent
      }
      heap[child] = entry
    }
  }

  // Over the array's buffer: no uniqueness or bounds check per level.
  @inlinable mutating func siftDown(_ start: Int) {
    heap.withUnsafeMutableBufferPointer { heap in
      var parent = start
      let entry = heap[parent]
      let count = heap.count
      while true {
        var child = 2 &* parent &+ 1
        if child >= count { break }
        // Branch-free choice of the smaller child: which one wins is a coin toss.
        if child &+ 1 < count {
          child &+= Int(unsafeBitCast(heap[child &+ 1].precedes(heap[child]), to: UInt8.self))
        }
        guard heap[child].precedes(entry) else { break }
        heap[parent] = heap[child]
        parent = child
      }
      heap[parent] = entry
    }
  }
}
