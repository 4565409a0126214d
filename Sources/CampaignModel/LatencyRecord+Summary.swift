import Histogram

/// Percentiles straight from a record's (value, count) pairs, without building its histogram.
///
/// Why: a report of 10 000 campaigns built 40 000 HdrHistograms (tens of thousands of slots
/// each) and walked each one for its figures: most of the time of such a run. The pairs are a
/// few per distinct value, and HdrHistogram's answer depends only on its bucket arithmetic,
/// which `shape` carries without slots.
extension LatencyRecord {
  /// A histogram with the layout `histogram()` uses, for its bucket arithmetic only.
  static let shape = Histogram<UInt64>(highestTrackableValue: 2)

  /// The `percentiles` (each in (0, 100)) and the maximum: exactly `Percentiles.values(
  /// histogram(), at: percentiles)` and `histogram().max` (tested); nil without samples.
  ///
  /// - Complexity: O(n log n) in the number of occupied slots.
  public func summary(at percentiles: [Double]) -> (values: [UInt64], max: UInt64)? {
    let total = totalCount
    guard total > 0 else { return nil }
    let (values, counts) = pairs
    let order = values.indices.sorted { values[$0] < values[$1] }
    let high = values[order.last!]
    // HdrHistogram's `min`: 0 when 0 was recorded, else the smallest value recorded.
    let low = values[order.first!]
    var targets: [(count: UInt64, slot: Int)] = percentiles.enumerated().map { slot, p in
      let requested = Swift.min(Swift.max(p.nextDown, 0), 100)
      return (Swift.max(1, UInt64((requested * Double(total) / 100).rounded(.up))), slot)
    }
    targets.sort { $0.count < $1.count }
    var out = Array(repeating: UInt64(0), count: percentiles.count)
    var next = 0
    var cumulative: UInt64 = 0
    for index in order where next < targets.count {
      cumulative += counts[index]
      // Every value of a bucket reports the bucket's top, so which value of the bucket the
      // count is reached at does not matter.
      let reported = Swift.max(Swift.min(Self.shape.highestEquivalentForValue(values[index]), high), low)
      while next < targets.count && cumulative >= targets[next].count {
        out[targets[next].slot] = reported
        next += 1
      }
    }
    return (out, high == 0 ? 0 : Self.shape.highestEquivalentForValue(high))
  }

  /// The records of several campaigns as one: what merging their histograms gives.
  ///
  /// Counts are added slot by slot, so the result holds each occupied slot once: the
  /// business-wide latency of 10 000 campaigns is a few thousand slots, not their 25 M
  /// concatenated pairs (issue 12).
  /// - Complexity: O(pairs + slots up to the largest maximum).
  public static func merged(_ records: [LatencyRecord]) -> LatencyRecord {
    let max = records.map(\.max).max() ?? 0
    let minNonZero = records.map(\.minNonZero).min() ?? LatencyRecorder.noMinimum
    guard records.contains(where: { !$0.slots.isEmpty }) else {
      return LatencyRecord(max: max, minNonZero: minNonZero)
    }
    var totals = Array(repeating: UInt64(0), count: LatencyRecorder.index(of: max) + 1)
    for record in records {
      for (slot, count) in zip(record.slots, record.counts) { totals[Int(slot)] += UInt64(count) }
    }
    return LatencyRecord(totals: totals, max: max, minNonZero: minNonZero)
  }
}
