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

  static func format(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }

  static func writeString(_ string: String, to out: inout String) {
    out += "\""
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
