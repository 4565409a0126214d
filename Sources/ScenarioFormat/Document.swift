import Foundation

/// An ordered JSON value. Objects keep the order their keys were added in, so
/// output never depends on hash-map iteration order.
public indirect enum Document: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([Document])
  case object([(String, Document)])

  public static func == (lhs: Document, rhs: Document) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): true
    case (.bool(let a), .bool(let b)): a == b
    case (.int(let a), .int(let b)): a == b
    case (.double(let a), .double(let b)): a == b
    case (.string(let a), .string(let b)): a == b
    case (.array(let a), .array(let b)): a == b
    case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: false
    }
  }

  /// The value under `key` of an object.
  public subscript(key: String) -> Document? {
    guard case .object(let pairs) = self else { return nil }
    return pairs.first { $0.0 == key }?.1
  }

  /// Pretty JSON, two-space indent, `\n` line ends, a final newline.
  /// Doubles use Swift's shortest round-trip form, identical on every machine.
  public func json() -> String {
    var out = ""
    write(to: &out, indent: 0)
    out += "\n"
    return out
  }

  func write(to out: inout String, indent: Int) {
    switch self {
    case .null: out += "null"
    case .bool(let value): out += value ? "true" : "false"
    case .int(let value): out += String(value)
    case .double(let value): out += Document.format(value)
    case .string(let value): Document.writeString(value, to: &out)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
        return
      }
      // Arrays of scalars stay on one line: time series columns remain readable.
      if items.allSatisfy(\.isScalar) {
        out += "["
        for (i, item) in items.enumerated() {
          if i > 0 { out += ", " }
          item.write(to: &out, indent: indent)
        }
        out += "]"
        return
      }
      out += "[\n"
      for (i, item) in items.enumerated() {
        out += String(repeating: "  ", count: indent + 1)
        item.write(to: &out, indent: indent + 1)
        out += i + 1 < items.count ? ",\n" : "\n"
      }
      out += String(repeating: "  ", count: indent) + "]"
    case .object(let pairs):
      if pairs.isEmpty {
        out += "{}"
        return
      }
      out += "{\n"
      for (i, (key, value)) in pairs.enumerated() {
        out += String(repeating: "  ", count: indent + 1)
        Document.writeString(key, to: &out)
        out += ": "
        value.write(to: &out, indent: indent + 1)
        out += i + 1 < pairs.count ? ",\n" : "\n"
      }
      out += String(repeating: "  ", count: indent) + "}"
    }
  }

  var isScalar: Bool {
    switch self {
    case .array, .object: false
    default: true
    }
  }

  /// A number as report.json writes it: whole values without a fraction, others in Swift's
  /// shortest round-trip form, `null` when not finite.
  public static func format(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }

  /// `string` as a JSON string literal, appended to `out`.
  public static func writeString(_ string: String, to out: inout String) {
    out += "\""
    // Most strings need no escape: append them whole.
    if string.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
      out += string
      out += "\""
      return
    }
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    out += "\""
  }
}

/// A JSON value written as it is produced: big arrays and objects are built one element at a
/// time and handed to `emit` in pieces, so a report of 10 000 campaigns never exists whole as a
/// `Document` tree or a `String`. Written with exactly `Document.json()`'s layout.
public enum DocumentStream {
  case value(Document)
  /// An array of `count` objects or arrays (never scalars: those `json()` puts on one line),
  /// element `i` built by `element(i)` when it is written.
  case lazyArray(count: Int, element: (Int) -> Document)
  /// An object of `count` members, member `i` built when it is written.
  case lazyObject(count: Int, member: (Int) -> (String, Document))
  case object([(String, DocumentStream)])

  /// Writes the value and a final newline, calling `emit` with pieces of about `chunk` bytes.
  ///
  /// - Complexity: O(output); memory O(`chunk` + the largest element).
  public func json(chunk: Int = 1 << 20, emit: (String) -> Void) {
    var out = ""
    write(to: &out, indent: 0, chunk: chunk, emit: emit)
    out += "\n"
    emit(out)
  }

  /// The same value as one tree (`materialized.json() == json()`), for callers that edit it.
  public var materialized: Document {
    switch self {
    case .value(let document): document
    case .lazyArray(let count, let element): .array((0..<count).map(element))
    case .lazyObject(let count, let member): .object((0..<count).map(member))
    case .object(let pairs): .object(pairs.map { ($0.0, $0.1.materialized) })
    }
  }

  /// The whole text at once, for tests and small reports.
  public func json() -> String {
    var text = ""
    json { text += $0 }
    return text
  }

  func write(to out: inout String, indent: Int, chunk: Int, emit: (String) -> Void) {
    func flush() {
      if out.utf8.count >= chunk {
        emit(out)
        out = ""
      }
    }
    let inner = String(repeating: "  ", count: indent + 1)
    let close = String(repeating: "  ", count: indent)
    switch self {
    case .value(let document): document.write(to: &out, indent: indent)
    case .lazyArray(let count, let element):
      guard count > 0 else {
        out += "[]"
        return
      }
      out += "[\n"
      for i in 0..<count {
        let item = element(i)
        assert(!item.isScalar, "a lazy array holds containers: json() writes scalar arrays on one line")
        out += inner
        item.write(to: &out, indent: indent + 1)
        out += i + 1 < count ? ",\n" : "\n"
        flush()
      }
      out += close + "]"
    case .lazyObject(let count, let member):
      guard count > 0 else {
        out += "{}"
        return
      }
      out += "{\n"
      for i in 0..<count {
        let (key, value) = member(i)
        out += inner
        Document.writeString(key, to: &out)
        out += ": "
        value.write(to: &out, indent: indent + 1)
        out += i + 1 < count ? ",\n" : "\n"
        flush()
      }
      out += close + "}"
    case .object(let pairs):
      guard !pairs.isEmpty else {
        out += "{}"
        return
      }
      out += "{\n"
      for (i, (key, value)) in pairs.enumerated() {
        out += inner
        Document.writeString(key, to: &out)
        out += ": "
        value.write(to: &out, indent: indent + 1, chunk: chunk, emit: emit)
        out += i + 1 < pairs.count ? ",\n" : "\n"
        flush()
      }
      out += close + "}"
    }
  }
}
