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
  /// histogram direct recording would.
  static let sparseLimit = 128

  // Header cells: total, maximum, minimum non-zero, the number of raw values
  // kept, the address of the slot counts (0 until allocated), then the raw
  // values. All behind one pointer, so recording is non-mutating and needs no
  // uniqueness check on the array the engine keeps recorders in.
  static let totalIndex = 0
  static let maxIndex = 1
  static let minIndex = 2
  static let sparseCountIndex = 3
  static let denseIndex = 4
  static let sparseBase = 5

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

  /// Keeps the raw value, or, once `sparseLimit` are kept, moves them into newly allocated slots.
  @inline(never)
  func recordSparse(_ value: UInt64) {
    let kept = Int(header[LatencyRecorder.sparseCountIndex])
    if kept < LatencyRecorder.sparseLimit {
      header[LatencyRecorder.sparseBase + kept] = Int64(value)
      header[LatencyRecorder.sparseCountIndex] = Int64(kept + 1)
      return
    }
    let counts = arena.allocateExtra(LatencyRecorder.slots)
    for i in 0..<kept { counts[LatencyRecorder.index(of: UInt64(header[LatencyRecorder.sparseBase + i]))] &+= 1 }
    header[LatencyRecorder.sparseCountIndex] = 0
    header[LatencyRecorder.denseIndex] = Int64(Int(bitPattern: counts))
    counts[LatencyRecorder.index(of: value)] &+= 1
  }

  /// The HdrHistogram holding everything recorded. Raw values are recorded as
  /// themselves; from slot counts, the raw maximum and minimum are recorded as
  /// themselves and every other value as its slot's lowest value, which
  /// HdrHistogram cannot tell apart. The histogram only reaches as far as the
  /// maximum (it grows when merged), so an idle span costs a few bytes, not 434 KB.
  public func histogram() -> Histogram<UInt64> {
    var histogram = Histogram<UInt64>(highestTrackableValue: Swift.max(2, total > 0 ? max : 0))
    histogram.autoResize = true
    guard total > 0 else { return histogram }
    guard let counts = dense else {
      for i in 0..<Int(header[LatencyRecorder.sparseCountIndex]) {
        histogram.record(UInt64(header[LatencyRecorder.sparseBase + i]))
      }
      return histogram
    }
    let maxSlot = LatencyRecorder.index(of: max)
    let minSlot = minNonZero > LatencyRecorder.highestTrackableValue ? -1 : LatencyRecorder.index(of: minNonZero)
    for slot in 0...maxSlot where counts[slot] > 0 {
      var n = UInt64(counts[slot])
      if slot == maxSlot {
        histogram.record(max)
        n -= 1
      }
      guard n > 0 else { continue }
      histogram.record(slot == minSlot ? minNonZero : LatencyRecorder.lowestValue(at: slot), count: n)
    }
    return histogram
  }
}
