import CampaignModel
import SimKernel

/// The figures of MODEL.md §9: the messaging limit's scaling, quality, per-user caps and errors
/// by retry kind. They are defined for every run (a scenario without scaling keeps its limit),
/// but reported only when the scenario uses §9 or names one of them, so that a v1 scenario's
/// reports keep their bytes.
extension Figures {
  public static let platformKinds: [FigureKind] = [
    FigureKind(
      "marketing_cap", .count, .lowerIsBetter, "messages that failed for reason marketing_cap", platform: true),
    FigureKind("marketing_cap_fraction", .fraction, .lowerIsBetter, "marketing_cap / messages", platform: true),
    FigureKind(
      "reports", .count, .lowerIsBetter, "contacts who reported (blocked) the business after delivery",
      platform: true),
    FigureKind("reports_fraction", .fraction, .lowerIsBetter, "reports / messages", platform: true),
    FigureKind(
      "errors_transient", .count, .lowerIsBetter, "error responses of retry kind transient (131000, 131016, 130429)",
      platform: true),
    FigureKind(
      "errors_limit", .count, .lowerIsBetter, "error responses of retry kind limit (131049, messaging limit full)",
      platform: true),
    FigureKind(
      "errors_cap", .count, .lowerIsBetter, "error responses of retry kind cap (131049, per-user marketing cap)",
      platform: true),
    FigureKind(
      "final_limit", .count, .higherIsBetter,
      "the messaging limit in force at the end of the run (missing: unlimited, compares as +∞)",
      missingMeansNever: true, overallOnly: true, platform: true),
    FigureKind(
      "limit_upgrades", .count, .higherIsBetter, "upgrades of the messaging limit by automatic scaling",
      overallOnly: true, platform: true),
    FigureKind(
      "unlimited_at", .seconds, .lowerIsBetter,
      "from when the limit is unlimited, seconds from 0 (0: unlimited from the start; missing: never)",
      missingMeansNever: true, overallOnly: true, platform: true),
    FigureKind(
      "quality_low_s", .seconds, .lowerIsBetter, "time spent at quality rating low up to the end of the run, seconds",
      overallOnly: true, platform: true),
  ]
}

extension FigureKind {
  /// How a missing value reads: a limit that is missing is unlimited, a time that is missing never came.
  public var missingText: String { name == "final_limit" ? "unlimited" : missingMeansNever ? "never" : "-" }
}

extension Scenario {
  /// Whether reports carry the §9 figures by default: the scenario uses §9.
  public var wantsPlatformFigures: Bool { usesPlatformDynamics }
}

extension ScenarioFile {
  /// Whether reports carry the §9 figures: the scenario uses §9, or a threshold, the sweep's
  /// figure or its capacity conditions name one.
  public var wantsPlatformFigures: Bool {
    if scenario.usesPlatformDynamics { return true }
    var named = thresholds.map(\.figure)
    if let sweep {
      named += sweep.findMax?.until.map(\.figure) ?? []
      if let figure = sweep.figure { named.append(figure) }
    }
    return named.contains { Figures.kind(ofName: $0)?.platform == true }
  }
}

extension RunResult {
  /// From when the limit is unlimited: 0 for a scenario that starts unlimited, else the upgrade's time.
  public var unlimitedFrom: SimTime? { scenario.messagingLimit == nil ? 0 : unlimitedAt }

  /// Errors of retry kind `kind` over all campaigns.
  public func errorCount(kind: ErrorKind) -> Int { campaigns.reduce(0) { $0 + $1.errorCount(kind: kind) } }

  /// Reports over all campaigns.
  public var reports: Int { campaigns.reduce(0) { $0 + $1.reports } }

  /// A §9 figure over all campaigns (`campaign` nil) or of one campaign.
  func platformFigure(_ kind: FigureKind, campaign: CampaignResult?) -> Double? {
    let messages = campaign?.audience ?? self.messages
    func fraction(_ count: Int) -> Double? { messages > 0 ? Double(count) / Double(messages) : nil }
    let capped = campaign.map { $0.count(.marketingCap) } ?? campaigns.reduce(0) { $0 + $1.count(.marketingCap) }
    let reports = campaign?.reports ?? self.reports
    func errors(_ kind: ErrorKind) -> Double { Double(campaign?.errorCount(kind: kind) ?? errorCount(kind: kind)) }
    switch kind.name {
    case "marketing_cap": return Double(capped)
    case "marketing_cap_fraction": return fraction(capped)
    case "reports": return Double(reports)
    case "reports_fraction": return fraction(reports)
    case "errors_transient": return errors(.transient)
    case "errors_limit": return errors(.limit)
    case "errors_cap": return errors(.cap)
    case "final_limit": return finalLimit.map(Double.init)
    case "limit_upgrades": return Double(limitChanges.count)
    case "unlimited_at": return unlimitedFrom.map { Double($0) / 1e6 }
    case "quality_low_s": return Double(qualityLowTime) / 1e6
    default: preconditionFailure("figure \(kind.name) has no definition")
    }
  }
}
