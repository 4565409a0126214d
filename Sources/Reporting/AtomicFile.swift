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
