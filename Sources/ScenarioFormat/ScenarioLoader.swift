import CampaignModel
import Foundation
import RunPlan
import Yams

/// Turns a scenario file (YAML or JSON, MODEL.md §7) into a `ScenarioFile` (the model's `Scenario`
/// and the run settings beside it), or into one located error.
///
/// JSON is read by the YAML parser (it is YAML flow syntax), so both formats get the same
/// positions, the same checks and the same messages.
public enum ScenarioLoader {
  public static func load(path: String) throws(ScenarioError) -> ScenarioFile {
    try parse(readText(path: path), file: path)
  }

  /// The file's text, or a located error: missing, a directory, unreadable, not UTF-8.
  static func readText(path: String) throws(ScenarioError) -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ScenarioError(file: path, message: "no such file")
    }
    if isDirectory.boolValue { throw ScenarioError(file: path, message: "is a directory, expected a scenario file") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ScenarioError(file: path, message: "cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      let (offset, line, column) = firstInvalidUTF8(in: Array(data))
      throw ScenarioError(
        file: path, line: line, column: column,
        message:
          "the file is not UTF-8 text: invalid byte 0x\(String(data[data.startIndex + offset], radix: 16, uppercase: true)) at byte offset \(offset)"
      )
    }
    return text
  }

  /// `file` is only used in error messages and, when the document has no `name`, to name the
  /// scenario after the file (without directory and extension).
  public static func parse(_ text: String, file: String) throws(ScenarioError) -> ScenarioFile {
    let schema = ScenarioSchema(reader: NodeReader(file: file), defaultName: defaultName(forFile: file))
    return try schema.scenarioFile(composeRoot(text, file: file))
  }

  /// The document's root node, after the checks every scenario reader needs (hostile YAML first).
  static func composeRoot(_ text: String, file: String) throws(ScenarioError) -> Node {
    try YAMLPrecheck.check(text, file: file)
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw locate(error, in: text, file: file)
    } catch {
      throw ScenarioError(file: file, line: 1, column: 1, message: "cannot parse: \(error)")
    }
    guard let root else {
      throw ScenarioError(
        file: file, line: 1, column: 1, message: "empty document; expected a mapping with senders and campaigns")
    }
    return root
  }

  /// A name derived from the file so that unnamed scenarios still get a distinct report folder;
  /// characters that `name` would reject are replaced rather than failing a file the user never
  /// asked to be named.
  static func defaultName(forFile file: String) -> String {
    var base = Substring(file.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
    if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = base[..<dot] }
    var name = ""
    for scalar in base.unicodeScalars {
      name += isValidScenarioName(String(scalar)) || scalar == "." ? String(scalar) : "-"
    }
    return isValidScenarioName(name) ? name : "scenario"
  }

  /// Where UTF-8 decoding of `bytes` first fails: the byte offset, and the
  /// line and column (in scalars) of that byte, so an editor can jump there.
  static func firstInvalidUTF8(in bytes: [UInt8]) -> (offset: Int, line: Int, column: Int) {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var offset = 0
    var line = 1
    var column = 1
    while case .scalarValue(let scalar) = decoder.decode(&iterator) {
      offset += UTF8.width(scalar)
      if scalar == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return (min(offset, max(bytes.count - 1, 0)), line, column)
  }

  // MARK: YAML errors

  static func locate(_ error: YamlError, in text: String, file: String) -> ScenarioError {
    func syntax(_ problem: String, _ mark: Mark, _ context: YamlError.Context?) -> ScenarioError {
      // libyaml phrases some problems as the second half of "expected X but found Y".
      let problem = problem.hasPrefix("but ") ? String(problem.dropFirst(4)) : problem
      var message = "invalid YAML: \(problem)"
      if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
      return ScenarioError(file: file, line: mark.line, column: mark.column, message: message)
    }
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      return syntax(problem, mark, context)
    case .reader(let problem, let offset, _, _):
      let position = offset.map { lineAndColumn(ofCharacter: $0, in: text) }
      return ScenarioError(
        file: file, line: position?.line, column: position?.column, message: "unreadable text: \(problem)")
    case .duplicatedKeysInMapping(let duplicates, let context):
      return DuplicateKeyLocator(text: text, file: file).locate(name: duplicates.first ?? "", first: context.mark)
    default:
      return ScenarioError(file: file, message: "cannot parse: \(error)")
    }
  }

  static func lineAndColumn(ofCharacter offset: Int, in text: String) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    for character in text.prefix(offset) {
      if character == "\n" || character == "\r\n" {
        line += 1
        column = 1
      } else {
        column += character.unicodeScalars.count
      }
    }
    return (line, column)
  }
}
