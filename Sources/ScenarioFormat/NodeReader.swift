import CampaignModel
import SimKernel
import Yams

/// Reads typed values out of a composed YAML tree while remembering where each value came from.
///
/// Decodable would lose the positions, and a scenario error that does not say on which line it is
/// makes users bisect their file; so every reader takes the node and its key path and reports
/// failures at that node's mark.
struct NodeReader {
  let file: String
  let diagnostics: Diagnostics

  init(file: String, diagnostics: Diagnostics = Diagnostics()) {
    self.file = file
    self.diagnostics = diagnostics
  }

  func error(at mark: Mark?, _ path: String, _ message: String) -> ScenarioError {
    ScenarioError(file: file, line: mark?.line, column: mark?.column, key: path, message: message)
  }

  func error(_ node: Node, _ path: String, _ message: String) -> ScenarioError {
    error(at: node.mark, path, message)
  }

  // MARK: Mappings

  /// Opens a mapping whose keys must all be in `allowed`, rejecting unknown keys up front so a
  /// misspelt optional key is an error instead of silently meaning "use the default".
  ///
  /// An unknown key is recorded and reading goes on. When it is a likely misspelling of an
  /// allowed key the mapping does not have, its value is read as that key: the user meant it,
  /// and the errors inside it (or a "missing required key" it would cause) are worth more than
  /// silence.
  func fields(_ node: Node, _ path: String, _ table: KeyTable) throws(ScenarioError) -> Fields {
    let allowed = table.names
    guard case .mapping(let mapping) = node else {
      throw error(
        node, path, "expected a mapping with keys \(allowed.joined(separator: ", ")), found \(describe(node))")
    }
    let written = Set(mapping.keys.compactMap { $0.scalar?.string })
    var entries: [Fields.Entry] = []
    for (keyNode, value) in mapping {
      guard case .scalar(let scalar) = keyNode else {
        try recover(error(keyNode, path, "expected a string key, found \(describe(keyNode))"))
        continue
      }
      let key = scalar.string
      guard allowed.contains(key) else {
        var message = "unknown key '\(key)'"
        let guess = closest(to: key, in: allowed)
        if let guess { message += " (did you mean '\(guess)'?)" }
        message += "; expected one of: \(allowed.joined(separator: ", "))"
        try recover(error(keyNode, child(path, key), message))
        if let guess, !written.contains(guess), !entries.contains(where: { $0.key == guess }) {
          entries.append(Fields.Entry(key: guess, keyNode: keyNode, value: value, path: child(path, key)))
        }
        continue
      }
      entries.append(Fields.Entry(key: key, keyNode: keyNode, value: value, path: child(path, key)))
    }
    return Fields(reader: self, node: node, path: path, table: table, entries: entries)
  }

  // MARK: Going on after an error

  /// Records `error` so that reading can go on; throws only once the file has as many errors as
  /// are reported, to stop reading.
  func recover(_ error: ScenarioError) throws(ScenarioError) {
    diagnostics.record(error)
    if diagnostics.isFull { throw error }
  }

  /// `read()`, or `nil` after recording its error: for a value the rest of the file does not
  /// depend on, whose default can stand in while the other keys are checked.
  func recovering<T>(_ read: () throws(ScenarioError) -> T) throws(ScenarioError) -> T? {
    do {
      return try read()
    } catch {
      try recover(error)
      return nil
    }
  }

  func sequence(_ node: Node, _ path: String, nonEmpty: Bool, of what: String) throws(ScenarioError) -> [Node] {
    guard case .sequence(let sequence) = node else {
      throw error(node, path, "expected a list of \(what), found \(describe(node))")
    }
    let items = Array(sequence)
    if nonEmpty && items.isEmpty {
      throw error(node, path, "expected a non-empty list of \(what), found an empty list")
    }
    return items
  }

  // MARK: Scalars

  func string(_ node: Node, _ path: String) throws(ScenarioError) -> String {
    guard case .scalar(let scalar) = node, node.tagName == .str else {
      throw error(node, path, "expected a string, found \(describe(node))")
    }
    return scalar.string
  }

