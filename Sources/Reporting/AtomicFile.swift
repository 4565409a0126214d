import Foundation

public struct OutputError: Error, CustomStringConvertible {
  public let path: String
  public let reason: String
  public var description: String { "\(path): error: \(reason)" }
}

/// Writes files so a reader sees either the old content or the new, never a
/// torn one: each goes to a temporary file in the same folder, then is renamed over.
public enum AtomicFile {
  public static func write(_ contents: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw OutputError(path: folder.path, reason: "cannot create folder: \(error.localizedDescription)")
    }
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    guard FileManager.default.createFile(atPath: temporary.path, contents: Data(contents.utf8)) else {
      throw OutputError(path: temporary.path, reason: "cannot write")
    }
    guard rename(temporary.path, url.path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporary)
      throw OutputError(path: url.path, reason: "cannot rename into place: \(reason)")
    }
  }

  /// Writes several files, each atomically; stops at the first failure.
  public static func write(_ files: [(path: String, contents: String)]) throws {
    for file in files { try write(file.contents, to: file.path) }
  }
}
