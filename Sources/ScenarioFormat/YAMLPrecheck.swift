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
/// Syntax errors are left to Yams, whose messages the loader already locates, but for one
/// that YAML users fall into: an unquoted value starting with `>` (`until: >= 3d`, a threshold
/// `- >= 0.9`) begins a folded block scalar, and libyaml's complaint about the block's header
/// says nothing of the comparison that was meant. Likewise a value starting with `!` (`!= 0`) is
/// a tag, which quietly leaves `0` as the value.
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
      try scan(&parser, text: text, file: file)
    }
  }

  private static func scan(_ parser: inout yaml_parser_t, text: String, file: String) throws(ScenarioError) {
    var stack: [Frame] = []
    var sizes: [String: Int] = [:]
    var expansion = 0
    var event = yaml_event_t()
    while true {
      // A syntax error: Yams reports it, located, when it composes the same text.
      guard yaml_parser_parse(&parser, &event) == 1 else {
        for mark in [parser.context_mark, parser.problem_mark] {
          let line = Int(mark.line) + 1
          let column = Int(mark.column) + 1
          guard let value = comparisonValue(in: text, line: line, column: column, indicator: ">") else { continue }
          throw ScenarioError(
            file: file, line: line, column: column, key: currentPath(stack),
            message: quoteHint(value, indicator: "> begins a folded block scalar"))
        }
        return
      }
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
          if let tag = string(scalar.tag), tag.hasPrefix("!="), scalar.style == YAML_PLAIN_SCALAR_STYLE {
            let written = comparisonValue(
              in: text, line: Int(mark.line) + 1, column: Int(mark.column) + 1, indicator: "!")
            throw fail(path, quoteHint(written ?? "\(tag) \(value)", indicator: "! begins a tag"))
          }
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

  /// The value written at (`line`, `column`) when it starts with `indicator` followed by
  /// something a comparison would have (`>= 0.9`, `> 1h`, `!= 0`), up to the end of the line, the
  /// end of a flow item, or a comment; `nil` for anything else (a real block scalar or tag).
  static func comparisonValue(in text: String, line: Int, column: Int, indicator: Unicode.Scalar) -> String? {
    // By scalars, as libyaml counts: a "\r\n" is one Character and would hide the line break.
    var lines = text.unicodeScalars.split(separator: "\n", maxSplits: line, omittingEmptySubsequences: false)
    guard line >= 1, line <= lines.count else { return nil }
    let scalars = Array(lines.remove(at: line - 1))
    let start = column - 1
    guard start >= 0, start + 1 < scalars.count, scalars[start] == indicator else { return nil }
    var value = String.UnicodeScalarView()
    for scalar in scalars[start...] {
      if scalar == "," || scalar == "]" || scalar == "}" || scalar == "#" || scalar == "\r" { break }
      value.append(scalar)
    }
    let written = String(value).trimmingCharacters(in: .whitespaces)
    // What follows the indicator: `=`, or a space and then a value (`> 0.9`), but not a block
    // header alone (`>-`, `>2`) or a tag name (`!!str`).
    let rest = written.unicodeScalars.dropFirst()
    guard let next = rest.first else { return nil }
    if next == "=" { return written }
    guard next == " ", let first = rest.drop(while: { $0 == " " }).first else { return nil }
    return first.properties.numericType != nil || first == "." || first == "-" ? written : nil
  }

  /// What to say about a comparison YAML misread: quote it (single quotes keep every character).
  static func quoteHint(_ value: String, indicator: String) -> String {
    let quoted = "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    return "found \(value) unquoted, but in YAML a value starting with \(indicator); "
      + "quote the value: \(quoted)"
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
