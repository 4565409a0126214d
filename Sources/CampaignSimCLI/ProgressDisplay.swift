import ArgumentParser
import CampaignModel
import Foundation
import Reporting

enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
  case auto, always, never
}

/// One line on stderr, rewritten in place (its text: `ProgressLine`). Quiet for the first
/// second so short runs print nothing, and (in `auto`) unless stderr is a terminal, so pipes
/// and CI logs stay clean.
final class ProgressDisplay {
  let started = EngineStats.now()
  var lastDraw = 0.0
  var drawn = false

  static func make(_ mode: ProgressMode) -> ProgressDisplay? {
    switch mode {
    case .never: nil
    case .always: ProgressDisplay()
    case .auto: isatty(STDERR_FILENO) == 1 ? ProgressDisplay() : nil
    }
  }

  func update(_ p: Simulation.Progress) {
    let now = EngineStats.now()
    let elapsed = now - started
    guard elapsed >= 1, now - lastDraw >= 0.2 else { return }
    lastDraw = now
    // One column short of the width: a line filling the last column wraps on some terminals.
    let line = ProgressLine.text(p, elapsed: elapsed, width: Self.standardErrorColumns() - 1)
    FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    drawn = true
  }

  /// Asked at every draw, so a resized window is followed.
  static func standardErrorColumns() -> Int {
    var size = winsize()
    guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
  }

  func finish() {
    if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }
}
