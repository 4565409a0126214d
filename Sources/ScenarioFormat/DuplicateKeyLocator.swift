import Yams

/// Finds the key path and the second occurrence of a key repeated in one mapping.
///
/// Yams rejects the repetition while composing, with only the first occurrence's position and
/// no tree, so neither the path nor the offending (second) line is known. This renames the first
/// occurrence in a copy of the text, composes that copy, and looks the two keys up in the tree.
/// It only runs on the error path; if anything goes wrong it falls back to what Yams said.
struct DuplicateKeyLocator {
  let text: String
  let file: String

  /// Enough renames for a key written three or four times, or a few repeated keys at once.
  static let maximumRenames = 8

  func locate(name: String, first: Mark) -> ScenarioError {
    let fallback = ScenarioError(
      file: file, line: first.line, column: first.column, key: name,
      message: "key '\(name)' appears more than once in the same mapping")
    var current = text
    var originals: [String: String] = [:]
    var mark = first
    var repeated = name
    var firstShift: (line: Int, column: Int, delta: Int)?
    for attempt in 0..<Self.maximumRenames {
      let sentinel = "__campaignsim_repeated_key_\(attempt)__"
      guard let (renamed, delta) = rename(in: current, at: mark, to: sentinel) else { return fallback }
      if attempt == 0 { firstShift = (mark.line, mark.column, delta) }
      current = renamed
      originals[sentinel] = repeated
      do {
        guard let root = try Yams.compose(yaml: current) else { return fallback }
        return report(root, originals: originals, name: name, shift: firstShift) ?? fallback
      } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
        mark = context.mark
        repeated = duplicates.first ?? ""
      } catch {
        return fallback
      }
    }
    return fallback
  }

  private func report(
    _ root: Node, originals: [String: String], name: String, shift: (line: Int, column: Int, delta: Int)?
  )
    -> ScenarioError?
  {
    guard let (mapping, path) = find("__campaignsim_repeated_key_0__", in: root, path: "", originals: originals) else {
      return nil
    }
    let keys = mapping.map(\.key)
    guard let firstIndex = keys.firstIndex(where: { $0.scalar?.string == "__campaignsim_repeated_key_0__" }),
      let second = keys[(firstIndex + 1)...].first(where: { key in
        let text = key.scalar?.string ?? ""
        return (originals[text] ?? text) == name
      }),
      let firstMark = keys[firstIndex].mark, let secondMark = second.mark
    else { return nil }
    // The rename changed the length of its line; undo that for a second key on the same line.
    var column = secondMark.column
    if let shift, secondMark.line == shift.line, secondMark.column > shift.column { column -= shift.delta }
    return ScenarioError(
      file: file, line: secondMark.line, column: column, key: child(path, name),
      message: "key '\(name)' appears more than once in the same mapping (first at line \(firstMark.line))")
  }

  private func find(_ sentinel: String, in node: Node, path: String, originals: [String: String])
    -> (Node.Mapping, String)?
  {
    switch node {
    case .mapping(let mapping):
      for (key, value) in mapping {
        let text = key.scalar?.string ?? ""
        if text == sentinel { return (mapping, path) }
        if let found = find(sentinel, in: value, path: child(path, originals[text] ?? text), originals: originals) {
          return found
        }
      }
    case .sequence(let sequence):
      for (index, item) in sequence.enumerated() {
        if let found = find(sentinel, in: item, path: child(path, index), originals: originals) { return found }
      }
    default: break
    }
    return nil
  }

  /// Replaces the key token starting at `mark` with a quoted sentinel; returns the new text and how
  /// many columns the rest of that line moved.
  private func rename(in text: String, at mark: Mark, to sentinel: String) -> (String, Int)? {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
    guard mark.line >= 1, mark.line <= lines.count else { return nil }
    let line = lines[mark.line - 1]
    let start = mark.column - 1
    guard start >= 0, start < line.count else { return nil }
    var end = start
    let opening = line[start]
    if opening == "\"" || opening == "'" {
      end += 1
      while end < line.count {
        if opening == "\"" && line[end] == "\\" {
          end += 2
          continue
        }
        if line[end] == opening {
          if opening == "'" && end + 1 < line.count && line[end + 1] == "'" {
            end += 2
            continue
          }
          end += 1
          break
        }
        end += 1
      }
      guard end <= line.count, line[end - 1] == opening, end - start >= 2 else { return nil }
    } else {
      while end < line.count {
        let scalar = line[end]
        if scalar == ":" && (end + 1 == line.count || " \t\r,}]".unicodeScalars.contains(line[end + 1])) { break }
        if ",}]#".unicodeScalars.contains(scalar) { break }
        end += 1
      }
      while end > start && (line[end - 1] == " " || line[end - 1] == "\t") { end -= 1 }
      guard end > start else { return nil }
    }
    let replacement = Array("\"\(sentinel)\"".unicodeScalars)
    lines[mark.line - 1] = Array(line[..<start]) + replacement + Array(line[end...])
    var scalars = String.UnicodeScalarView()
    for (index, line) in lines.enumerated() {
      if index > 0 { scalars.append("\n") }
      scalars.append(contentsOf: line)
    }
    return (String(scalars), replacement.count - (end - start))
  }
}
