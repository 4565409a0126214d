import Foundation

/// The few ANSI colours of the terminal summary. Not Rainbow's: it decides colour once per
/// process in global switches, where the summary decides per stream (stdout, or stderr under
/// `--summary-json -`), and it would save five lines.
public enum ANSIStyle: String, Sendable {
  case red = "31"
  case green = "32"
  case yellow = "33"

  func wrap(_ text: String) -> String { "\u{1B}[\(rawValue)m\(text)\u{1B}[0m" }
}

public enum Terminal {
  /// Colour only for a person at a terminal: never into a file or pipe, never
  /// when `NO_COLOR` is set to anything non-empty (https://no-color.org), and
  /// not on a `dumb` terminal that cannot show it.
  public static func wantsColour(environment: [String: String], isTerminal: Bool) -> Bool {
    guard isTerminal else { return false }
    if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
    return environment["TERM"] != "dumb"
  }

  /// Whether this process's standard output is a terminal, and the environment allows colour.
  public static func standardOutputWantsColour() -> Bool {
    wantsColour(environment: ProcessInfo.processInfo.environment, isTerminal: isatty(STDOUT_FILENO) != 0)
  }
}
