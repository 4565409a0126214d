import CampaignModel
import Foundation
import RunPlan

/// A report.json that `compare` cannot use.
public struct CompareError: Error, Sendable, CustomStringConvertible {
  public let path: String
  public let reason: String
  public var description: String { "\(path): error: \(reason)" }
}

/// What happened to one figure between two reports.
public enum Verdict: String, Sendable, CaseIterable {
  case same
  case improved
  case regressed
  /// The change is smaller than the replications' noise (95 % confidence).
  case withinNoise = "within noise"
  /// A regression no larger than `--tolerance` (relative to the baseline).
  case withinTolerance = "within tolerance"
  /// A figure without a direction moved, or one became undefined (e.g. a percentile of no samples).
  case changed
  case onlyInBaseline = "only in baseline"
  case onlyInCurrent = "only in current"
}

public struct FigureComparison: Sendable {
  public let name: String
  public let baseline: FigureStatistics?
  public let current: FigureStatistics?
  /// Means, with +∞ for a time that never came; `nil` when undefined or absent.
  public let baselineValue: Double?
  public let currentValue: Double?
  public let verdict: Verdict
  /// Other names of the same figure: with one campaign, its copy of an overall figure
  /// (`promo.delivered_fraction` beside `delivered_fraction`), listed once under the overall name.
  public let aliases: [String]
  /// The tolerance the verdict was judged with (relative, 0.02 = 2 %).
  public let tolerance: Double

  init(
    name: String, baseline: FigureStatistics?, current: FigureStatistics?, baselineValue: Double?,
    currentValue: Double?, verdict: Verdict, aliases: [String] = [], tolerance: Double = 0
  ) {
    self.name = name
    self.baseline = baseline
    self.current = current
    self.baselineValue = baselineValue
    self.currentValue = currentValue
    self.verdict = verdict
    self.aliases = aliases
    self.tolerance = tolerance
  }

  /// The campaign this figure is of; nil over all campaigns (a one-campaign figure listed once
  /// under its overall name is of both: nil, with the campaign's name in `aliases`).
  public var campaign: String? {
    guard let dot = name.lastIndex(of: "."), Figures.kind(named: String(name[name.index(after: dot)...])) != nil
    else { return nil }
    return String(name[..<dot])
  }

  public var change: Double? {
    guard let b = baselineValue, let c = currentValue, b.isFinite, c.isFinite else { return nil }
    return c - b
  }

  /// Change relative to the baseline's magnitude; `nil` when the baseline is 0 or a side is missing.
  public var relativeChange: Double? {
    guard let change, let b = baselineValue, b != 0 else { return nil }
    return change / abs(b)
  }
}

