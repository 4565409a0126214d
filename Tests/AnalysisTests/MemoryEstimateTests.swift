import CampaignModel
import ScenarioFormat
import SimKernel
import Testing

@testable import Analysis

/// Issue 10 #4: memory follows what a run holds, and a run that cannot fit is refused first.
@Suite struct MemoryEstimateTests {
  @Test func automaticBucketsShrinkOnlyPastAThousandCampaigns() {
    #expect(TimeSeries.capacity(campaignCount: 1, width: nil, horizon: Time.day) == 240)
    #expect(TimeSeries.capacity(campaignCount: 1000, width: nil, horizon: Time.day) == 240)
    #expect(TimeSeries.capacity(campaignCount: 10_000, width: nil, horizon: Time.day) == 24)
    #expect(TimeSeries.capacity(campaignCount: 65_535, width: nil, horizon: Time.day) == 3)
    // A fixed width covers the whole horizon: 4 days of 1 s buckets, both ends included.
    #expect(TimeSeries.capacity(campaignCount: 100, width: Time.second, horizon: 4 * Time.day) == 345_601)
  }

  static func scenario(campaigns: Int, bucket: SimTime? = nil) -> Scenario {
    Scenario(
      senders: [Sender(id: "s")],
      campaigns: (0..<campaigns).map { Campaign(id: "c\($0)", sender: "s", audience: 10) },
      bucket: bucket)
  }

  @Test func theLargestPartNamesTheKeyThatDrivesIt() throws {
    let fine = MemoryEstimate(Self.scenario(campaigns: 100, bucket: Time.second), concurrent: 1, keptRuns: 1)
    #expect(fine.largest?.key == "report.bucket")
    let message = try #require(fine.refusal(budget: 1 << 30, budgetSource: "--memory-budget"))
    #expect(message.hasPrefix("at 'report.bucket': this run would need about "))
    #expect(message.contains("over the budget of 1.0 GiB (--memory-budget)"))
    #expect(message.contains("345601 buckets of 1s over the horizon × 100 campaigns"))

    let many = MemoryEstimate(Self.scenario(campaigns: 10_000), concurrent: 1, keptRuns: 1)
    #expect(many.largest?.key == "campaigns")
    // 10 000 small campaigns fit well under 512 MiB now (they used to ask for 23 GB).
    #expect(many.refusal(budget: 512 << 20, budgetSource: "test") == nil)

    var limited = Self.scenario(campaigns: 1)
    limited.campaigns[0].audience = 1_000_000_000
    limited.messagingLimit = 100_000
    limited.senders[0].throughputMPS = 1000
    let waiting = MemoryEstimate(limited, concurrent: 1, keptRuns: 1)
    #expect(waiting.largest?.key == "business.messaging_limit")
    // 1000 msg/s refused for the 12 h backoff: 43.2 M messages × 32 bytes.
    #expect(waiting.largest.map { $0.bytes - 43_200_000 * 32 } == 0, "\(String(describing: waiting.largest?.bytes))")
  }

  @Test func keptReplicationsCount() {
    let one = MemoryEstimate(Self.scenario(campaigns: 500), concurrent: 2, keptRuns: 2)
    let many = MemoryEstimate(Self.scenario(campaigns: 500), concurrent: 2, keptRuns: 50)
    #expect(one.parts.map(\.key) == ["campaigns", "campaigns"])
    #expect(many.parts.map(\.key) == ["campaigns", "campaigns", "replications"])
    #expect(many.bytes > one.bytes)
  }

  @Test func sizesParseAndPrintBack() {
    #expect(ByteSize.parse("512MiB") == 536_870_912)
    #expect(ByteSize.parse("2GiB") == 2_147_483_648)
    #expect(ByteSize.parse("1.5GB") == 1_500_000_000)
    #expect(ByteSize.parse("4096") == 4096)
    #expect(ByteSize.parse("0") == nil)
    #expect(ByteSize.parse("-1GiB") == nil)
    #expect(ByteSize.parse("lots") == nil)
    #expect(ByteSize.parse("1e30") == nil)
    #expect(ByteSize.format(536_870_912) == "512MiB")
    #expect(ByteSize.format(1_500_000_000) == "1500000000")
  }
}
