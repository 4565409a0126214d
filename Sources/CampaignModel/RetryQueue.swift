import SimKernel

/// Messages waiting for a retry on one sender, smallest `(ready, campaign,
/// message index)` first: a 4-ary implicit min-heap of 16-byte entries.
///
/// Four children per node halve the depth of a binary heap, and all four sit
/// in one cache line, which matters when a tier-limited run keeps most of its
/// audience waiting here.
struct RetryQueue {
  struct Entry {
    var ready: SimTime
    /// `campaign << 48 | message << 8 | attempts so far`: ordering by this
    /// orders by campaign then message (each pair is in the queue at most once).
    var packed: UInt64

    static let messageBits: UInt64 = 40

    init(ready: SimTime, campaign: Int, message: Int, attempts: Int) {
      self.ready = ready
      packed = UInt64(campaign) << 48 | UInt64(message) << 8 | UInt64(attempts)
    }

    var campaign: Int { Int(packed >> 48) }
    var message: Int { Int(packed >> 8 & (1 << Entry.messageBits - 1)) }
    var attempts: Int { Int(packed & 0xFF) }
    /// `campaign << 40 | message`: the dispatch order key shared with first attempts.
    var orderKey: UInt64 { packed >> 8 }

    @inline(__always) func precedes(_ other: Entry) -> Bool {
      ready < other.ready || (ready == other.ready && packed < other.packed)
    }
  }

  private(set) var items: [Entry] = []

  var isEmpty: Bool { items.isEmpty }
  var count: Int { items.count }
  var min: Entry? { items.first }

  /// - Complexity: O(log₄ n).
  mutating func insert(_ entry: Entry) {
    items.append(entry)
    items.withUnsafeMutableBufferPointer { heap in
      var child = heap.count - 1
      while child > 0 {
        let parent = (child - 1) >> 2
        guard entry.precedes(heap[parent]) else { break }
        heap[child] = heap[parent]
        child = parent
      }
      heap[child] = entry
    }
  }

  /// Bottom-up deletion: the hole left by the minimum walks down to a leaf
  /// along the smaller children, then the last element climbs back up. The
  /// last element is nearly always among the latest-ready (retries are queued
  /// in roughly ready order), so it rarely climbs, and each level costs three
  /// comparisons instead of four.
  ///
  /// - Complexity: O(log₄ n).
  @discardableResult
  mutating func removeMin() -> Entry {
    let first = items[0]
    let last = items.removeLast()
    guard !items.isEmpty else { return first }
    items.withUnsafeMutableBufferPointer { heap in
      let count = heap.count
      var hole = 0
      while true {
        let firstChild = 4 &* hole &+ 1
        if firstChild >= count { break }
        var best = firstChild
        let end = Swift.min(firstChild &+ 4, count)
        var child = firstChild &+ 1
        while child < end {
          if heap[child].precedes(heap[best]) { best = child }
          child &+= 1
        }
        heap[hole] = heap[best]
        hole = best
      }
      while hole > 0 {
        let parent = (hole &- 1) >> 2
        guard last.precedes(heap[parent]) else { break }
        heap[hole] = heap[parent]
        hole = parent
      }
      heap[hole] = last
    }
    return first
  }
}
