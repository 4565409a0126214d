/// Why a scenario file was rejected, located precisely enough for an editor to jump there.
///
/// The simulator refuses to run anything from a file with an error (MODEL.md §7), so the
/// message has to be the whole story: where (file, line, column, key path), what was
/// expected and what was found.
///
/// A file with several errors is thrown as its first one (in file order) carrying the rest in
/// `others`, so code that handles one error keeps working and the description lists them all.
public struct ScenarioError: Error, CustomStringConvertible, Equatable, Sendable {
  public var file: String
  /// 1-based; `nil` when the problem has no position (e.g. an unreadable file).
  public var line: Int?
  /// 1-based, counted in Unicode scalars like libyaml does.
  public var column: Int?
  /// The key path, e.g. `campaigns[0].contacts.invalid`; `""` for the whole document.
  public var key: String
  public var message: String
  /// The file's further errors, in file order after this one; empty for a single error.
  public var others: [ScenarioError] = []
  /// Reading stopped at `maximumCount` errors; the file may have more.
  public var truncated = false

  /// Errors reported for one file at most.
  public static var maximumCount: Int { Diagnostics.limit }

  public init(file: String, line: Int? = nil, column: Int? = nil, key: String = "", message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.key = key
    self.message = message
  }

  /// This error and `others`, each on its own (with no `others`).
  public var all: [ScenarioError] {
    var first = self
    first.others = []
    first.truncated = false
    return [first] + others
  }

  /// `FILE:LINE:COLUMN: error: at 'KEY': MESSAGE`, the shape compilers use, so terminals and
  /// editors turn it into a link; one line per error, and a note when reading stopped early.
  /// Unknown parts are left out rather than printed as `0` or `''`.
  public var description: String {
    var lines = all.map(\.headline)
    if truncated {
      lines.append("\(file): note: stopped after \(Self.maximumCount) errors; fix these and validate again")
    }
    return lines.joined(separator: "\n")
  }

  private var headline: String {
    var out = file
    if let line {
      out += ":\(line)"
      if let column { out += ":\(column)" }
    }
    out += ": error: "
    if !key.isEmpty { out += "at '\(key)': " }
    return out + message
  }
}
