import BenchHarness
import CampaignModel
import Foundation
import Testing

@Suite struct BenchTests {
  static func result(_ name: String, rates: [Double]) -> BenchScenarioResult {
    BenchScenarioResult(
      name: name, file: "\(name).yaml",
      samples: rates.map { BenchSample(wallSeconds: 1_000_000 / $0, events: 1, messages: 1_000_000, dispatches: 1) },
      peakRSSBytes: 0)
  }

  @Test func medianOfOddAndEvenCounts() {
    #expect(median([3, 1, 2]) == 2)
    #expect(median([4, 1, 3, 2]) == 2.5)
    #expect(median([]) == 0)
  }

  @Test func spreadIsRangeOverMedian() {
    let r = Self.result("a", rates: [90, 100, 110])
    #expect(abs(r.medianMessagesPerSecond - 100) < 1e-9)
    #expect(abs(r.spread - 0.2) < 1e-9)
  }

  @Test func verdictsAgainstABaseline() {
    let base = BenchReport(results: [
      Self.result("fast", rates: [100, 100, 100]), Self.result("slow", rates: [100, 100, 100]),
      Self.result("same", rates: [100, 100, 100]), Self.result("noisy", rates: [80, 100, 120]),
    ])
    let now = BenchReport(results: [
      Self.result("fast", rates: [120, 120, 120]), Self.result("slow", rates: [80, 80, 80]),
      Self.result("same", rates: [103, 103, 103]), Self.result("noisy", rates: [85, 85, 85]),
      Self.result("added", rates: [1, 1, 1]),
    ])
    let verdicts = Dictionary(
      uniqueKeysWithValues: BenchComparison.compare(baseline: base, current: now, threshold: 0.05).map {
        ($0.name, $0.verdict)
      })
    #expect(verdicts["fast"] == .improved)
    #expect(verdicts["slow"] == .regressed)
    #expect(verdicts["same"] == .withinNoise)  // 3 % < 5 % threshold
    #expect(verdicts["noisy"] == .withinNoise)  // −15 %, but the baseline's own spread is 40 %
    #expect(verdicts["added"] == .new)
  }

  @Test func savedReportsRoundTrip() throws {
    let report = BenchReport(results: [Self.result("a", rates: [1, 2, 3])])
    #expect(try BenchReport.load(report.json()) == report)
  }

  @Test func benchmarkRunsTheScenarioTheAskedNumberOfTimes() {
    let scenario = Scenario(
      name: "tiny", senders: [Sender(id: "s", throughputMPS: 100)],
      campaigns: [Campaign(id: "c", sender: "s", audience: 50)])
    var tick = 0.0
    let r = benchmark(
      scenario, file: "tiny.yaml", runs: 3,
      clock: {
        tick += 0.5; return tick
      }, peakRSS: { 7 })
    #expect(r.samples.count == 3)
    #expect(r.samples.allSatisfy { $0.messages == 50 && $0.dispatches == 50 && $0.wallSeconds == 0.5 })
    #expect(r.peakRSSBytes == 7)
    #expect(r.medianMessagesPerSecond == 100)
  }
}

/// Issue 12: `bench --threads` times one thread and several alternately and reports the ratio.
@Suite struct ScalingBenchTests {
  @Test func oneAndManyThreadsAlternateAndTheSpeedUpIsTheMedianRatio() throws {
    var now = 0.0
    var calls: [Int] = []
    // One thread takes 2 s, two threads 1.25 s, except one disturbed two-thread run of 9 s.
    let result = benchmarkScaling(name: "s", replications: 4, threads: 2, runs: 3, clock: { now }) { threads in
      calls.append(threads)
      now += threads == 1 ? 2 : (calls.count == 4 ? 9 : 1.25)
    }
    #expect(calls == [1, 2, 1, 2, 1, 2])
    #expect(result.oneThreadWalls == [2, 2, 2])
    #expect(result.manyThreadWalls == [1.25, 9, 1.25])
    #expect(result.speedUp == 1.6)
    // Saved and read back; a report without `scaling` (older) still loads.
    let data = try BenchReport(results: [], scaling: [result]).json()
    #expect(try BenchReport.load(data).scaling == [result])
    #expect(try BenchReport.load(Data(#"{"schema": "campaignsim.bench/1", "results": []}"#.utf8)).scaling == nil)
  }
}

/// Issue 10 #7: a saved bench report with impossible numbers is refused when loaded.
@Suite struct BenchReportCheckTests {
  func report(wall: String, messages: Int = 10) -> Data {
    Data(
      """
      {"schema": "campaignsim.bench/1", "results": [{"name": "a", "file": "a.yaml", "peakRSSBytes": 1,
        "samples": [{"wallSeconds": 1, "events": 1, "messages": 1, "dispatches": 1},
                    {"wallSeconds": \(wall), "events": 1, "messages": \(messages), "dispatches": 1}]}]}
      """.utf8)
  }

  @Test func subnormalAndZeroWallTimesAreRefusedWithTheSample() {
    for wall in ["1e-320", "0", "-1"] {
      #expect {
        try BenchReport.load(report(wall: wall))
      } throws: { error in
        (error as? BenchReportError)?.reason.hasPrefix("a, sample 2: wallSeconds is") == true
      }
    }
    #expect(throws: BenchReportError.self) { try BenchReport.load(report(wall: "1", messages: -5)) }
    #expect(throws: (any Error).self) { try BenchReport.load(report(wall: "1e400")) }
  }

  @Test func aPlausibleReportLoads() throws {
    let loaded = try BenchReport.load(report(wall: "0.5"))
    #expect(loaded.results[0].samples[1].messagesPerSecond == 20)
  }
}
