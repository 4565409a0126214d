import CampaignModel
import Foundation
import SimKernel

/// `timeseries.csv` and `outcomes.csv`: the report's figures for spreadsheets
/// and scripts, written by `CSV` (RFC 4180 quoting).
/// Every row starts with the replication index, so several runs share one file.
public enum CSVReport {
  /// One row per time bucket per campaign (the report's own bucket width, every
  /// bucket through the end of the run): flows per bucket, states at its end.
  public static func timeSeries(_ results: [RunResult]) -> String {
    var header = ["replication", "campaign", "bucket_start_s", "bucket_end_s"]
    header += TimeSeries.Column.allCases.map { "\($0)" }
    header += MessageState.allCases.map { "\($0)" }
    let platform = results.first?.scenario.usesPlatformDynamics ?? false
    if platform { header.append("limit") }
    var out = CSV.row(header)
    for result in results {
      let width = result.timeSeries.bucketWidth
      for (index, campaign) in result.campaigns.enumerated() {
        let rows = result.timeSeries.rows(campaign: index, audience: campaign.audience, through: result.endedAt)
        for (bucket, row) in rows.enumerated() {
          var cells = [
            "\(result.replication)", campaign.id, seconds(SimTime(bucket) * width),
            seconds(SimTime(bucket + 1) * width),
          ]
          cells += row.map { String($0) }
          if platform { cells.append(limitCell(result.limit(at: SimTime(bucket + 1) * width - 1))) }
          out += CSV.row(cells)
        }
      }
    }
    return out
  }

  /// One row per campaign: its end state, final message states, failure
  /// reasons, errors by code and messages by number of attempts.
  public static func outcomes(_ results: [RunResult]) -> String {
    let maxAttempts = results.flatMap { $0.campaigns.map(\.attempts.count) }.max() ?? 0
    var header = [
      "replication", "campaign", "sender", "state", "messages", "sending_started_at_s", "sending_finished_at_s",
    ]
    header += MessageState.allCases.map { "\($0)" }
    header += (results.first?.reportedFailureReasons ?? FailureReason.v1).map { "reason_\($0)" }
    header += ErrorCode.reportOrder.map { "error_\($0.rawValue)" }
    let platform = results.first?.scenario.usesPlatformDynamics ?? false
    if platform { header += platformOutcomeHeader }
    header += (0..<maxAttempts).map { "attempts_\($0)" }
    var out = CSV.row(header)
    for result in results {
      for c in result.campaigns {
        var cells = [
          "\(result.replication)", c.id, c.sender, c.state.rawValue, "\(c.audience)",
          c.firstDispatchAt.map(seconds) ?? "", c.sendingFinishedAt.map(seconds) ?? "",
        ]
        cells += c.finalStates.map { String($0) }
        cells += result.reportedFailureReasons.map { String(c.count($0)) }
        cells += c.errors.map { String($0) }
        if platform { cells += platformOutcomeCells(result, c) }
        cells += (0..<maxAttempts).map { $0 < c.attempts.count ? String(c.attempts[$0]) : "0" }
        out += CSV.row(cells)
      }
    }
    return out
  }

  /// Exact seconds from microseconds: `1800`, `0.25`, `33.3`.
  static func seconds(_ t: SimTime) -> String {
    let whole = t / Time.second
    var fraction = String(t % Time.second)
    guard fraction != "0" else { return String(whole) }
    fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return "\(whole).\(fraction)"
  }
}
