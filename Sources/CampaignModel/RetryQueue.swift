import SimKernel

/// Messages waiting for a retry on one sender, smallest `(ready, campaign,
/// message index)` first: a 4-ary implicit min-heap of 16-byte entries.
///
/// Four children per node halve the depth of a binary heap, and all four sit
/// in one cache line, which matters when a tier-limited run keeps most of its
/// audience waiting here.
struct RetryQueue {
  struct Entry {
    /// `ready << 64 | campaign << 48 | message << 8 | attempts so far`: one
    /// 128-bit comparison orders by ready time, then campaign, then message
    /// (each pair is in the queue at most once, so attempts never decide).
    var key: UInt128

    static let messageBits: UInt64 = 40

    init(ready: SimTime, campaign: Int, message: Int, attempts: Int) {
      let packed = UInt64(campaign) << 48 | UInt64(message) << 8 | UInt64(attempts)
      key = UInt128(UInt64(ready)) << 64 | UInt128(packed)
    }

    var ready: SimTime { SimTime(truncatingIfNeeded: UInt64(truncatingIfNeeded: key >> 64)) }
    var packed: UInt64 { UInt64(truncatingIfNeeded: key) }
    var campaign: Int { Int(packed >> 48) }
    var message: Int { Int(packed >> 8 & (1 << Entry.messageBits - 1)) }
    var attempts: Int { Int(packed & 0xFF) }
    /// `campaign << 40 | message`: the dispatch order key shared with first attempts.
    var orderKey: UInt64 { packed >> 8 }

    @inline(__always) func precedes(_ other: Entry) -> Bool { key < other.key }
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
      // Full nodes: the smallest of four children by a two-round tournament,
      // no loop, so the comparisons can overlap.
      while 4 &* hole &+ 4 < count {
        let a = 4 &* hole &+ 1
        // Which child is smaller is a coin toss, so a branch would be
        // mispredicted half the time: turn each comparison into 0 or 1 and
        // add it to the index instead.
        let left = a &+ Int(unsafeBitCast(heap[a &+ 1].key < heap[a].key, to: UInt8.self))
        let right = a &+ 2 &+ Int(unsafeBitCast(heap[a &+ 3].key < heap[a &+ 2].key, to: UInt8.self))
        let rightWins = Int(unsafeBitCast(heap[right].key < heap[left].key, to: UInt8.self))
        let best = left &+ (right &- left) &* rightWins
        heap[hole] = heap[best]
        hole = best
      }
      // At most one node has fewer than four children.
      let firstChild = 4 &* hole &+ 1
      if firstChild < count {
        var best = firstChild
        var child = firstChild &+ 1
        while child < count {
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