/// Compares the figures of two reports, figure by figure, with each figure's direction
/// (`Figures.kinds`): more delivered is better, more failed is worse, a later finish is worse.
public enum Compare {
  /// The `figures` (and, with replications, `statistics`) of a report.json.
  public static func readReport(path: String) throws(CompareError) -> FigureTable {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CompareError(path: path, reason: "cannot read the file")
    }
    let parsed: Any
    do {
      parsed = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw CompareError(path: path, reason: "not JSON: \(error.localizedDescription)")
    }
    guard let root = parsed as? [String: Any], let figures = root["figures"] as? [String: Any] else {
      throw CompareError(
        path: path, reason: "no 'figures' section: not a campaign-sim report.json, or one from before figures existed")
    }
    // JSON objects are unordered once parsed; the report's own order is the figure catalog's.
    let campaignIDs = (root["campaigns"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
    let canonical = Figures.names(campaignIDs: campaignIDs)
    let known = Set(canonical)
    let names = canonical.filter { figures[$0] != nil } + figures.keys.filter { !known.contains($0) }.sorted()
    let replicated = (root["statistics"] as? [String: Any])?["figures"] as? [String: Any]
    var statistics: [FigureStatistics] = []
    for name in names {
      let values: [Double?]
      if let listed = (replicated?[name] as? [String: Any])?["values"] as? [Any] {
        values = listed.map(number)
      } else {
        values = [number(figures[name] as Any)]
      }
      // Nothing campaign-sim writes comes near: counts stay below 1e13, times below 1e10 s.
      if let odd = values.compactMap({ $0 }).first(where: { !$0.isFinite || abs($0) > maximumMagnitude }) {
        throw CompareError(
          path: path,
          reason: "figure '\(name)' is \(odd), outside what a campaign-sim report holds (magnitude up to 1e15)")
      }
      statistics.append(FigureStatistics(values: values))
    }
    return FigureTable(names: names, statistics: statistics)
  }

  /// Largest figure magnitude a report may hold; anything beyond is a damaged or foreign file.
  public static let maximumMagnitude = 1e15

  /// What makes two reports comparable: the same scenario name, senders and
  /// campaigns. Parameters (limits, rates, faults, seed, replications) may
  /// differ: measuring what such a change does is what `compare` is for.
  public struct ScenarioIdentity: Equatable, Sendable, CustomStringConvertible {
    public let name: String?
    public let senders: [String]
    public let campaigns: [String]

    public var description: String {
      "'\(name ?? "?")' (senders \(senders.joined(separator: ", ")); campaigns \(campaigns.joined(separator: ", ")))"
    }
  }

  /// The identity of a report.json's scenario; `nil` when the report has no scenario section.
  public static func readIdentity(path: String) -> ScenarioIdentity? {
    guard let data = FileManager.default.contents(atPath: path),
      let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
      let scenario = root["scenario"] as? [String: Any]
    else { return nil }
    func ids(_ key: String) -> [String] {
      (scenario[key] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
    }
    return ScenarioIdentity(name: scenario["name"] as? String, senders: ids("senders"), campaigns: ids("campaigns"))
  }

  /// Where a report's numbers came from, for the CI summaries of `compare`.
  public struct ReportOrigin: Equatable, Sendable {
    public let seed: UInt64?
    public let replications: Int

    public init(seed: UInt64?, replications: Int) {
      self.seed = seed
      self.replications = replications
    }
  }

  /// The seed and replications of a report.json; `nil` when it cannot be read as JSON.
  public static func readOrigin(path: String) -> ReportOrigin? {
    guard let data = FileManager.default.contents(atPath: path),
      let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    else { return nil }
    let scenario = root["scenario"] as? [String: Any]
    return ReportOrigin(
      seed: (root["seed"] as? NSNumber).map { UInt64(truncatingIfNeeded: $0.int64Value) },
      replications: (scenario?["replications"] as? NSNumber)?.intValue ?? 1)
  }

  static func number(_ value: Any) -> Double? {
    if value is NSNull { return nil }
    if let number = value as? NSNumber { return number.doubleValue }
    return nil
  }

  /// Every figure of either table, baseline order first. `tolerance` is relative (0.02 = 2 %).
  public static func compare(baseline: FigureTable, current: FigureTable, tolerance: Double) -> [FigureComparison] {
    let names = baseline.names + current.names.filter { baseline[$0] == nil }
    return names.map { name in
      compare(name: name, baseline: baseline[name], current: current[name], tolerance: tolerance)
    }
  }

  /// The figures `figures` selects (all without it), each listed once, judged with its own
  /// tolerance. With a single campaign on both sides, a campaign figure equal to the overall one
  /// in both reports is the same number twice: it is listed once, under the overall name, and
  /// patterns match either name. A pattern that matches no figure is refused: in a CI gate a
  /// misspelt figure would otherwise pass silently.
  public static func compare(
    baseline: FigureTable, current: FigureTable, figures: [FigurePattern]?, tolerances: Tolerances
  ) throws(CompareOptionError) -> [FigureComparison] {
    let names = baseline.names + current.names.filter { baseline[$0] == nil }
    var aliases: [String: [String]] = [:]
    var merged: Set<String> = []
    if let campaign = singleCampaign(names) {
      let present = Set(names)
      for name in names where name.hasPrefix(campaign + ".") {
        let overall = String(name.dropFirst(campaign.count + 1))
        guard present.contains(overall), baseline[name] == baseline[overall], current[name] == current[overall]
        else { continue }
        aliases[overall, default: []].append(name)
        merged.insert(name)
      }
    }
    let every = names.filter { !merged.contains($0) }.map { ($0, [$0] + aliases[$0, default: []]) }
    for override in tolerances.overrides where !names.contains(where: override.pattern.matches) {
      throw CompareOptionError("--tolerance '\(override.pattern)=…' matches no figure of either report")
    }
    var selected = every
    if let figures {
      for pattern in figures where !names.contains(where: pattern.matches) {
        throw CompareOptionError(
          "--figures '\(pattern)' matches no figure of either report (names like delivered_fraction, "
            + "CAMPAIGN.delivered_fraction; * and ? are wildcards)")
      }
      selected = every.filter { _, all in all.contains { name in figures.contains { $0.matches(name) } } }
    }
    return selected.map { name, all in
      let row = compare(
        name: name, baseline: baseline[name], current: current[name], tolerance: tolerances.value(for: all))
      return FigureComparison(
        name: row.name, baseline: row.baseline, current: row.current, baselineValue: row.baselineValue,
        currentValue: row.currentValue, verdict: row.verdict, aliases: Array(all.dropFirst()),
        tolerance: tolerances.value(for: all))
    }
  }

  /// The campaign of every per-campaign figure in `names`, when there is exactly one.
  static func singleCampaign(_ names: [String]) -> String? {
    var found: String?
    for name in names {
      guard let dot = name.lastIndex(of: "."), Figures.kind(named: String(name[name.index(after: dot)...])) != nil
      else { continue }
      let campaign = String(name[..<dot])
      if let found, found != campaign { return nil }
      found = campaign
    }
    return found
  }

  public static func compare(
    name: String, baseline: FigureStatistics?, current: FigureStatistics?, tolerance: Double
  ) -> FigureComparison {
    let kind = Figures.kind(ofName: name)
    func value(_ statistics: FigureStatistics?) -> Double? {
      guard let statistics else { return nil }
      return statistics.mean ?? (kind?.missingMeansNever == true ? .infinity : nil)
    }
    let b = value(baseline)
    let c = value(current)
    func result(_ verdict: Verdict) -> FigureComparison {
      FigureComparison(
        name: name, baseline: baseline, current: current, baselineValue: b, currentValue: c, verdict: verdict,
        tolerance: tolerance)
    }
    guard let baseline else { return result(.onlyInCurrent) }
    guard let current else { return result(.onlyInBaseline) }
    guard let b, let c else { return result(b == nil && c == nil ? .same : .changed) }
    if b == c { return result(.same) }
    if b.isFinite && c.isFinite {
      if let margin = noiseMargin(baseline, current) {
        if abs(c - b) <= margin { return result(.withinNoise) }
      } else if baseline.count > 1 || current.count > 1, abs(c - b) <= unknownNoiseFloor * abs(b) {
        // Replications that all agree give a noise estimate of zero, which says
        // only that there were too few of them to see the noise.
        return result(.withinNoise)
      }
    }
    let direction = kind?.direction ?? .neutral
    let better: Bool
    switch direction {
    case .neutral: return result(.changed)
    case .higherIsBetter: better = c > b
    case .lowerIsBetter: better = c < b
    }
    if better { return result(.improved) }
    if tolerance > 0, b.isFinite, c.isFinite, b != 0, abs(c - b) / abs(b) <= tolerance {
      return result(.withinTolerance)
    }
    return result(.regressed)
  }

  /// The relative change treated as noise when replications exist but their
  /// spread is exactly zero (e.g. two replications with the same value).
  public static let unknownNoiseFloor = 0.01

  /// Half-width of the 95 % interval of the difference of means, when either side has
  /// replications (nil otherwise: one run against one run is an exact comparison, the seed being
  /// the same). Both replicated: Welch, with its degrees of freedom rounded down (conservative).
  /// One side a single run: that run is one draw of the same distribution, so the other side's
  /// spread is used for both, `s·√(1/n + 1)` with n − 1 degrees of freedom.
  static func noiseMargin(_ a: FigureStatistics, _ b: FigureStatistics) -> Double? {
    let (na, nb) = (Double(a.count), Double(b.count))
    switch (a.sd, b.sd) {
    case (let sa?, let sb?):
      let (va, vb) = (sa * sa / na, sb * sb / nb)
      let se = (va + vb).squareRoot()
      guard se > 0 else { return nil }
      let df = (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1))
      // Spreads near the largest doubles overflow the squares; the degrees of freedom are then unknown.
      let whole = df.isFinite ? min(max(1, df.rounded(.down)), 1e6) : 1
      return StudentT.quantile(0.975, df: Int(whole)) * se
    case (let s?, nil), (nil, let s?):
      let n = a.sd != nil ? na : nb
      guard s > 0 else { return nil }
      return StudentT.quantile(0.975, df: Int(n) - 1) * s * (1 / n + 1).squareRoot()
    case (nil, nil):
      return nil
    }
  }
}