  /// A non-empty string: ids are how the rest of the file and the report refer to things.
  /// Control characters are refused because ids are printed in report.md's
  /// tables and the terminal summary, where a newline or an escape breaks them.
  func identifier(_ node: Node, _ path: String) throws(ScenarioError) -> String {
    let value = try string(node, path)
    if value.isEmpty { throw error(node, path, "expected a non-empty id, found an empty string") }
    if value.utf8.count > Self.maximumIdentifierBytes {
      throw error(
        node, path, "expected an id of at most \(Self.maximumIdentifierBytes) bytes, found \(value.utf8.count) bytes")
    }
    if let control = value.unicodeScalars.first(where: Self.isControl) {
      throw error(
        node, path,
        "expected an id without control characters, found U+\(String(control.value, radix: 16, uppercase: true)) in \(describe(node))"
      )
    }
    return value
  }

  /// Longest id or name: room for a folder name (255 bytes on most systems) with a suffix.
  static let maximumIdentifierBytes = 200

  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
  }

  func integer(_ node: Node, _ path: String, in range: ClosedRange<Int>, expected: String) throws(ScenarioError) -> Int
  {
    guard case .scalar(let scalar) = node, node.tagName == .int else {
      throw error(node, path, "expected \(expected), found \(describe(node))")
    }
    guard let value = Int.construct(from: scalar), range.contains(value) else {
      throw error(node, path, "expected \(expected), found \(scalar.string)")
    }
    return value
  }

  /// A count (of contacts, messages, runs, retries): an integer, or a shorthand such as `10K` or
  /// `1.5M` (`CountShorthand`).
  func count(_ node: Node, _ path: String, in range: ClosedRange<Int>, expected: String) throws(ScenarioError) -> Int {
    guard case .scalar(let scalar) = node, node.tagName == .str else {
      return try integer(node, path, in: range, expected: expected)
    }
    let text = scalar.string
    switch CountShorthand.parse(text) {
    case .value(let value):
      guard range.contains(value) else { throw error(node, path, "expected \(expected), found \(text) (\(value))") }
      return value
    case .fraction:
      throw error(node, path, "expected \(expected), found \(text), which is not a whole number")
    case .overflow:
      throw error(node, path, "expected \(expected), found \(text), which is too large")
    case .invalid:
      guard CountShorthand.looksLikeShorthand(text) else { break }
      throw error(
        node, path,
        "expected \(expected) or a count such as 10K, 1.5M or 2G (upper-case K, M, G: 1e3, 1e6, 1e9), "
          + "found \(describe(node))")
    }
    throw error(node, path, "expected \(expected), found \(describe(node))")
  }

  /// Any YAML number, integer or float. NaN is let through on purpose: it fails every range check
  /// the callers make, and their messages say what range was expected.
  func number(_ node: Node, _ path: String, expected: String) throws(ScenarioError) -> Double {
    guard case .scalar(let scalar) = node else {
      throw error(node, path, "expected \(expected), found \(describe(node))")
    }
    switch node.tagName {
    case .int:
      if let value = Int.construct(from: scalar) { return Double(value) }
      if let value = Double.construct(from: scalar) { return value }
    case .float:
      if let value = Double.construct(from: scalar) { return value }
    default: break
    }
    throw error(node, path, "expected \(expected), found \(describe(node))")
  }

  func number(_ node: Node, _ path: String, where valid: (Double) -> Bool, expected: String) throws(ScenarioError)
    -> Double
  {
    let value = try number(node, path, expected: expected)
    guard valid(value) else { throw error(node, path, "expected \(expected), found \(node.scalar?.string ?? "")") }
    return value
  }

  func probability(_ node: Node, _ path: String) throws(ScenarioError) -> Double {
    try number(node, path, where: { $0 >= 0 && $0 <= 1 }, expected: "a probability in [0, 1]")
  }

  func choice<E: RawRepresentable & CaseIterable>(_ node: Node, _ path: String, as type: E.Type) throws(ScenarioError)
    -> E where E.RawValue == String
  {
    let names = E.allCases.map(\.rawValue)
    if case .scalar(let scalar) = node, node.tagName == .str, let value = E(rawValue: scalar.string) {
      return value
    }
    var message = "expected \(names.joined(separator: " or ")), found \(describe(node))"
    if case .scalar(let scalar) = node, let guess = closest(to: scalar.string, in: names) {
      message += " (did you mean '\(guess)'?)"
    }
    throw error(node, path, message)
  }

  /// Longest duration a scenario may hold: `Distribution.maximumSample` (about 31 years), so that
  /// sums such as `start + window + 1d` can never overflow `SimTime`.
  static let maximumDuration = Distribution.maximumSample

  /// A MODEL.md §1 duration. `positive` distinguishes lengths that would make no sense at zero
  /// (a sending window, the horizon) from delays, where zero is a legitimate "instantly".
  func duration(_ node: Node, _ path: String, positive: Bool = false, or alternative: String? = nil)
    throws(ScenarioError) -> SimTime
  {
    var expected = positive ? "a positive duration" : "a duration"
    if let alternative { expected += " or \(alternative)" }
    let shape = "(like 250ms, 30s, 12h, 3d, or a number of seconds)"
    guard case .scalar(let scalar) = node, [.str, .int, .float].contains(node.tagName) else {
      throw error(node, path, "expected \(expected) \(shape), found \(describe(node))")
    }
    let text = scalar.string
    if text.hasPrefix("-") {
      throw error(node, path, "expected \(expected), found the negative duration \(text)")
    }
    var reading = readDuration(text)
    // YAML numbers that parseDuration does not spell (1_000, 1e3) still mean seconds.
    if reading == .invalid, node.tagName != .str, let seconds = Double.construct(from: scalar), seconds.isFinite {
      let micros = (seconds * Double(Time.second)).rounded()
      reading = micros <= Double(Self.maximumDuration) ? .value(SimTime(micros)) : .overflow
    }
    let value: SimTime
    switch reading {
    case .value(let parsed) where parsed <= Self.maximumDuration: value = parsed
    case .value, .overflow:
      throw error(node, path, "expected \(expected) of at most \(formatDuration(Self.maximumDuration)), found \(text)")
    case .invalid:
      throw error(node, path, "expected \(expected) \(shape), found \(describe(node))")
    }
    if positive && value == 0 { throw error(node, path, "expected \(expected), found \(text)") }
    return value
  }

  // MARK: Values declared in a KeyTable

  func count(_ node: Node, _ path: String, _ shape: ValueShape) throws(ScenarioError) -> Int {
    guard case .count(let range, let expected) = shape else { preconditionFailure("\(path) is not a count") }
    return try count(node, path, in: range, expected: expected)
  }

  func number(_ node: Node, _ path: String, _ shape: ValueShape) throws(ScenarioError) -> Double {
    guard case .number(let bounds, let expected) = shape else { preconditionFailure("\(path) is not a number") }
    return try number(node, path, where: bounds.contains, expected: expected)
  }

  func duration(_ node: Node, _ path: String, _ shape: ValueShape) throws(ScenarioError) -> SimTime {
    guard case .duration(let positive) = shape else { preconditionFailure("\(path) is not a duration") }
    return try duration(node, path, positive: positive)
  }

  // MARK: Descriptions

  /// What a node is, for the "found …" half of a message, with the user's own spelling of scalars.
  func describe(_ node: Node) -> String {
    switch node {
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    case .scalar(let scalar):
      let text = scalar.string
      switch node.tagName {
      case .str:
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        var quoted = ""
        Document.writeString(shown, to: &quoted)
        return "the string \(quoted)"
      case .int, .float: return "the number \(text)"
      case .bool: return "the boolean \(text)"
      case .null: return text.isEmpty ? "nothing (an empty value)" : "null"
      case .timestamp: return "the timestamp \(text)"
      default: return "'\(text)'"
      }
    }
  }
}

