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
        name: name, baseline: baseline, current: current, baselineValue: b, currentValue: c, verdict: verdict)
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
