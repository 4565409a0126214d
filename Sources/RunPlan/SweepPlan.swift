/// A scalar written for a scenario parameter, kept as written (an integer stays
/// an integer, `unlimited` and `3d` stay strings) so it is validated exactly
/// like the same value typed into the scenario file.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
  case int(Int)
  case double(Double)
  case string(String)

  /// Reads a command-line value: an integer, else a number, else a string.
  public init(parsing text: String) {
    if let value = Int(text) {
      self = .int(value)
    } else if let value = Double(text), value.isFinite {
      self = .double(value)
    } else {
      self = .string(text)
    }
  }

  public var description: String {
    switch self {
    case .int(let value): String(value)
    case .double(let value):
      value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    case .string(let value): value
    }
  }

  /// The value as a number, for charts and bisection; nil for strings.
  public var number: Double? {
    switch self {
    case .int(let value): Double(value)
    case .double(let value): value
    case .string: nil
    }
  }
}

/// One varied parameter of a sweep: a path such as `senders.main.throughput_mps`
/// and the values it takes.
public struct SweepAxis: Sendable, Equatable {
  public var path: String
  public var values: [ParameterValue]

  public init(path: String, values: [ParameterValue]) {
    self.path = path
    self.values = values
  }
}

/// Bisection for the largest integer value of `parameter` meeting every
/// condition of `until`, at each point of the sweep's grid. It assumes the
/// conditions hold up to some value and fail above it (monotonicity).
public struct FindMax: Sendable, Equatable {
  public var parameter: String
  public var until: [Threshold]
  /// Smallest value tried (1 unless set: an empty audience meets no delivery condition).
  public var low: Int
  /// Largest value tried; `nil`: doubled from `low` until the conditions fail.
  public var high: Int?

  public init(parameter: String, until: [Threshold], low: Int = 1, high: Int? = nil) {
    self.parameter = parameter
    self.until = until
    self.low = low
    self.high = high
  }
}

/// The `sweep:` section of a scenario: a grid of parameter values (every
/// combination is run, with the same seed: common random numbers), the figure
/// to chart, and optionally a capacity search.
public struct SweepPlan: Sendable, Equatable {
  public var vary: [SweepAxis]
  /// The figure charted against the varied parameters; `nil`: `sending_finished_at`.
  public var figure: String?
  public var findMax: FindMax?

  public init(vary: [SweepAxis] = [], figure: String? = nil, findMax: FindMax? = nil) {
    self.vary = vary
    self.figure = figure
    self.findMax = findMax
  }
}
