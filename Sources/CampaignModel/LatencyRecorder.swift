import Histogram

/// A front buffer for `Histogram<UInt64>` (HdrHistogram, lowest discernible
/// value 1, three significant digits): the same bucket layout, counted in a
/// flat buffer, handed to HdrHistogram once at the end of the run.
///
/// Why: `Histogram.record` goes through unspecialised generic integer code
/// (witness-table calls per shift) and costs about a tenth of a run's
/// instructions. Here a record is a leading-zero count, a shift and an add.
/// The histogram built by `histogram()` is the one direct recording would
/// have built: same counts per bucket, same recorded minimum and maximum — so
/// every percentile, the max and the mean agree exactly (tested).
public struct LatencyRecorder {
  /// Values tracked without loss; simulated times stay far below it.
  public static let highestTrackableValue: UInt64 = 1 << 62
  /// The header's minimum before any non-zero value.
  static let noMinimum = highestTrackableValue + 1
  // HdrHistogram's layout for 3 digits from 1: 2048 sub-buckets, the upper
  // 1024 of each further bucket used.
  static let subBucketHalfCountMagnitude = 10
  static let subBucketHalfCount = 1 << subBucketHalfCountMagnitude
  static let subBucketMask: UInt64 = 2047
  static let leadingZeroCountBase = 53
  static let slots = index(of: highestTrackableValue) + 1

  /// Slot indices kept one by one before the slot counts are allocated. A
  /// campaign of a few hundred contacts never needs the 434 KB of slots (issue
  /// 10: each campaign cost 3.5 MB whatever its size). The histogram depends
  /// only on how many values fall in each slot and on the raw minimum and
  /// maximum, which the header keeps, so a value's 2-byte slot index is all a
  /// record needs of it (it was its 8-byte value, issue 12: 25 M values of
  /// 10 000 campaigns held 200 MB). The first `sparseLimit` live in the
  /// header; past them they move to a buffer that doubles up to
  /// `sparseCeiling` (128 KB, under a third of the slots), and only then to slots.
  static let sparseLimit = 128
  static let sparseCeiling = 65_536

  // Header cells: total, maximum, minimum non-zero, the number of slot indices
  // kept, the address of the slot counts (0 until allocated), the address and
  // capacity of the slot-index buffer (0: the header's own cells), then the
  // first slot indices, four to a cell. All behind one pointer, so recording is
  // non-mutating and needs no uniqueness check on the array the engine keeps
  // recorders in.
  static let totalIndex = 0
  static let maxIndex = 1
  static let minIndex = 2
  static let sparseCountIndex = 3
  static let denseIndex = 4
  static let sparseBufferIndex = 5
  static let sparseCapacityIndex = 6
  static let sparseBase = 7
  /// `count` slot indices in Int64 cells.
  static func cells(forSlots count: Int) -> Int { (count + 3) / 4 }

  let arena: CounterArena
  let header: UnsafeMutablePointer<Int64>

  public var total: Int { Int(header[LatencyRecorder.totalIndex]) }
  var max: UInt64 { UInt64(header[LatencyRecorder.maxIndex]) }
  var minNonZero: UInt64 { UInt64(header[LatencyRecorder.minIndex]) }
  var dense: UnsafeMutablePointer<Int64>? {
    UnsafeMutablePointer(bitPattern: Int(header[LatencyRecorder.denseIndex]))
  }

  public init() {
    arena = CounterArena(
      count: LatencyRecorder.sparseBase + LatencyRecorder.cells(forSlots: LatencyRecorder.sparseLimit))
    header = arena.base
    header[LatencyRecorder.minIndex] = Int64(LatencyRecorder.noMinimum)
    header[LatencyRecorder.sparseCapacityIndex] = Int64(LatencyRecorder.sparseLimit)
  }

  /// Where the slot indices are: the header's cells, or the buffer they outgrew them into.
  /// Raw bytes, read and written as `UInt16` with `load`/`storeBytes`: the cells are `Int64`.
  var sparseSlots: UnsafeMutableRawPointer {
    UnsafeMutableRawPointer(
      UnsafeMutablePointer<Int64>(bitPattern: Int(header[LatencyRecorder.sparseBufferIndex]))
        ?? header + LatencyRecorder.sparseBase)
  }

  static func slot(_ slots: UnsafeMutableRawPointer, _ k: Int) -> Int {
    Int(slots.load(fromByteOffset: 2 * k, as: UInt16.self))
  }

  @inline(__always)
  static func index(of value: UInt64) -> Int {
    let bucket = leadingZeroCountBase - (value | subBucketMask).leadingZeroBitCount
    let subBucket = Int(truncatingIfNeeded: value >> UInt64(bucket))
    return ((bucket + 1) << subBucketHalfCountMagnitude) + subBucket - subBucketHalfCount
  }

  /// The lowest value that falls in slot `index`.
  static func lowestValue(at index: Int) -> UInt64 {
    var bucket = (index >> subBucketHalfCountMagnitude) - 1
    var subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
    if bucket < 0 {
      subBucket -= subBucketHalfCount
      bucket = 0
    }
    return UInt64(subBucket) << UInt64(bucket)
  }

