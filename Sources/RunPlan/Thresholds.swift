/// A comparison of a figure against a value, as written in a threshold.
public enum Comparison: String, Sendable, CaseIterable {
  // Two-character operators first, so a reader trying them in order never takes `<=` for `<`.
  case lessOrEqual = "<="
  case greaterOrEqual = ">="
  case equal = "=="
  case notEqual = "!="
  case less = "<"
  case greater = ">"

  public func holds(_ lhs: Double, _ rhs: Double) -> Bool {
    switch self {
    case .lessOrEqual: lhs <= rhs
    case .greaterOrEqual: lhs >= rhs
    case .equal: lhs == rhs
    case .notEqual: lhs != rhs
    case .less: lhs < rhs
    case .greater: lhs > rhs
    }
  }
}

/// `figure comparison value`, e.g. `promo.delivered_fraction >= 0.95`, checked
/// after a run. `value` is in the figure's unit (seconds for times, a plain
/// number for fractions). With `strict` the whole 95 % confidence interval of
/// the figure must satisfy the comparison, not just its mean.
public struct Threshold: Sendable, Equatable {
  public var figure: String
  public var comparison: Comparison
  public var value: Double
  public var strict: Bool

  public init(figure: String, comparison: Comparison, value: Double, strict: Bool = false) {
    self.figure = figure
    self.comparison = comparison
    self.value = value
    self.strict = strict
  }
}
