import Dispatch
import Foundation

/// SIGINT and SIGTERM, handled so that an interruption never costs a report.
///
/// While the simulation runs nothing has been written, so a signal ends the
/// process at once (exit 130 for SIGINT, 143 for SIGTERM, the shell's
/// convention). Once writing has started the signal is only noted: the report
/// writer abandons its staged set at the next file, or, if the set is already
/// being swapped in, the swap completes first; either way the folder holds one
/// whole set.
final class Interruption: @unchecked Sendable {
  static let shared = Interruption()

  private let lock = NSLock()
  private var writing = false
  private var pendingStatus: Int32?
  private var sources: [DispatchSourceSignal] = []

  /// Starts listening; call once, before any work.
  func install() {
    lock.lock()
    defer { lock.unlock() }
    guard sources.isEmpty else { return }
    for (number, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
      // Dispatch only sees signals whose default action is disabled.
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { [self] in received(status) }
      source.resume()
      sources.append(source)
    }
  }

  private func received(_ status: Int32) {
    lock.lock()
    defer { lock.unlock() }
    guard writing else {
      let message = "\ninterrupted: no report written; any previous report is unchanged\n"
      FileHandle.standardError.write(Data(message.utf8))
      // _exit, not exit: the simulation threads are still running, and exit's
      // destructors would race them.
      _exit(status)
    }
    if pendingStatus == nil { pendingStatus = status }
  }

  /// From now on a signal is noted instead of ending the process.
  func beginWriting() {
    lock.lock()
    writing = true
    lock.unlock()
  }

  /// The exit status of a signal received since `beginWriting`, if any.
  var pending: Int32? {
    lock.lock()
    defer { lock.unlock() }
    return pendingStatus
  }
}