/// The entries of one mapping, in file order, for reading keys in schema order.
struct Fields {
  struct Entry {
    /// The allowed key this entry is read as (the one suggested, for a misspelt key).
    let key: String
    let keyNode: Node
    let value: Node
    /// The key path as written in the file.
    let path: String
  }

  let reader: NodeReader
  let node: Node
  let path: String
  let table: KeyTable
  let entries: [Entry]

  func callAsFunction(_ key: String) -> (node: Node, path: String)? {
    _ = table[key]
    return entries.first { $0.key == key }.map { ($0.value, $0.path) }
  }

  // Scalars read as the key's table entry says, so its range and message are the schema's.

  func count(_ key: String) throws(ScenarioError) -> Int? {
    let shape = table[key].shape
    return try read(key) { (node, path) throws(ScenarioError) in try reader.count(node, path, shape) }
  }

  func number(_ key: String) throws(ScenarioError) -> Double? {
    let shape = table[key].shape
    return try read(key) { (node, path) throws(ScenarioError) in try reader.number(node, path, shape) }
  }

  func duration(_ key: String) throws(ScenarioError) -> SimTime? {
    let shape = table[key].shape
    return try read(key) { (node, path) throws(ScenarioError) in try reader.duration(node, path, shape) }
  }

  func fraction(_ key: String) throws(ScenarioError) -> ExactFraction? {
    guard case .fraction(let positive) = table[key].shape else { preconditionFailure("'\(key)' is not a fraction") }
    return try read(key) { (node, path) throws(ScenarioError) in
      try reader.exactFraction(node, path, positive: positive)
    }
  }

