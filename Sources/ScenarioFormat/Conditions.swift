import CampaignModel
import RunPlan
import SimKernel

/// Why a threshold or condition does not read; `part` says which half is wrong,
/// so the scenario reader can point at the key (the figure) or the value.
public struct ConditionError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Part: Sendable { case figure, condition }
  public let part: Part
  public let message: String
  public var description: String { message }
}

/// Threshold conditions, the one syntax shared by `thresholds:`, `sweep.find_max.until`
/// and the `--until` option:
///
///     ">= 0.95"   "< 1%"   "<= 3d"   "== 0"                     (a threshold's value)
///     "promo.sending_finished_at <= 3d and promo.delivered_fraction >= 0.95"   (a conjunction)
///
/// The value is read in the figure's unit: a duration (or bare seconds) for time figures, a
/// number or a percentage for fractions, a number otherwise.
public enum Conditions {
  public static func threshold(figure: String, condition: String, campaignIDs: [String], strict: Bool = false)
    throws(ConditionError) -> Threshold
  {
    let kind: FigureKind
    switch Figures.resolve(figure, campaignIDs: campaignIDs) {
    case .success(let reference): kind = reference.kind
    case .failure(let error): throw ConditionError(part: .figure, message: error.message)
    }
    let text = condition.trimmingSpaces
    guard let comparison = Comparison.allCases.first(where: { text.hasPrefix($0.rawValue) }) else {
      throw ConditionError(
        part: .condition,
        message: "expected a comparison (<, <=, >, >=, ==, !=) then a value, like \">= 0.95\", found \"\(condition)\"")
    }
    let valueText = String(text.dropFirst(comparison.rawValue.count)).trimmingSpaces
    let value = try self.value(valueText, kind: kind, figure: figure)
    return Threshold(figure: figure, comparison: comparison, value: value, strict: strict)
  }

  /// `A op V and B op W …`. Only `and`: a capacity condition is a list of requirements.
  public static func conjunction(_ text: String, campaignIDs: [String], strict: Bool = false) throws(ConditionError)
    -> [Threshold]
  {
    // A trailing or doubled `and` leaves an empty clause (spaces around it are optional at the ends).
    let clauses = (" " + text + " ").components(separatedBy: " and ").map(\.trimmingSpaces)
    guard !clauses.contains(where: \.isEmpty) else {
      throw ConditionError(
        part: .condition,
        message: "expected conditions like \"promo.sending_finished_at <= 3d and promo.delivered_fraction >= 0.95\", "
          + "found \"\(text)\"")
    }
    var thresholds: [Threshold] = []
    for clause in clauses {
      // The figure name runs up to the first space or comparison character.
      let end = clause.firstIndex { $0 == " " || "<>=!".contains($0) } ?? clause.endIndex
      let figure = String(clause[..<end])
      guard !figure.isEmpty, end != clause.endIndex else {
        throw ConditionError(
          part: .condition,
          message: "expected FIGURE COMPARISON VALUE, like \"failed_fraction < 0.01\", found \"\(clause)\"")
      }
      thresholds.append(
        try threshold(figure: figure, condition: String(clause[end...]), campaignIDs: campaignIDs, strict: strict))
    }
    return thresholds
  }

  static func value(_ text: String, kind: FigureKind, figure: String) throws(ConditionError) -> Double {
    if text.isEmpty {
      throw ConditionError(part: .condition, message: "expected a value after the comparison for '\(figure)'")
    }
    if text.hasSuffix("%") {
      guard kind.unit == .fraction else {
        throw ConditionError(
          part: .condition, message: "a percentage fits only a fraction; '\(figure)' is \(describe(kind.unit))")
      }
      // Through the decimal text, so `33.3%` is exactly the double nearest 0.333.
      guard let value = Double(text.dropLast() + "e-2"), value.isFinite, !text.dropLast().contains("e") else {
        throw ConditionError(part: .condition, message: "expected a percentage like 95%, found \"\(text)\"")
      }
      return value
    }
    if kind.unit == .seconds {
      guard let micros = parseDuration(text) else {
        throw ConditionError(
          part: .condition,
          message: "expected a duration (like 250ms, 30s, 12h, 3d, or a number of seconds) for '\(figure)', "
            + "found \"\(text)\"")
      }
      return Double(micros) / Double(Time.second)
    }
    if let value = Double(text), value.isFinite { return value }
    // A count is compared as written in the scenario's own count keys (`final_limit >= 100K`).
    if kind.unit == .count {
      switch CountShorthand.parse(text) {
      case .value(let count): return Double(count)
      case .fraction, .overflow:
        throw ConditionError(
          part: .condition, message: "expected a whole count for '\(figure)', found \"\(text)\"")
      case .invalid: break
      }
    }
    if parseDuration(text) != nil {
      throw ConditionError(
        part: .condition, message: "\"\(text)\" is a duration but '\(figure)' is \(describe(kind.unit))")
    }
    throw ConditionError(part: .condition, message: "expected a number for '\(figure)', found \"\(text)\"")
  }

  static func describe(_ unit: FigureUnit) -> String {
    switch unit {
    case .count: "a count"
    case .fraction: "a fraction"
    case .seconds: "a time"
    case .ratio: "a ratio"
    }
  }

  /// `>= 0.95`, `<= 3d`: reads back to the same threshold.
  public static func conditionText(_ threshold: Threshold) -> String {
    "\(threshold.comparison.rawValue) \(valueText(threshold.value, figure: threshold.figure))"
  }

  /// `promo.delivered_fraction >= 0.95`.
  public static func text(_ threshold: Threshold) -> String { "\(threshold.figure) \(conditionText(threshold))" }

  public static func text(_ thresholds: [Threshold]) -> String { thresholds.map(text).joined(separator: " and ") }

  /// A value as a condition writes it: an exact duration for time figures, a number otherwise.
  public static func valueText(_ value: Double, figure: String) -> String {
    if Figures.kind(ofName: figure)?.unit == .seconds, value >= 0, value * 1e6 < Double(Int64.max) {
      let micros = (value * 1e6).rounded()
      if micros / 1e6 == value { return formatDuration(SimTime(micros)) }
    }
    return Document.format(value)
  }
}

extension String {
  var trimmingSpaces: String {
    var text = Substring(self)
    while text.first == " " || text.first == "\t" { text = text.dropFirst() }
    while text.last == " " || text.last == "\t" { text = text.dropLast() }
    return String(text)
  }
}
