import CYaml
import Foundation

/// A pass over libyaml's event stream before Yams composes the document,
/// refusing the YAML features that turn a small file into a crash or a hang
/// (issue 10):
///
/// - an alias or a collection as a mapping key: Yams hashes every key to find
///   duplicates, and hashing an alias of nested aliases walks the whole
///   expansion (a 619-byte file kept `validate` busy for minutes);
/// - aliases expanding to more than `maximumExpansion` values in all;
/// - YAML 1.1 base-60 numbers (`59:59` is silently 3599, and a long one traps
///   in Yams' integer parsing).
///
/// Syntax errors are left to Yams, whose messages the loader already locates.
enum YAMLPrecheck {
  /// Values that aliases may add to a document: far above any scenario's use
  /// (a shared latency block reused by a few hundred campaigns), far below a hang.
  static let maximumExpansion = 100_000

  private struct Frame {
    let isMapping: Bool
    let path: String
    let anchor: String?
    var size = 1
    var index = 0
    var key: String?
    var expectingKey = true
  }

  static func check(_ text: String, file: String) throws(ScenarioError) {
    var bytes = Array(text.utf8)
    if bytes.isEmpty { return }
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else { return }
    defer { yaml_parser_delete(&parser) }
    try bytes.withUnsafeMutableBufferPointer { (buffer) throws(ScenarioError) in
      yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
      try scan(&parser, file: file)
    }
  }

  private static func scan(_ parser: inout yaml_parser_t, file: String) throws(ScenarioError) {
    var stack: [Frame] = []
    var sizes: [String: Int] = [:]
    var expansion = 0
    var event = yaml_event_t()
    while true {
      // A syntax error: Yams reports it, located, when it composes the same text.
      guard yaml_parser_parse(&parser, &event) == 1 else { return }
      defer { yaml_event_delete(&event) }
      let type = event.type
      if type == YAML_STREAM_END_EVENT { return }
      let mark = event.start_mark
      func fail(_ path: String, _ message: String) -> ScenarioError {
        ScenarioError(
          file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1, key: path, message: message)
      }
      switch type {
      case YAML_SCALAR_EVENT, YAML_ALIAS_EVENT, YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
        let isKey = stack.last.map { $0.isMapping && $0.expectingKey } ?? false
        let path = currentPath(stack)
        var size = 1
        var nodeAnchor: String?
        if type == YAML_ALIAS_EVENT {
          let name = string(event.data.alias.anchor) ?? ""
          if isKey {
            throw fail(path, "an alias (*\(name)) cannot be a mapping key; write the key itself")
          }
          size = sizes[name] ?? 1
          expansion += size
          if expansion > maximumExpansion {
            throw fail(
              path, "aliases expand to more than \(maximumExpansion) values; write the document out instead")
          }
        } else if type == YAML_SCALAR_EVENT {
          let scalar = event.data.scalar
          let value = String(
            decoding: UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length)), as: UTF8.self)
          nodeAnchor = string(scalar.anchor)
          if scalar.style == YAML_PLAIN_SCALAR_STYLE && scalar.tag == nil && isSexagesimal(value) {
            throw fail(
              path,
              "found \(value), a base-60 number (YAML 1.1 reads digits between colons as one number in base 60); "
                + "write the number itself, or a duration such as 1h30m")
          }
          if isKey {
            var top = stack.removeLast()
            top.key = value
            stack.append(top)
          }
        } else {
          if isKey {
            throw fail(path, "expected a string key, found a \(type == YAML_MAPPING_START_EVENT ? "mapping" : "list")")
          }
          let anchor =
            type == YAML_MAPPING_START_EVENT
            ? string(event.data.mapping_start.anchor) : string(event.data.sequence_start.anchor)
          stack.append(Frame(isMapping: type == YAML_MAPPING_START_EVENT, path: path, anchor: anchor))
          continue
        }
        if let nodeAnchor { sizes[nodeAnchor] = size }
        finishChild(&stack, size: size)
      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        guard let done = stack.popLast() else { return }
        if let anchor = done.anchor { sizes[anchor] = done.size }
        finishChild(&stack, size: done.size)
      default:
        continue
      }
    }
  }

  /// Counts a finished child into its parent and moves the parent on.
  private static func finishChild(_ stack: inout [Frame], size: Int) {
    guard var top = stack.popLast() else { return }
    top.size = min(top.size + size, Int.max / 2)
    if top.isMapping {
      if !top.expectingKey { top.key = nil }
      top.expectingKey.toggle()
    } else {
      top.index += 1
    }
    stack.append(top)
  }

  /// The key path of the node about to start, as `NodeReader` spells it.
  private static func currentPath(_ stack: [Frame]) -> String {
    guard let top = stack.last else { return "" }
    if top.isMapping { return top.expectingKey ? top.path : child(top.path, top.key ?? "?") }
    return child(top.path, top.index)
  }

  private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    pointer.map { String(cString: $0) }
  }

  /// Yams' own int and float rules for base 60 (`190:20:30`, `-1:30.5`).
  static func isSexagesimal(_ text: String) -> Bool {
    guard text.contains(":") else { return false }
    var scalars = Substring(text)
    if let first = scalars.first, first == "+" || first == "-" { scalars = scalars.dropFirst() }
    var parts = scalars.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count >= 2, let last = parts.popLast() else { return false }
    let digits = "0123456789"
    guard let head = parts.first, let lead = head.first, digits.contains(lead),
      head.allSatisfy({ digits.contains($0) || $0 == "_" })
    else { return false }
    for middle in parts.dropFirst() where !isBase60Digit(middle) { return false }
    if isBase60Digit(last) { return lead != "0" }
    // A float's last part: a base-60 digit, a point, then digits.
    guard let point = last.firstIndex(of: ".") else { return false }
    return isBase60Digit(last[..<point])
      && last[last.index(after: point)...].allSatisfy { digits.contains($0) || $0 == "_" }
  }

  private static func isBase60Digit(_ part: Substring) -> Bool {
    guard (1...2).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
    return part.count == 1 || part.first.map { "012345".contains($0) } == true
  }
}
