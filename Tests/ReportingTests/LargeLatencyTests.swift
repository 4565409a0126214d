import Testing

@testable import CampaignModel
@testable import Reporting

/// Issue 10 #1: latencies whose sum passes 2^64 µs must still give percentiles.
@Suite struct LargeLatencyTests {
  /// 25 000 latencies of 10 000 days: 25 000 × 8.64e14 µs = 2.16e19 > 2^64 ≈ 1.845e19.
  static func hugeRecorder() -> LatencyRecorder {
    let recorder = LatencyRecorder()
    let tenThousandDays: UInt64 = 10_000 * 86_400 * 1_000_000
    for _ in 0..<24_999 { recorder.record(tenThousandDays) }
    recorder.record(1_000)
    return recorder
  }

  @Test func percentilesOfLatenciesSummingPast64BitsDoNotTrap() {
    let histogram = Self.hugeRecorder().histogram()
    #expect(histogram.totalCount == 25_000)
    let percentiles = [0, 0.001, 0.004, 0.005, 50, 90, 99, 100]
    let values = Percentiles.values(histogram, at: percentiles)
    #expect(values == percentiles.map { histogram.valueAtPercentile($0) })
    // 0.004 % of 25 000 is one value: the single 1 ms one (its own bucket at this size).
    #expect(values[2] == 1_000)
    // The rest sit in the 10 000-day bucket; three significant digits put its top
    // within 0.1 % of the value, and the max is the value itself.
    let tenThousandDays = 864_000_000_000_000.0
    #expect(abs(Double(values[4]) - tenThousandDays) / tenThousandDays < 0.001)
    #expect(values[7] == 864_000_000_000_000)
  }

  @Test func everyReportFormatRendersHugeLatencies() {
    var result = Simulation(scenario: busyScenario()).run()
    result.campaigns[0].latencyRecords = Array(
      repeating: Self.hugeRecorder().frozen(), count: LatencySpan.allCases.count)
    let files = ReportFiles.render([result], engine: nil)
    #expect(files.map(\.name) == ["report.json", "report.md", "report.html", "timeseries.csv", "outcomes.csv"])
    #expect(files.allSatisfy { !$0.contents.isEmpty })
  }
}

@Suite struct HugeFigureFormatTests {
  @Test func figuresBeyondSimulatedTimeStillPrint() {
    #expect(Format.figure(1e19, name: "sending_finished_at") == "10000000000000000000s")
    #expect(Format.figure(-1e19, name: "sending_finished_at") == "-10000000000000000000s")
    #expect(Format.figure(1e-320, name: "sending_finished_at") == "0ms")
    #expect(Format.figure(.nan, name: "delivered") == "-")
    #expect(Format.count(rounding: 1e30) == "1.000e+30")
    #expect(Format.count(rounding: .infinity) == "inf")
    #expect(Format.count(rounding: 1_234_567.4) == "1,234,567")
  }
}
