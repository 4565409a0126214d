import Foundation
import Testing

@testable import Analysis

/// Issue 10 #7: odd JSON gives a result or a clear error; zero noise is not certainty.
@Suite struct CompareHostileTests {
  func report(_ json: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("compare-\(UUID().uuidString).json").path
    try json.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func figuresNoReportCouldHoldAreRefusedByName() throws {
    for (json, shown) in [
      ("{\"figures\": {\"sending_finished_at\": 1e19}}", "1e+19"),
      ("{\"figures\": {\"delivered\": -1e300}}", "-1e+300"),
      (
        "{\"figures\": {\"delivered\": 1}, \"statistics\": {\"figures\": {\"delivered\": {\"values\": [1, 2e16]}}}}",
        "2e+16"
      ),
    ] {
      let path = try report(json)
      #expect {
        try Compare.readReport(path: path)
      } throws: { error in
        (error as? CompareError)?.reason.contains("is \(shown), outside what a campaign-sim report holds") == true
      }
    }
    // Tiny and odd-but-finite values are read as they are.
    let tiny = try Compare.readReport(
      path: try report("{\"figures\": {\"sending_finished_at\": 1e-320, \"x\": \"NaN\"}}"))
    #expect(tiny.names == ["sending_finished_at", "x"])
    #expect(tiny["sending_finished_at"]?.mean == 1e-320)
    #expect(tiny["x"]?.mean == nil)
  }

  @Test func hugeSpreadsDoNotTrapTheNoiseMargin() {
    let a = FigureStatistics(values: [-1e15, 1e15])
    let b = FigureStatistics(values: [1e15, -1e15, 1e15])
    #expect(Compare.noiseMargin(a, b).map { $0 > 0 } == true)
    let wild = Compare.compare(name: "delivered", baseline: a, current: b, tolerance: 0)
    #expect(wild.verdict == .withinNoise)
  }

  func verdict(_ baseline: [Double?], _ current: [Double?]) -> Verdict {
    Compare.compare(
      name: "sending_finished_at", baseline: FigureStatistics(values: baseline),
      current: FigureStatistics(values: current), tolerance: 0
    ).verdict
  }

  @Test func replicationsThatAllAgreeDoNotMakeATinyChangeARegression() {
    // Two replications each, every value equal: the noise estimate is zero. A 0.06 %
    // later finish is inside the 1 % floor, a 2 % later one is not.
    #expect(verdict([3600, 3600], [3602.16, 3602.16]) == .withinNoise)
    #expect(verdict([3600, 3600], [3672, 3672]) == .regressed)
    #expect(verdict([3600, 3600], [3602.16]) == .withinNoise)
    // Two single runs of the same seed stay exact: every difference is real.
    #expect(verdict([3600], [3602.16]) == .regressed)
  }
}