  @inline(__always)
  public func record(_ value: UInt64) {
    guard value <= LatencyRecorder.highestTrackableValue else { return }
    if let counts = dense {
      counts[LatencyRecorder.index(of: value)] &+= 1
    } else {
      recordSparse(value)
    }
    header[LatencyRecorder.totalIndex] &+= 1
    let signed = Int64(value)
    if signed > header[LatencyRecorder.maxIndex] { header[LatencyRecorder.maxIndex] = signed }
    if signed != 0 && signed < header[LatencyRecorder.minIndex] { header[LatencyRecorder.minIndex] = signed }
  }

  /// `record(value)` for a recorder whose slots are allocated, through its header alone; `false`
  /// (nothing recorded) while it still keeps raw values. The engine keeps the headers apart: a
  /// recorder read out of an array is retained and released for its arena on every record.
  @inline(__always)
  static func recordDense(_ value: UInt64, header: UnsafeMutablePointer<Int64>) -> Bool {
    guard value <= highestTrackableValue,
      let counts = UnsafeMutablePointer<Int64>(bitPattern: Int(header[denseIndex]))
    else { return false }
    counts[index(of: value)] &+= 1
    header[totalIndex] &+= 1
    let signed = Int64(value)
    if signed > header[maxIndex] { header[maxIndex] = signed }
    if signed != 0 && signed < header[minIndex] { header[minIndex] = signed }
    return true
  }

  /// Keeps the value's slot index, growing the buffer up to `sparseCeiling`; past it, moves
  /// them into newly allocated slots.
  @inline(never)
  func recordSparse(_ value: UInt64) {
    let kept = Int(header[LatencyRecorder.sparseCountIndex])
    let capacity = Int(header[LatencyRecorder.sparseCapacityIndex])
    let slots = sparseSlots
    let slot = LatencyRecorder.index(of: value)
    if kept < capacity {
      slots.storeBytes(of: UInt16(slot), toByteOffset: 2 * kept, as: UInt16.self)
      header[LatencyRecorder.sparseCountIndex] = Int64(kept + 1)
      return
    }
    let owned = UnsafeMutablePointer<Int64>(bitPattern: Int(header[LatencyRecorder.sparseBufferIndex]))
    if capacity < LatencyRecorder.sparseCeiling {
      let grown = arena.allocateExtra(LatencyRecorder.cells(forSlots: capacity * 2))
      UnsafeMutableRawPointer(grown).copyMemory(from: slots, byteCount: 2 * kept)
      if let owned { arena.free(owned) }
      UnsafeMutableRawPointer(grown).storeBytes(of: UInt16(slot), toByteOffset: 2 * kept, as: UInt16.self)
      header[LatencyRecorder.sparseBufferIndex] = Int64(Int(bitPattern: grown))
      header[LatencyRecorder.sparseCapacityIndex] = Int64(capacity * 2)
      header[LatencyRecorder.sparseCountIndex] = Int64(kept + 1)
      return
    }
    let counts = arena.allocateExtra(LatencyRecorder.slots)
    for k in 0..<kept { counts[LatencyRecorder.slot(slots, k)] &+= 1 }
    if let owned { arena.free(owned) }
    header[LatencyRecorder.sparseBufferIndex] = 0
    header[LatencyRecorder.sparseCountIndex] = 0
    header[LatencyRecorder.denseIndex] = Int64(Int(bitPattern: counts))
    counts[slot] &+= 1
  }

  /// Frees the slot-index buffer or slots and leaves the recorder empty. The engine calls it on
  /// each recorder as soon as its record is frozen, so a run's end never holds both (issue 12:
  /// 10 000 campaigns' spans, hundreds of MB each way).
  func release() {
    arena.freeExtras()
    header[LatencyRecorder.denseIndex] = 0
    header[LatencyRecorder.sparseBufferIndex] = 0
    header[LatencyRecorder.sparseCapacityIndex] = Int64(LatencyRecorder.sparseLimit)
    header[LatencyRecorder.sparseCountIndex] = 0
    header[LatencyRecorder.totalIndex] = 0
  }

  /// What this recorder holds, frozen for a run's result: how many values
  /// fell in each slot, and the raw maximum and minimum.
  ///
  /// - Complexity: O(n log n) in the slot indices kept, O(slots) once allocated.
  public func frozen() -> LatencyRecord {
    guard total > 0 else { return LatencyRecord() }
    var slots: [UInt16] = []
    var counts: [UInt32] = []
    func append(_ slot: Int, _ count: Int64) {
      LatencyRecord.append(slot: slot, count: UInt64(count), to: &slots, &counts)
    }
    if let dense {
      for slot in 0...LatencyRecorder.index(of: max) where dense[slot] > 0 { append(slot, dense[slot]) }
    } else {
      let kept = Int(header[LatencyRecorder.sparseCountIndex])
      let raw = sparseSlots
      let sorted = (0..<kept).map { UInt16(LatencyRecorder.slot(raw, $0)) }.sorted()
      var k = 0
      while k < sorted.count {
        var end = k + 1
        while end < sorted.count && sorted[end] == sorted[k] { end += 1 }
        append(Int(sorted[k]), Int64(end - k))
        k = end
      }
    }
    return LatencyRecord(slots: slots, counts: counts, max: max, minNonZero: minNonZero)
  }

