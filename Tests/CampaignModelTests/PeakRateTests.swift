import CampaignModel
import SimKernel
import Testing

/// The busiest second of each time-series bucket: what a bucket's mean hides (issue 11 item 4).
@Suite struct PeakRateTests {
  /// 80 msg/s leaves every 12.5 ms: 800 messages go out in the first 10 s, 80 in each whole
  /// second. A 1-minute bucket's mean is 800 / 60 ≈ 13.3 msg/s; its busiest second holds 80.
  @Test func aBucketKeepsItsBusiestSecond() {
    var scenario = single(audience: 800, mps: 80)
    scenario.bucket = Time.minute
    let (result, _) = runChecked(scenario)
    let peaks = result.timeSeries.peakSendRate(campaign: 0, through: result.endedAt)
    let rows = result.timeSeries.rows(campaign: 0, audience: 800, through: result.endedAt)
    #expect(rows[0][TimeSeries.Column.sends.rawValue] == 800)
    #expect(peaks[0] == 80)
    #expect(peaks.dropFirst().allSatisfy { $0 == 0 })
  }

  /// Automatic widths start at 100 ms and coarsen as the run grows: 100 000 messages at
  /// 80 msg/s take 1 250 s, 240 buckets at most, so 10 s buckets. Coarsening keeps the
  /// largest second (80), where summing would give 800; sub-second buckets hold the
  /// second's running count, so the merge is exact from the first width on.
  @Test func coarseningKeepsTheLargestSecondNotTheSum() {
    let (result, _) = runChecked(single(audience: 100_000, mps: 80))
    #expect(result.timeSeries.bucketWidth == 10 * Time.second)
    let peaks = result.timeSeries.peakSendRate(campaign: 0, through: result.endedAt)
    #expect(peaks.count >= 125)
    #expect(peaks.prefix(125).allSatisfy { $0 == 80 }, "\(peaks.prefix(125).filter { $0 != 80 })")
  }

  /// Buckets shorter than a second: the rate is the bucket's own (8 sends per 100 ms = 80/s).
  @Test func subSecondBucketsGiveTheirOwnRate() {
    var scenario = single(audience: 800, mps: 80)
    scenario.bucket = 100 * Time.millisecond
    let (result, _) = runChecked(scenario)
    let peaks = result.timeSeries.peakSendRate(campaign: 0, through: result.endedAt)
    #expect(peaks.prefix(100).allSatisfy { abs($0 - 80) < 1e-9 })
  }
}
