import Foundation

public struct OutputError: Error, CustomStringConvertible {
  public let path: String
  public let reason: String

  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  public var description: String { "\(path): error: \(reason)" }
}

/// Writes one file so a reader sees either the old content or the new, never a
/// torn one: it goes to a temporary file in the same folder, fsynced, then is
/// renamed over. A report *set* goes through `ReportFolder` instead.
public enum AtomicFile {
  /// Refuses, before anything runs, a path no file can be written to: empty, a folder, something
  /// other than a regular file (a device or pipe cannot be replaced by a rename), or a place
  /// where its folder cannot be created or written in. `what` names the option in the message.
  public static func check(_ path: String, what: String) throws(OutputError) {
    func refuse(_ reason: String) -> OutputError { OutputError(path: path.isEmpty ? what : path, reason: reason) }
    guard !path.isEmpty else { throw refuse("empty path; expected a file for \(what)") }
    guard !path.utf8.contains(0) else { throw refuse("the path contains a NUL character") }
    let last = ReportFolder.lastComponent(path)
    guard !path.hasSuffix("/"), !["", ".", ".."].contains(last) else {
      throw refuse("is a folder name; \(what) takes a file")
    }
    var status = stat()
    if stat(path, &status) == 0 {
      switch status.st_mode & S_IFMT {
      case S_IFDIR: throw refuse("is a folder; \(what) takes a file")
      case S_IFREG: break
      default: throw refuse("is not a regular file (it is replaced as a whole when written)")
      }
    } else if errno != ENOENT && errno != ENOTDIR {
      throw refuse(ReportFolder.errnoText())
    }
    // The nearest existing folder up the path must be one we may create and rename files in.
    var ancestor = ReportFolder.parent(of: path)
    while stat(ancestor, &status) != 0 {
      guard errno == ENOENT else { throw refuse("cannot create its folder: \(ReportFolder.errnoText())") }
      let up = ReportFolder.parent(of: ancestor)
      if up == ancestor { break }
      ancestor = up
    }
    guard (status.st_mode & S_IFMT) == S_IFDIR else {
      throw refuse("cannot create its folder: '\(ancestor)' is not a folder")
    }
    guard access(ancestor, W_OK | X_OK) == 0 else {
      throw refuse("cannot write in '\(ancestor)': \(ReportFolder.errnoText())")
    }
  }

  public static func write(_ contents: String, to path: String) throws(OutputError) {
    let folder = ReportFolder.parent(of: path)
    try ReportFolder.createFolders(folder)
    let temporary = folder + "/.\(ReportFolder.lastComponent(path)).\(getpid()).tmp"
    unlink(temporary)
    try ReportFolder.writeDurably(temporary, ReportFile(temporary, contents: contents))
    guard rename(temporary, path) == 0 else {
      let reason = ReportFolder.errnoText()
      unlink(temporary)
      throw OutputError(path: path, reason: "cannot rename into place: \(reason)")
    }
  }
}
