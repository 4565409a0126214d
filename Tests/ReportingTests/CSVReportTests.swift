import CampaignModel
import Foundation
import Reporting
import SimKernel
import Testing

@Suite struct CSVReportTests {
  static let result = Simulation(scenario: busyScenario()).run()

  /// Splits one CSV line, honouring quoted fields with doubled quotes (RFC 4180).
  static func fields(_ line: Substring) -> [String] {
    var fields: [String] = []
    var current = ""
    var quoted = false
    var i = line.startIndex
    while i < line.endIndex {
      let ch = line[i]
      let next = line.index(after: i)
      if quoted {
        if ch == "\"" {
          if next < line.endIndex && line[next] == "\"" {
            current.append("\"")
            i = line.index(after: next)
            continue
          }
          quoted = false
        } else {
          current.append(ch)
        }
      } else if ch == "\"" {
        quoted = true
      } else if ch == "," {
        fields.append(current)
        current = ""
      } else {
        current.append(ch)
      }
      i = next
    }
    fields.append(current)
    return fields
  }

  @Test func timeSeriesHasOneRowPerBucketPerCampaignAndAddsUp() throws {
    let text = CSVReport.timeSeries([Self.result])
    let lines = text.split(separator: "\n")
    let header = Self.fields(lines[0])
    #expect(
      header
        == ["replication", "campaign", "bucket_start_s", "bucket_end_s", "sends", "acceptances", "errors"]
        + MessageState.allCases.map { "\($0)" })
    let buckets = Self.result.timeSeries.bucketCount(through: Self.result.endedAt)
    #expect(lines.count == 1 + buckets * Self.result.campaigns.count)
    let rows = lines.dropFirst().map(Self.fields)
    #expect(rows.allSatisfy { $0.count == header.count })
    #expect(Set(rows.map { $0[1] }) == ["promo", "vip, \"gold\""], "the quoted campaign id reads back")
    #expect(rows.reduce(0) { $0 + Int($1[4])! } == Self.result.dispatches)
    for (index, campaign) in Self.result.campaigns.enumerated() {
      let mine = rows.filter { $0[1] == campaign.id }
      #expect(mine.count == buckets)
      // Every bucket's states add up to the audience; the last is the final state.
      for row in mine { #expect(row[7...].reduce(0) { $0 + Int($1)! } == campaign.audience) }
      #expect(mine.last![7...].map { Int($0)! } == campaign.finalStates, "campaign \(index)")
      #expect(mine.first![2] == "0")
    }
    let width = CSVReportTests.seconds(Self.result.timeSeries.bucketWidth)
    #expect(rows[0][3] == width)
  }

  static func seconds(_ t: SimTime) -> String {
    t % Time.second == 0 ? "\(t / Time.second)" : "\(Double(t) / 1e6)"
  }

  @Test func outcomesHasOneRowPerCampaignWithEveryFigure() throws {
    let text = CSVReport.outcomes([Self.result])
    let lines = text.split(separator: "\n")
    #expect(lines.count == 1 + Self.result.campaigns.count)
    let header = Self.fields(lines[0])
    for name in [
      "replication", "campaign", "state", "messages", "sending_finished_at_s", "blocked_or_spam",
      "reason_messaging_limit", "error_131049", "attempts_0", "attempts_4",
    ] {
      #expect(header.contains(name), "\(name)")
    }
    for (row, campaign) in zip(lines.dropFirst().map(Self.fields), Self.result.campaigns) {
      #expect(row.count == header.count)
      #expect(row[1] == campaign.id)
      #expect(Int(row[header.firstIndex(of: "error_131049")!]) == campaign.errorCount(.messagingLimit))
      #expect(Int(row[header.firstIndex(of: "delivered")!]) == campaign.count(.delivered))
      #expect(Int(row[header.firstIndex(of: "reason_expired")!]) == campaign.count(.expired))
    }
  }

  @Test func replicationsShareOneFile() {
    let scenario = busyScenario()
    let runs = [
      Simulation(scenario: scenario, replication: 0).run(), Simulation(scenario: scenario, replication: 1).run(),
    ]
    let text = CSVReport.outcomes(runs)
    let lines = text.split(separator: "\n")
    #expect(lines.count == 1 + 2 * scenario.campaigns.count)
    #expect(lines.dropFirst().map { $0.prefix(2) } == ["0,", "0,", "1,", "1,"])
    let series = CSVReport.timeSeries(runs).split(separator: "\n")
    let buckets = runs.map { $0.timeSeries.bucketCount(through: $0.endedAt) * scenario.campaigns.count }
    #expect(series.count == 1 + buckets.reduce(0, +))
  }

  @Test func sameRunSameBytes() {
    let again = Simulation(scenario: busyScenario()).run()
    #expect(CSVReport.timeSeries([again]) == CSVReport.timeSeries([Self.result]))
    #expect(CSVReport.outcomes([again]) == CSVReport.outcomes([Self.result]))
  }
}
