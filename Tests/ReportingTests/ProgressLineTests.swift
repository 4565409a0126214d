import CampaignModel
import Reporting
import SimKernel
import Testing

@Suite struct ProgressLineTests {
  static func progress(now: SimTime, settled: Int, messages: Int = 10_000_000) -> Simulation.Progress {
    Simulation.Progress(now: now, horizon: 3 * Time.day, settled: settled, messages: messages, events: 0)
  }

  @Test func showsTimeSettledShareRateAndETA() {
    #expect(
      ProgressLine.text(Self.progress(now: 3 * Time.hour, settled: 1_234_567), elapsed: 2)
        == "simulated 3h of 3d | 1,234,567 of 10,000,000 messages settled (12.35%) | 617,284 settled/s | ETA 14s")
  }

  @Test func neverRoundsAnUnfinishedRunUpToAllSettled() {
    let line = ProgressLine.text(Self.progress(now: Time.day, settled: 9_999_999), elapsed: 100)
    #expect(line.contains("9,999,999 of 10,000,000 messages settled (>99.99%)"), "\(line)")
    #expect(line.hasSuffix("ETA 0s"), "\(line)")
  }

  @Test func beforeAnythingSettlesThereIsNoETA() {
    #expect(
      ProgressLine.text(Self.progress(now: 90 * Time.second, settled: 0), elapsed: 1.5)
        == "simulated 1m 30s of 3d | 0 of 10,000,000 messages settled (0.00%) | 0 settled/s | ETA -")
  }

  @Test func anETAPastAYearIsNotShown() {
    let line = ProgressLine.text(Self.progress(now: Time.hour, settled: 1, messages: 1_000_000_000), elapsed: 60)
    #expect(line.contains("(<0.01%)"), "\(line)")
    #expect(line.hasSuffix("ETA -"), "\(line)")
  }

  @Test func everythingSettledIsAllAndDone() {
    #expect(
      ProgressLine.text(Self.progress(now: 2 * Time.day, settled: 500, messages: 500), elapsed: 4)
        == "simulated 2d of 3d | 500 of 500 messages settled (100.00%) | 125 settled/s | ETA 0s")
  }

  @Test func aNarrowTerminalGetsTheShortLineThenACutOne() {
    let p = Self.progress(now: 3 * Time.hour, settled: 1_234_567)
    #expect(
      ProgressLine.text(p, elapsed: 2, width: 79)
        == "simulated 3h of 3d | 12.35% settled | 617,284 settled/s | ETA 14s")
    #expect(ProgressLine.text(p, elapsed: 2, width: 30) == "simulated 3h of 3d | 12.35% se")
    #expect(ProgressLine.text(p, elapsed: 2, width: 200).contains("1,234,567 of 10,000,000"))
  }
}
