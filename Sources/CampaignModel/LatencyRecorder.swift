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

  // Slot counts, then the total, the maximum and the minimum non-zero value:
  // all behind one pointer, so recording is non-mutating and needs no
  // uniqueness check on the array the engine keeps recorders in.
  let arena: CounterArena
  let counts: UnsafeMutablePointer<Int64>
  private var totalCell: UnsafeMutablePointer<Int64> { counts + LatencyRecorder.slots }
  private var maxCell: UnsafeMutablePointer<Int64> { counts + LatencyRecorder.slots + 1 }
  private var minCell: UnsafeMutablePointer<Int64> { counts + LatencyRecorder.slots + 2 }

  public var total: Int { Int(totalCell.pointee) }
  var max: UInt64 { UInt64(maxCell.pointee) }
  var minNonZero: UInt64 { UInt64(minCell.pointee) }

  public init() {
    arena = CounterArena(count: LatencyRecorder.slots + 3)
    counts = arena.base
    minCell.pointee = Int64(LatencyRecorder.highestTrackableValue) + 1
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
    counts[LatencyRecorder.index(of: value)] &+= 1
    totalCell.pointee &+= 1
    let signed = Int64(value)
    if signed > maxCell.pointee { maxCell.pointee = signed }
    if signed != 0 && signed < minCell.pointee { minCell.pointee = signed }
  }

  /// The HdrHistogram holding everything recorded. The raw maximum and
  /// minimum are recorded as themselves, every other value as its slot's
  /// lowest value, which HdrHistogram cannot tell apart.
  public func histogram() -> Histogram<UInt64> {
    var histogram = Histogram<UInt64>(highestTrackableValue: LatencyRecorder.highestTrackableValue)
    guard total > 0 else { return histogram }
    let maxSlot = LatencyRecorder.index(of: max)
    let minSlot = minNonZero > LatencyRecorder.highestTrackableValue ? -1 : LatencyRecorder.index(of: minNonZero)
    for slot in 0..<LatencyRecorder.slots where counts[slot] > 0 {
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
