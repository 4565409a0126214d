import CampaignModel
import RunPlan

/// Why a parameter path or value cannot be applied to a scenario.
public struct ParameterError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}

/// Scenario parameters by path, for sweeps: `business.messaging_limit`, `pacing`,
/// `senders.main.throughput_mps`, `campaigns.promo.audience`,
/// `campaigns.promo.contacts.invalid`, `faults.transient_error_rate`,
/// `faults.outages[0].duration`, `retry.max_retries`, … — any scalar of the effective
/// scenario (what `campaign-sim validate` prints), senders and campaigns named by id.
///
/// A value is applied by writing it into the effective scenario document and reading that back
/// through the scenario parser, so it is checked exactly like the same value in a file (range,
/// type, `invalid + blocked + offline ≤ 1`, …) and nothing can be set that a file could not say.
public enum ScenarioParameters {
  enum Segment: Equatable {
    case key(String)
    case index(Int)
  }

  /// Keys that identify rather than parameterise: changing them would rename figures.
  static let fixedKeys: Set<String> = ["id", "name"]

  /// A value as a command line writes it (`--vary business.messaging_limit=2K,10K`): a count
  /// shorthand is the integer it stands for, as in a scenario's `sweep.vary`, so the axis is
  /// numeric either way.
  public static func value(parsing text: String) -> ParameterValue {
    if case .value(let count) = CountShorthand.parse(text) { return .int(count) }
    return ParameterValue(parsing: text)
  }

  /// The current value of `path`, after checking that it names a scalar of the scenario.
  public static func current(_ path: String, in scenario: Scenario) throws(ParameterError) -> ParameterValue {
    let segments = try resolve(path, in: scenario)
    let document = parameterDocument(scenario)
    guard let value = lookup(segments, in: document) else {
      throw ParameterError(message: "'\(path)' is not a parameter of this scenario")
    }
    switch value {
    case .int(let number): return .int(number)
    case .double(let number): return .double(number)
    case .string(let text): return .string(text)
    case .object(let pairs):
      let keys = pairs.map { "\(path).\($0.0)" }.joined(separator: ", ")
      throw ParameterError(message: "'\(path)' is a group of parameters; vary one of: \(keys)")
    case .array:
      throw ParameterError(message: "'\(path)' is a list; vary one of its items, like \(path)[0]")
    case .null, .bool:
      throw ParameterError(message: "'\(path)' cannot be varied")
    }
  }

  /// `scenario` with every path set to its value (a point of a sweep is a plain scenario, without
  /// thresholds or sweep); a horizon the scenario did not set stays derived from the new windows.
  public static func applying(_ assignments: [(path: String, value: ParameterValue)], to scenario: Scenario)
    throws(ParameterError) -> Scenario
  {
    var document = parameterDocument(scenario)
    for (path, value) in assignments {
      _ = try current(path, in: scenario)
      let segments = try resolve(path, in: scenario)
      document = set(segments, to: documentValue(value), in: document)
    }
    guard case .object(var pairs) = document else { return scenario }
    if scenario.horizon == nil && !assignments.contains(where: { $0.path == "horizon" }) {
      pairs.removeAll { $0.0 == "horizon" }
    }
    do {
      var point = try ScenarioLoader.parse(Document.object(pairs).json(), file: "sweep point").scenario
      point.name = scenario.name
      return point
    } catch {
      let what = assignments.map { "\($0.path)=\($0.value)" }.joined(separator: ", ")
      throw ParameterError(message: "\(what): \(error.message)")
    }
  }

  /// The effective scenario with the §9 scalars that are off written out too (`retry.jitter: 0`,
  /// `contacts.marketing_capped: 0`, …): they read back to the same scenario, and a sweep can vary them.
  static func parameterDocument(_ scenario: Scenario) -> Document { .object(modelSections(scenario, complete: true)) }

  static func documentValue(_ value: ParameterValue) -> Document {
    switch value {
    case .int(let number): .int(number)
    case .double(let number): .double(number)
    case .string(let text): .string(text)
    }
  }

  /// Splits a path into document keys and list indexes; sender and campaign ids are matched
  /// against the scenario (longest first), so ids containing dots still work.
  static func resolve(_ path: String, in scenario: Scenario) throws(ParameterError) -> [Segment] {
    for (list, ids) in [("senders", scenario.senders.map(\.id)), ("campaigns", scenario.campaigns.map(\.id))] {
      guard path.hasPrefix(list + ".") else { continue }
      let rest = path.dropFirst(list.count + 1)
      let matches = ids.enumerated().filter { rest.hasPrefix($0.element + ".") }
      guard let (index, id) = matches.max(by: { $0.element.count < $1.element.count }) else {
        let known = ids.map { "'\($0)'" }.joined(separator: ", ")
        let what = list == "senders" ? "sender" : "campaign"
        throw ParameterError(message: "unknown \(what) in '\(path)'; the \(list) are \(known)")
      }
      return [.key(list), .index(index)] + (try tokens(String(rest.dropFirst(id.count + 1)), path: path))
    }
    return try tokens(path, path: path)
  }

  /// `faults.outages[0].duration` → faults, outages, [0], duration.
  static func tokens(_ text: String, path: String) throws(ParameterError) -> [Segment] {
    var segments: [Segment] = []
    for part in text.split(separator: ".", omittingEmptySubsequences: false) {
      var name = Substring(part)
      var indexes: [Int] = []
      while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
        guard let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]), index >= 0 else {
          throw ParameterError(message: "bad list index in '\(path)'")
        }
        indexes.insert(index, at: 0)
        name = name[..<open]
      }
      guard !name.isEmpty else { throw ParameterError(message: "'\(path)' is not a parameter path") }
      if fixedKeys.contains(String(name)) {
        throw ParameterError(message: "'\(path)' names something, it is not a parameter that can be varied")
      }
      if segments.isEmpty && ["thresholds", "sweep"].contains(String(name)) {
        throw ParameterError(message: "'\(path)' is not a parameter of the simulation")
      }
      segments.append(.key(String(name)))
      segments += indexes.map(Segment.index)
    }
    return segments
  }

  static func lookup(_ segments: [Segment], in document: Document) -> Document? {
    var node = document
    for segment in segments {
      switch (segment, node) {
      case (.key(let key), .object(let pairs)):
        guard let next = pairs.first(where: { $0.0 == key })?.1 else { return nil }
        node = next
      case (.index(let index), .array(let items)):
        guard index < items.count else { return nil }
        node = items[index]
      default: return nil
      }
    }
    return node
  }

  static func set(_ segments: [Segment], to value: Document, in document: Document) -> Document {
    guard let first = segments.first else { return value }
    let rest = Array(segments.dropFirst())
    switch (first, document) {
    case (.key(let key), .object(var pairs)):
      guard let index = pairs.firstIndex(where: { $0.0 == key }) else { return document }
      pairs[index].1 = set(rest, to: value, in: pairs[index].1)
      return .object(pairs)
    case (.index(let index), .array(var items)):
      guard index < items.count else { return document }
      items[index] = set(rest, to: value, in: items[index])
      return .array(items)
    default:
      return document
    }
  }
}