  /// The value of `key` as `parse` reads it; `nil` when the key is absent or its value is bad
  /// (the error is recorded, and the caller's default stands in while later keys are checked).
  func read<T>(_ key: String, _ parse: (Node, String) throws(ScenarioError) -> T) throws(ScenarioError) -> T? {
    guard let (node, path) = self(key) else { return nil }
    return try reader.recovering { () throws(ScenarioError) in try parse(node, path) }
  }

  /// Like `read`, for readers that take the `(node, path)` pair as one argument.
  func read<T>(_ key: String, pair parse: ((node: Node, path: String)) throws(ScenarioError) -> T)
    throws(ScenarioError) -> T?
  {
    guard let found = self(key) else { return nil }
    return try reader.recovering { () throws(ScenarioError) in try parse(found) }
  }

  /// A missing key has no node of its own; the enclosing mapping is the nearest thing to point at.
  func required(_ key: String) throws(ScenarioError) -> (node: Node, path: String) {
    guard let found = self(key) else {
      throw reader.error(node, child(path, key), "missing required key '\(key)'")
    }
    return found
  }
}

func child(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

func child(_ path: String, _ index: Int) -> String { "\(path)[\(index)]" }

/// A suggestion for a misspelt key (or value): the allowed one fewest edits away, if it is close
/// enough to be a slip rather than another word: within two edits, or a third of its length for
/// long keys (`throughput` for `throughput_mps`), but never more edits than half the word, so
/// that `id` is not offered for any two letters. Case is ignored.
func closest(to key: String, in allowed: [String]) -> String? {
  let typed = key.lowercased()
  var best: (key: String, distance: Int)?
  for candidate in allowed {
    let distance = editDistance(typed, candidate.lowercased())
    let limit = min(max(2, candidate.count / 3), max(1, candidate.count / 2))
    guard distance <= limit, distance < (best?.distance ?? .max) else { continue }
    best = (candidate, distance)
  }
  return best?.key
}

private func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a)
  let b = Array(b)
  if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
  var previous = Array(0...b.count)
  for i in 1...a.count {
    var current = [i] + Array(repeating: 0, count: b.count)
    for j in 1...b.count {
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.count]
}

extension Node {
  /// The resolved tag (`str`, `int`, `float`, …); Yams keeps `Tag.name` internal.
  var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
