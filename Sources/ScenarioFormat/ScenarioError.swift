/// Why a scenario file was rejected, located precisely enough for an editor to jump there.
///
/// The simulator refuses to run anything from a file with an error (MODEL.md §7), so the
/// message has to be the whole story: where (file, line, column, key path), what was
/// expected and what was found.
public struct ScenarioError: Error, CustomStringConvertible, Equatable, Sendable {
  public var file: String
  /// 1-based; `nil` when the problem has no position (e.g. an unreadable file).
  public var line: Int?
  /// 1-based, counted in Unicode scalars like libyaml does.
  public var column: Int?
  /// The key path, e.g. `campaigns[0].contacts.invalid`; `""` for the whole document.
  public var key: String
  public var message: String

  public init(file: String, line: Int? = nil, column: Int? = nil, key: String = "", message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.key = key
    self.message = message
  }

  /// `FILE:LINE:COLUMN: error: at 'KEY': MESSAGE`, the shape compilers use, so terminals and
  /// editors turn it into a link. Unknown parts are left out rather than printed as `0` or `''`.
  public var description: String {
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
