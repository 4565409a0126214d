import Foundation

/// A `compare` option value it cannot use (`--figures`, `--tolerance`); exit 2 in the CLI.
public struct CompareOptionError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// A glob over full figure names: `*` is any run of characters, dots included (so
/// `*_fraction` takes every campaign's fractions too), `?` is one character.
/// Nothing else is special: figure names hold only letters, digits, `_`, `-` and `.`.
public struct FigurePattern: Sendable, Equatable, CustomStringConvertible {
  public let text: String

  public init(_ text: String) { self.text = text }

  public var description: String { text }

  public func matches(_ name: String) -> Bool {
    let pattern = Array(text.unicodeScalars)
    let subject = Array(name.unicodeScalars)
    // Iterative glob with one backtrack point: linear in practice, never exponential.
    var (p, s) = (0, 0)
    var star: Int?
    var resume = 0
    while s < subject.count {
      if p < pattern.count, pattern[p] == "?" || pattern[p] == subject[s] {
        p += 1
        s += 1
      } else if p < pattern.count, pattern[p] == "*" {
        star = p
        resume = s
        p += 1
      } else if let star {
        p = star + 1
        resume += 1
        s = resume
      } else {
        return false
      }
    }
    while p < pattern.count, pattern[p] == "*" { p += 1 }
    return p == pattern.count
  }

  /// `promo.*_fraction,failed_fraction`: comma-separated, blanks around items ignored.
  public static func parseList(_ text: String) -> Result<[FigurePattern], CompareOptionError> {
    let items = text.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard !items.contains(where: \.isEmpty) else {
      return .failure(
        CompareOptionError("--figures has an empty item in '\(text)'; expected names or globs separated by commas"))
    }
    return .success(items.map(FigurePattern.init))
  }
}

/// `--tolerance`: how large a regression is forgiven, relative to the baseline's value. A plain
/// value is the default; `PATTERN=VALUE` sets it for the figures PATTERN matches, the last
/// matching one winning, so a broad pattern can be refined by a later narrow one.
public struct Tolerances: Sendable, Equatable {
  public struct Override: Sendable, Equatable {
    public let pattern: FigurePattern
    public let value: Double
    public init(pattern: FigurePattern, value: Double) {
      self.pattern = pattern
      self.value = value
    }
  }

  public let defaultValue: Double
  public let overrides: [Override]

  public init(default defaultValue: Double = 0, overrides: [Override] = []) {
    self.defaultValue = defaultValue
    self.overrides = overrides
  }

  /// The tolerance of a figure known by `names` (its own and, listed once, its campaign copy's).
  public func value(for names: [String]) -> Double {
    overrides.last { override in names.contains { override.pattern.matches($0) } }?.value ?? defaultValue
  }

  /// `2%` or `0.02`; nil for anything else, negative or not finite.
  public static func parseValue(_ text: String) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let percent = trimmed.hasSuffix("%")
    guard let number = Double(percent ? String(trimmed.dropLast()) : trimmed), number.isFinite, number >= 0 else {
      return nil
    }
    return percent ? number / 100 : number
  }

  /// Each `--tolerance` value in the order given: `5%` (the default; given twice, refused, as
  /// one of the two would be silently ignored) or `dispatches=5%`.
  public static func parse(_ items: [String]) -> Result<Tolerances, CompareOptionError> {
    var defaultValue: Double?
    var overrides: [Override] = []
    for item in items {
      let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      let valueText = parts.count == 2 ? parts[1] : item
      guard let value = parseValue(valueText) else {
        return .failure(
          CompareOptionError(
            "--tolerance must be a percentage like 2% or a fraction like 0.02, optionally after FIGURE=, found '\(item)'"
          ))
      }
      if parts.count == 2 {
        let pattern = parts[0].trimmingCharacters(in: .whitespaces)
        guard !pattern.isEmpty else {
          return .failure(CompareOptionError("--tolerance '\(item)' names no figure before '='"))
        }
        overrides.append(Override(pattern: FigurePattern(pattern), value: value))
      } else {
        if defaultValue != nil {
          return .failure(CompareOptionError("--tolerance gives the default twice; give it once, or FIGURE=VALUE"))
        }
        defaultValue = value
      }
    }
    return .success(Tolerances(default: defaultValue ?? 0, overrides: overrides))
  }
}