  /// The HdrHistogram holding everything recorded.
  public func histogram() -> Histogram<UInt64> { frozen().histogram() }
}

/// A latency distribution as a run's result keeps it: how many values fell in
/// each HdrHistogram slot, and the raw maximum and minimum non-zero value,
/// which is all a histogram of them holds. Six bytes per occupied slot: each
/// campaign kept a full HdrHistogram once (100–400 KB, issue 10), then 16
/// bytes per distinct value (issue 12).
public struct LatencyRecord: Sendable, Equatable {
  /// Occupied slots and their counts; a slot may repeat (merged records, counts past `UInt32.max`).
  let slots: [UInt16]
  let counts: [UInt32]
  /// The largest value recorded (0 when none), and the smallest non-zero one
  /// (`highestTrackableValue + 1` when none), as the recorder's header keeps them.
  let max: UInt64
  let minNonZero: UInt64

  init(slots: [UInt16] = [], counts: [UInt32] = [], max: UInt64 = 0, minNonZero: UInt64 = LatencyRecorder.noMinimum) {
    self.slots = slots
    self.counts = counts
    self.max = max
    self.minNonZero = minNonZero
  }

  /// The record of these (value, count) pairs, as recording them one by one would give.
  init(values: [UInt64], counts: [UInt64]) {
    let largest: UInt64 = zip(values, counts).filter { $0.1 > 0 }.map(\.0).max() ?? 0
    var totals = Array(repeating: UInt64(0), count: LatencyRecorder.index(of: largest) + 1)
    var minNonZero = LatencyRecorder.noMinimum
    for (value, count) in zip(values, counts) where count > 0 {
      totals[LatencyRecorder.index(of: value)] += count
      if value != 0 { minNonZero = Swift.min(minNonZero, value) }
    }
    self.init(totals: totals, max: largest, minNonZero: minNonZero)
  }

  /// From a count per slot (index = slot), keeping the occupied ones.
  init(totals: [UInt64], max: UInt64, minNonZero: UInt64) {
    var slots: [UInt16] = []
    var counts: [UInt32] = []
    for (slot, total) in totals.enumerated() where total > 0 {
      LatencyRecord.append(slot: slot, count: total, to: &slots, &counts)
    }
    self.init(slots: slots, counts: counts, max: max, minNonZero: minNonZero)
  }

  /// Appends `slot` with `count`, in pieces of at most `UInt32.max`.
  static func append(slot: Int, count: UInt64, to slots: inout [UInt16], _ counts: inout [UInt32]) {
    var left = count
    while left > 0 {
      let part = Swift.min(left, UInt64(UInt32.max))
      slots.append(UInt16(slot))
      counts.append(UInt32(part))
      left -= part
    }
  }

  public var totalCount: UInt64 { counts.reduce(0) { $0 &+ UInt64($1) } }

  /// (value, count) pairs that record into exactly this: each slot's count at its lowest
  /// value, except the raw maximum once and the raw minimum for the rest of its slot, so the
  /// histogram's minimum and maximum are the recorded ones.
  var pairs: (values: [UInt64], counts: [UInt64]) {
    var values: [UInt64] = []
    var out: [UInt64] = []
    guard totalCount > 0 else { return ([], []) }
    values.reserveCapacity(slots.count + 1)
    out.reserveCapacity(slots.count + 1)
    let maxSlot = LatencyRecorder.index(of: max)
    let minSlot = minNonZero > LatencyRecorder.highestTrackableValue ? -1 : LatencyRecorder.index(of: minNonZero)
    var maxPending = true
    for (slot16, count) in zip(slots, counts) {
      let slot = Int(slot16)
      var n = UInt64(count)
      if maxPending && slot == maxSlot && n > 0 {
        values.append(max)
        out.append(1)
        n -= 1
        maxPending = false
      }
      guard n > 0 else { continue }
      values.append(slot == minSlot ? minNonZero : LatencyRecorder.lowestValue(at: slot))
      out.append(n)
    }
    return (values, out)
  }

  /// The histogram direct recording would have built: same counts per bucket,
  /// same minimum and maximum. It reaches only as far as the maximum (and
  /// grows when merged), so an empty span costs a few bytes.
  public func histogram() -> Histogram<UInt64> {
    var histogram = Histogram<UInt64>(highestTrackableValue: Swift.max(2, max))
    histogram.autoResize = true
    let (values, counts) = pairs
    for (value, count) in zip(values, counts) { histogram.record(value, count: count) }
    return histogram
  }
}
