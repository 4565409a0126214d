import Analysis
import CampaignModel
import RunPlan
import ScenarioFormat

/// `--summary-json` of `run` and `compare` (docs/ci.md): a small, stable document for CI scripts,
/// where report.json is the whole story. Its shape changes only with its schema version; new
/// fields may be added within a version, none is removed or renamed.
public enum SummaryJSON {
  public static let schema = "campaignsim.summary/1"

  /// `run`'s summary. `figures` are the run's (means over the replications); `reports` is the
  /// folder the reports went to.
  public static func run(
    scenario: String, seed: UInt64, replications: Int, campaigns: [(id: String, sender: String)],
    figures: FigureTable, thresholds: [ThresholdOutcome], reports: String?
  ) -> Document {
    let failed = thresholds.filter { !$0.passed }.count
    let ids = campaigns.map(\.id)
    var overall: [(String, Document)] = []
    var perCampaign: [String: [(String, Document)]] = [:]
    for (name, statistics) in zip(figures.names, figures.statistics) {
      let value = JSONReport.number(statistics.mean.flatMap { $0.isFinite ? $0 : nil })
      if let (campaign, kind) = split(name, campaigns: ids) {
        perCampaign[campaign, default: []].append((kind, value))
      } else {
        overall.append((name, value))
      }
    }
    var root: [(String, Document)] = [
      ("schema", .string(schema)),
      ("command", .string("run")),
      ("scenario", .string(scenario)),
      ("seed", seedDocument(seed)),
      ("replications", .int(replications)),
      ("passed", .bool(failed == 0)),
      (
        "thresholds",
        .object([
          ("passed", .int(thresholds.count - failed)),
          ("failed", .int(failed)),
          ("checks", JSONReport.thresholdsDocument(thresholds)),
        ])
      ),
      ("overall", .object([("figures", .object(overall))])),
      (
        "campaigns",
        .array(
          campaigns.map { campaign in
            .object([
              ("id", .string(campaign.id)),
              ("sender", .string(campaign.sender)),
              ("figures", .object(perCampaign[campaign.id] ?? [])),
            ])
          })
      ),
    ]
    if let reports { root.append(("reports", .string(reports))) }
    return .object(root)
  }

  /// `compare`'s summary: each listed figure's baseline, current value, change and verdict.
  public static func compare(
    _ rows: [FigureComparison], scenario: String?, baseline: (path: String, origin: Compare.ReportOrigin?),
    current: (path: String, origin: Compare.ReportOrigin?), tolerances: Tolerances
  ) -> Document {
    let regressions = rows.filter { $0.verdict == .regressed }.count
    func side(_ path: String, _ origin: Compare.ReportOrigin?) -> Document {
      .object([
        ("path", .string(path)),
        ("seed", origin?.seed.map(seedDocument) ?? .null),
        ("replications", origin.map { .int($0.replications) } ?? .null),
      ])
    }
    return .object([
      ("schema", .string(schema)),
      ("command", .string("compare")),
      ("scenario", scenario.map(Document.string) ?? .null),
      ("baseline", side(baseline.path, baseline.origin)),
      ("current", side(current.path, current.origin)),
      ("tolerance", CompareReport.tolerancesDocument(tolerances)),
      ("passed", .bool(regressions == 0)),
      ("regressions", .int(regressions)),
      ("verdicts", .object(Verdict.allCases.map { v in (v.rawValue, .int(rows.filter { $0.verdict == v }.count)) })),
      (
        "figures",
        .array(
          rows.map { row in
            .object([
              ("figure", .string(row.name)),
              ("also", .array(row.aliases.map(Document.string))),
              ("campaign", row.campaign.map(Document.string) ?? .null),
              ("direction", .string(Figures.kind(ofName: row.name)?.direction.rawValue ?? "neutral")),
              ("baseline", finite(row.baselineValue)),
              ("current", finite(row.currentValue)),
              ("change", JSONReport.number(row.change)),
              ("relative_change", JSONReport.number(row.relativeChange)),
              ("tolerance", .double(row.tolerance)),
              ("verdict", .string(row.verdict.rawValue)),
            ])
          })
      ),
    ])
  }

  /// A value for JSON: +∞ (a time that never came) has no JSON number, so it is null, as in report.json.
  static func finite(_ value: Double?) -> Document { JSONReport.number(value.flatMap { $0.isFinite ? $0 : nil }) }

  /// Seeds are unsigned 64-bit; JSON readers lose precision past 2^53, so large ones are strings,
  /// as in report.json's effective scenario.
  static func seedDocument(_ seed: UInt64) -> Document {
    seed <= UInt64(Int.max) ? .int(Int(seed)) : .string(String(seed))
  }

  /// `promo.delivered_fraction` → (promo, delivered_fraction); nil for an overall figure. The
  /// longest campaign id wins, since ids may contain dots.
  static func split(_ name: String, campaigns: [String]) -> (String, String)? {
    let owner = campaigns.filter { name.hasPrefix($0 + ".") }.max { $0.count < $1.count }
    guard let owner else { return nil }
    return (owner, String(name.dropFirst(owner.count + 1)))
  }
}
