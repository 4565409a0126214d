import Histogram

/// Many percentiles of one histogram in a single pass over its recorded
/// values. `Histogram.valueAtPercentile` walks the whole counts array (tens of
/// thousands of slots) on every call, and a percentile curve needs hundreds.
/// The values are exactly those `valueAtPercentile` returns (tested).
enum Percentiles {
  static func values(_ histogram: Histogram<UInt64>, at percentiles: [Double]) -> [UInt64] {
    guard histogram.totalCount > 0 else { return percentiles.map { _ in 0 } }
    let total = histogram.totalCount
    let (low, high) = (histogram.min, histogram.maxRecorded)
    var out = Array(repeating: UInt64(0), count: percentiles.count)
    // The count each percentile must reach, as valueAtPercentile rounds it.
    var targets: [(count: UInt64, slot: Int)] = []
    for (slot, p) in percentiles.enumerated() {
      if p == 0 {
        out[slot] = low
      } else if p >= 100 {
        out[slot] = high
      } else {
        let requested = Swift.min(Swift.max(p.nextDown, 0), 100)
        targets.append((Swift.max(1, UInt64((requested * Double(total) / 100).rounded(.up))), slot))
      }
    }
    targets.sort { $0.count < $1.count }
    var next = 0
    var cumulative: UInt64 = 0
    for step in histogram.recordedValues() where next < targets.count {
      cumulative += UInt64(step.count)
      let value = Swift.max(Swift.min(histogram.highestEquivalentForValue(step.value), high), low)
      while next < targets.count && cumulative >= targets[next].count {
        out[targets[next].slot] = value
        next += 1
      }
    }
    return out
  }
}
