import Histogram
import SimKernel
import Testing

@testable import CampaignModel

@Suite struct LatencyRecorderTests {
  /// Everything the reports read from a histogram.
  static func summary(_ h: Histogram<UInt64>) -> [UInt64] {
    [h.totalCount, h.min, h.max, h.maxRecorded, h.minNonZero]
      + [0, 1, 10, 50, 90, 99, 99.9, 99.99, 100].map { h.valueAtPercentile($0) } + [UInt64(h.mean * 1000)]
  }

  func check(_ values: [UInt64]) {
    var direct = Histogram<UInt64>(highestTrackableValue: LatencyRecorder.highestTrackableValue)
    let recorder = LatencyRecorder()
    for v in values {
      direct.record(v)
      recorder.record(v)
    }
    #expect(Self.summary(recorder.histogram()) == Self.summary(direct))
  }

  @Test func slotLayoutMatchesHdrHistogram() {
    let h = Histogram<UInt64>(highestTrackableValue: LatencyRecorder.highestTrackableValue)
    let stream = RandomStream(seed: 21)
    for i in 0..<20_000 {
      let v = stream.bits(UInt64(i)) >> (stream.bits(UInt64(i) + 1_000_000) % 63 + 2)
      let low = LatencyRecorder.lowestValue(at: LatencyRecorder.index(of: v))
      #expect(low == h.lowestEquivalentForValue(v), "\(v)")
    }
  }

  @Test func givesTheSameHistogramAsDirectRecording() {
    let stream = RandomStream(seed: 22)
    // Latency-like: exponential and log-normal microseconds, zeros, bucket-0 values, huge ones.
    let exponential = Distribution.exponential(mean: 5_000_000).sampler
    let lognormal = Distribution.lognormal(median: 600_000_000, p90: 21_600_000_000).sampler
    check((0..<50_000).map { UInt64(exponential.sample(stream.openUniform(UInt64($0)))) })
    check((0..<50_000).map { UInt64(lognormal.sample(stream.openUniform(UInt64($0) + 100_000))) })
    // Past `sparseCeiling` slot indices the recorder moves to slot counts.
    check((0..<70_000).map { UInt64(exponential.sample(stream.openUniform(UInt64($0) + 300_000))) })
    check([0, 0, 0])
    check([0, 5, 2047, 2048, 2049, 1 << 40, (1 << 40) + 12_345])
    check([7])
    check([123_456_789, 123_456_789, 123_456_790])
    check([])
  }

  /// `LatencyRecord.summary` (from the pairs) gives what the histogram gives, alone and merged.
  @Test func summaryFromThePairsEqualsTheHistograms() {
    let stream = RandomStream(seed: 23)
    let exponential = Distribution.exponential(mean: 5_000_000).sampler
    let lognormal = Distribution.lognormal(median: 600_000_000, p90: 21_600_000_000).sampler
    let inputs: [[UInt64]] = [
      (0..<50_000).map { UInt64(exponential.sample(stream.openUniform(UInt64($0)))) },
      (0..<70_000).map { UInt64(exponential.sample(stream.openUniform(UInt64($0) + 300_000))) },  // dense
      (0..<300).map { UInt64(lognormal.sample(stream.openUniform(UInt64($0) + 100_000))) },  // sparse
      [0, 0, 0], [0, 5, 2047, 2048, 2049, 1 << 40, (1 << 40) + 12_345], [7], [3, 1, 2],
      [123_456_789, 123_456_789, 123_456_790], [],
    ]
    let percentiles = [50.0, 90, 99, 1, 99.99]
    var records: [LatencyRecord] = []
    for values in inputs {
      let recorder = LatencyRecorder()
      for v in values { recorder.record(v) }
      let record = recorder.frozen()
      records.append(record)
      let h = record.histogram()
      let summary = record.summary(at: percentiles)
      if values.isEmpty {
        #expect(summary == nil)
        continue
      }
      #expect(summary?.values == Percentiles.values(h, at: percentiles), "\(values.prefix(5))")
      #expect(summary?.max == h.max)
    }
    var merged = records[0].histogram()
    for r in records.dropFirst() { merged.add(r.histogram()) }
    let summary = LatencyRecord.merged(records).summary(at: percentiles)
    #expect(summary?.values == Percentiles.values(merged, at: percentiles))
    #expect(summary?.max == merged.max)
  }

  /// A record keeps slot counts, not values: (value, count) pairs rebuild it exactly, counts past
  /// `UInt32.max` are split, and a recorder's record equals the one its values' pairs give.
  @Test func aRecordIsItsSlotCounts() {
    let values: [UInt64] = [0, 5, 5, 2047, 2048, 2049, 1 << 40, (1 << 40) + 12_345, 7]
    let recorder = LatencyRecorder()
    for v in values { recorder.record(v) }
    let frozen = recorder.frozen()
    #expect(frozen == LatencyRecord(values: values, counts: values.map { _ in 1 }))
    // 5 and 5 share a slot; so do 2048 and 2049 (2-wide slots past 2047), and 2⁴⁰ and
    // 2⁴⁰ + 12 345 (2⁴⁰ / 1024 wide there): six slots for nine values.
    #expect(frozen.slots.count == 6)
    #expect(frozen.max == (1 << 40) + 12_345 && frozen.minNonZero == 5)
    let pairs = frozen.pairs
    #expect(LatencyRecord(values: pairs.values, counts: pairs.counts) == frozen)

    let huge = LatencyRecord(values: [1000, 3], counts: [5_000_000_000, 1])
    #expect(huge.totalCount == 5_000_000_001)
    #expect(huge.counts.allSatisfy { $0 <= UInt32.max } && huge.slots.count == 3)
    #expect(huge.histogram().totalCount == 5_000_000_001 && huge.histogram().max == 1000)
    #expect(huge.histogram().min == 3)
  }
}
