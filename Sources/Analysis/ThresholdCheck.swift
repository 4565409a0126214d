import CampaignModel
import RunPlan

/// A threshold checked against a run's figures.
public struct ThresholdOutcome: Sendable, Equatable {
  public let threshold: Threshold
  /// The figure's mean over the replications; +∞ for a time that never came
  /// (`FigureKind.missingMeansNever`); `nil` when undefined.
  public let observed: Double?
  /// What was compared: the mean, or with `strict` the confidence bound on the failing side.
  public let checked: Double?
  public let passed: Bool
}

public enum ThresholdCheck {
  /// Each threshold against `figures`. An undefined figure fails its threshold: a condition that
  /// cannot be checked must not pass a CI run.
  public static func evaluate(_ thresholds: [Threshold], figures: FigureTable) -> [ThresholdOutcome] {
    thresholds.map { evaluate($0, figures: figures) }
  }

  public static func evaluate(_ threshold: Threshold, figures: FigureTable) -> ThresholdOutcome {
    guard let statistics = figures[threshold.figure] else {
      return ThresholdOutcome(threshold: threshold, observed: nil, checked: nil, passed: false)
    }
    let never = Figures.kind(ofName: threshold.figure)?.missingMeansNever ?? false
    guard let mean = statistics.mean ?? (never ? Double.infinity : nil) else {
      return ThresholdOutcome(threshold: threshold, observed: nil, checked: nil, passed: false)
    }
    let comparison = threshold.comparison
    guard threshold.strict, let low = statistics.ciLow, let high = statistics.ciHigh else {
      return ThresholdOutcome(
        threshold: threshold, observed: mean, checked: mean, passed: comparison.holds(mean, threshold.value))
    }
    // Strict: the whole interval must satisfy the comparison; report the bound that decides.
    let value = threshold.value
    switch comparison {
    case .less, .lessOrEqual:
      return ThresholdOutcome(
        threshold: threshold, observed: mean, checked: high, passed: comparison.holds(high, value))
    case .greater, .greaterOrEqual:
      return ThresholdOutcome(threshold: threshold, observed: mean, checked: low, passed: comparison.holds(low, value))
    case .equal:
      let passed = low == value && high == value
      return ThresholdOutcome(
        threshold: threshold, observed: mean, checked: low != value ? low : high, passed: passed)
    case .notEqual:
      let passed = value < low || value > high
      return ThresholdOutcome(
        threshold: threshold, observed: mean, checked: abs(low - value) < abs(high - value) ? low : high,
        passed: passed)
    }
  }
}
