import Foundation

import ScenarioFormat

extension Document {
  /// Block-style YAML for people to read (`validate` without `--json`); short
  /// lists of scalars stay in flow style. Parses back to the same values.
  public func yaml() -> String {
    var out = ""
    writeYAML(to: &out, indent: 0, inline: false)
    return out
  }

  private func scalarYAML() -> String {
    switch self {
    case .string(let s):
      let plain = !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || "._-/".contains($0) }
        && Double(s) == nil && !["true", "false", "null", "yes", "no", "on", "off", "~"].contains(s.lowercased())
      return plain ? s : json().trimmingCharacters(in: .newlines)
    default: return json().trimmingCharacters(in: .newlines)
    }
  }

  private func writeYAML(to out: inout String, indent: Int, inline: Bool) {
    let pad = String(repeating: "  ", count: indent)
    switch self {
    case .object(let pairs) where !pairs.isEmpty:
      for (i, (key, value)) in pairs.enumerated() {
        if !(inline && i == 0) { out += pad }
        out += key + ":"
        switch value {
        case .object(let inner) where !inner.isEmpty:
          out += "\n"
          value.writeYAML(to: &out, indent: indent + 1, inline: false)
        case .array(let items) where !items.isEmpty && !items.allSatisfy(\.isScalarValue):
          out += "\n"
          value.writeYAML(to: &out, indent: indent + 1, inline: false)
        default:
          out += " " + value.flowYAML() + "\n"
        }
      }
    case .array(let items) where !items.isEmpty && !items.allSatisfy(\.isScalarValue):
      for item in items {
        out += pad + "- "
        item.writeYAML(to: &out, indent: indent + 1, inline: true)
      }
    default:
      out += (inline ? "" : pad) + flowYAML() + "\n"
    }
  }

  private func flowYAML() -> String {
    switch self {
    case .array(let items): return "[" + items.map { $0.flowYAML() }.joined(separator: ", ") + "]"
    case .object(let pairs): return "{" + pairs.map { "\($0.0): \($0.1.flowYAML())" }.joined(separator: ", ") + "}"
    default: return scalarYAML()
    }
  }

  fileprivate var isScalarValue: Bool {
    switch self {
    case .array, .object: false
    default: true
    }
  }
}
