import CampaignModel
import SimKernel

/// The CSV columns of MODEL.md §9, only for scenarios that use it: the limit in force per bucket
/// in timeseries.csv; reports, errors by kind and the run's limit story in outcomes.csv.
extension CSVReport {
  static let platformOutcomeHeader =
    ["reports"] + ErrorKind.allCases.map { "errors_\($0)" } + [
      "final_limit", "unlimited_at_s", "limit_upgrades", "limit_upgrade_times_s", "limit_upgrade_tiers",
    ]

  /// A limit as a cell: a count, or `unlimited`.
  static func limitCell(_ limit: Int?) -> String { limit.map { String($0) } ?? "unlimited" }

  /// The run-level cells repeat on each campaign's row, so every row stands alone in a spreadsheet.
  /// Upgrade times and tiers are `;`-separated lists in time order.
  static func platformOutcomeCells(_ result: RunResult, _ c: CampaignResult) -> [String] {
    [String(c.reports)] + ErrorKind.allCases.map { String(c.errorCount(kind: $0)) } + [
      limitCell(result.finalLimit), result.unlimitedFrom.map(seconds) ?? "", String(result.limitChanges.count),
      result.limitChanges.map { seconds($0.at) }.joined(separator: ";"),
      result.limitChanges.map { limitCell($0.to) }.joined(separator: ";"),
    ]
  }
}
