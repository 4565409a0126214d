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
  // HdrHistogram's layout for 3 digits from 1: 2048 sub-buckets, the upper
  // 1024 of each further bucket used.
  static let subBucketHalfCountMagnitude = 10
  static let subBucketHalfCount = 1 << subBucketHalfCountMagnitude
  static let subBucketMask: UInt64 = 2047
  static let leadingZeroCountBase = 53
  static let slots = index(of: highestTrackableValue) + 1

  /// Values kept as they are before the slot counts are allocated. A campaign
  /// of a few hundred contacts never needs the 434 KB of slots (issue 10: each
  /// campaign cost 3.5 MB whatever its size), and raw values give exactly the
  /// histogram direct recording would. The first `sparseLimit` live in the
  /// header; past them the raw values move to a buffer that doubles up to
  /// `sparseCeiling` (128 KB, under a third of the slots), and only then to
  /// slots: 10 000 campaigns of 1 000 contacts took 13 GB when every span went
  /// to slots at 129 values (issue 12).
  static let sparseLimit = 128
  static let sparseCeiling = 16_384

  // Header cells: total, maximum, minimum non-zero, the number of raw values
  // kept, the address of the slot counts (0 until allocated), the address and
  // capacity of the raw-value buffer (0: the header's own cells), then the
  // first raw values. All behind one pointer, so recording is non-mutating and
  // needs no uniqueness check on the array the engine keeps recorders in.
  static let totalIndex = 0
  static let maxIndex = 1
  static let minIndex = 2
  static let sparseCountIndex = 3
  static let denseIndex = 4
  static let sparseBufferIndex = 5
  static let sparseCapacityIndex = 6
  static let sparseBase = 7

  let arena: CounterArena
  let header: UnsafeMutablePointer<Int64>

  public var total: Int { Int(header[LatencyRecorder.totalIndex]) }
  var max: UInt64 { UInt64(header[LatencyRecorder.maxIndex]) }
  var minNonZero: UInt64 { UInt64(header[LatencyRecorder.minIndex]) }
  var dense: UnsafeMutablePointer<Int64>? {
    UnsafeMutablePointer(bitPattern: Int(header[LatencyRecorder.denseIndex]))
  }

  public init() {
    arena = CounterArena(count: LatencyRecorder.sparseBase + LatencyRecorder.sparseLimit)
    header = arena.base
    header[LatencyRecorder.minIndex] = Int64(LatencyRecorder.highestTrackableValue) + 1
    header[LatencyRecorder.sparseCapacityIndex] = Int64(LatencyRecorder.sparseLimit)
  }

  /// Where the raw values are: the header's cells, or the buffer they outgrew them into.
  var sparseValues: UnsafeMutablePointer<Int64> {
    UnsafeMutablePointer(bitPattern: Int(header[LatencyRecorder.sparseBufferIndex]))
      ?? header + LatencyRecorder.sparseBase
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

  /// Keeps the raw value, growing the raw-value buffer up to `sparseCeiling`; past it, moves
  /// them into newly allocated slots.
  @inline(never)
  func recordSparse(_ value: UInt64) {
    let kept = Int(header[LatencyRecorder.sparseCountIndex])
    let capacity = Int(header[LatencyRecorder.sparseCapacityIndex])
    let values = sparseValues
    if kept < capacity {
      values[kept] = Int64(value)
      header[LatencyRecorder.sparseCountIndex] = Int64(kept + 1)
      return
    }
    let owned = header[LatencyRecorder.sparseBufferIndex] != 0 ? values : nil
    if capacity < LatencyRecorder.sparseCeiling {
      let grown = arena.allocateExtra(capacity * 2)
      grown.update(from: values, count: kept)
      if let owned { arena.free(owned) }
      grown[kept] = Int64(value)
      header[LatencyRecorder.sparseBufferIndex] = Int64(Int(bitPattern: grown))
      header[LatencyRecorder.sparseCapacityIndex] = Int64(capacity * 2)
      header[LatencyRecorder.sparseCountIndex] = Int64(kept + 1)
      return
    }
    let counts = arena.allocateExtra(LatencyRecorder.slots)
    for i in 0..<kept { counts[LatencyRecorder.index(of: UInt64(values[i]))] &+= 1 }
    if let owned { arena.free(owned) }
    header[LatencyRecorder.sparseBufferIndex] = 0
    header[LatencyRecorder.sparseCountIndex] = 0
    header[LatencyRecorder.denseIndex] = Int64(Int(bitPattern: counts))
    counts[LatencyRecorder.index(of: value)] &+= 1
  }

  /// Frees the raw-value buffer or slots and leaves the recorder empty. The engine calls it on
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

  /// What this recorder holds, frozen for a run's result. Raw values are kept
  /// as themselves; from slot counts, the raw maximum and minimum are kept as
  /// themselves and every other value as its slot's lowest value, which
  /// HdrHistogram cannot tell apart.
  public func frozen() -> LatencyRecord {
    var values: [UInt64] = []
    var counts: [UInt64] = []
    guard total > 0 else { return LatencyRecord(values: [], counts: []) }
    guard let slots = dense else {
      let kept = Int(header[LatencyRecorder.sparseCountIndex])
      let raw = sparseValues
      values = (0..<kept).map { UInt64(raw[$0]) }
      return LatencyRecord(values: values, counts: Array(repeating: 1, count: kept))
    }
    let maxSlot = LatencyRecorder.index(of: max)
    let minSlot = minNonZero > LatencyRecorder.highestTrackableValue ? -1 : LatencyRecorder.index(of: minNonZero)
    for slot in 0...maxSlot where slots[slot] > 0 {
      var n = UInt64(slots[slot])
      if slot == maxSlot {
        values.append(max)
        counts.append(1)
        n -= 1
      }
      guard n > 0 else { continue }
      values.append(slot == minSlot ? minNonZero : LatencyRecorder.lowestValue(at: slot))
      counts.append(n)
    }
    return LatencyRecord(values: values, counts: counts)
  }

  /// The HdrHistogram holding everything recorded.
  public func histogram() -> Histogram<UInt64> { frozen().histogram() }
}

/// A latency distribution as a run's result keeps it: the (value, count)
/// pairs to record, a few bytes per distinct value. Each campaign kept a full
/// HdrHistogram before, 100–400 KB of slots whatever its size (issue 10); the
/// histogram is now built when a report asks for it.
public struct LatencyRecord: Sendable, Equatable {
  let values: [UInt64]
  let counts: [UInt64]

  public var totalCount: UInt64 { counts.reduce(0, &+) }

  /// The histogram direct recording would have built: same counts per bucket,
  /// same minimum and maximum. It reaches only as far as the maximum (and
  /// grows when merged), so an empty span costs a few bytes.
  public func histogram() -> Histogram<UInt64> {
    var histogram = Histogram<UInt64>(highestTrackableValue: Swift.max(2, values.max() ?? 0))
    histogram.autoResize = true
    for (value, count) in zip(values, counts) { histogram.record(value, count: count) }
    return histogram
  }
}
