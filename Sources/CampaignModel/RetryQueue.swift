import SimKernel

/// Messages waiting for a retry on one sender, smallest `(ready, campaign,
/// message index)` first: a calendar of ready-time buckets of 131 ms, each
/// sorted only when it comes due.
///
/// A tier-limited run keeps a million retries waiting half a day; as a 4-ary
/// heap every pop walked ten levels of cache misses (42 % of that benchmark,
/// issue 12). Retries arrive nearly in ready order but displaced by hundreds
/// of places (a response jitters by the API latency against a dispatch every
/// millisecond), so sorted runs do not absorb them (tried: slower); buckets do.
/// An insert appends to its bucket; a pop reads the due bucket's next entry.
/// Buckets of 131 ms hold about a hundred entries at 1000 msg/s: sorting them
/// cost 15 % of the run with buckets ten times wider.
/// Any correct priority queue pops the same sequence (keys are unique), so the
/// calendar changes no output.
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

  /// log₂ of a bucket's width in µs: 2¹⁷ µs ≈ 131 ms.
  static let bucketShift: SimTime = 17

  /// The due bucket's entries, sorted, read from `head`; always the earliest bucket.
  private var due: [Entry] = []
  private var head = 0
  private var dueBucket: SimTime = .max
  /// Every later bucket's entries, unsorted, and a min-heap of their numbers.
  private var later: [SimTime: [Entry]] = [:]
  private var laterBuckets: [SimTime] = []
  private(set) var count = 0

  var isEmpty: Bool { count == 0 }
  var min: Entry? { head < due.count ? due[head] : nil }

  /// Every waiting entry, in no particular order.
  var items: [Entry] { Array(due[head...]) + later.values.joined() }

  static func bucket(_ entry: Entry) -> SimTime { entry.ready >> bucketShift }

  /// - Complexity: amortised O(1) into a later bucket; O(bucket) into the due one.
  mutating func insert(_ entry: Entry) {
    count += 1
    let bucket = RetryQueue.bucket(entry)
    if bucket == dueBucket {
      // Binary search past the head: the due bucket holds a second's worth of entries.
      var low = head
      var high = due.count
      while low < high {
        let mid = (low + high) / 2
        if due[mid].precedes(entry) { low = mid + 1 } else { high = mid }
      }
      due.insert(entry, at: low)
      return
    }
    if bucket < dueBucket {
      // An earlier bucket (a shorter backoff) becomes the due one; the rest waits unsorted.
      for waiting in due[head...] { park(waiting, bucket: dueBucket) }
      due = [entry]
      head = 0
      dueBucket = bucket
      return
    }
    park(entry, bucket: bucket)
  }

  /// One hash lookup, appending in place; a new bucket joins the heap of bucket numbers.
  private mutating func park(_ entry: Entry, bucket: SimTime) {
    var opened = false
    later[
      bucket,
      default: {
        opened = true
        return []
      }()
    ].append(entry)
    if opened { pushBucket(bucket) }
  }

  /// - Complexity: amortised O(1); O(b log b) for the bucket of b entries that comes due.
  @discardableResult
  mutating func removeMin() -> Entry {
    let first = due[head]
    head += 1
    count -= 1
    if head == due.count { advance() }
    return first
  }

  /// The next bucket comes due, sorted.
  private mutating func advance() {
    due.removeAll(keepingCapacity: true)
    head = 0
    guard let next = popBucket() else {
      dueBucket = .max
      return
    }
    due = later.removeValue(forKey: next)!
    due.sort { $0.precedes($1) }
    dueBucket = next
  }

  private mutating func pushBucket(_ bucket: SimTime) {
    laterBuckets.append(bucket)
    var child = laterBuckets.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard bucket < laterBuckets[parent] else { break }
      laterBuckets[child] = laterBuckets[parent]
      child = parent
    }
    laterBuckets[child] = bucket
  }

  private mutating func popBucket() -> SimTime? {
    guard let first = laterBuckets.first else { return nil }
    let last = laterBuckets.removeLast()
    guard !laterBuckets.isEmpty else { return first }
    var hole = 0
    while true {
      let left = 2 * hole + 1
      guard left < laterBuckets.count else { break }
      let right = left + 1
      let child = right < laterBuckets.count && laterBuckets[right] < laterBuckets[left] ? right : left
      guard laterBuckets[child] < last else { break }
      laterBuckets[hole] = laterBuckets[child]
      hole = child
    }
    laterBuckets[hole] = last
    return first
  }
}
