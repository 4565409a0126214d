import Foundation

/// GitHub Actions' job summary: Markdown appended to the file `GITHUB_STEP_SUMMARY` names.
/// GitHub refuses a step's summary over 1 MiB and shows none of it, so what does not fit is cut
/// at a line end, with a note saying where the whole text is.
public enum StepSummary {
  /// GitHub's limit for one step's summary, in bytes.
  public static let limit = 1_048_576

  /// `existing` followed by `markdown`, cut to stay under `limit` bytes in all.
  public static func appended(_ markdown: String, to existing: String, limit: Int = limit, whole: String) -> String {
    let separator = existing.isEmpty || existing.hasSuffix("\n\n") ? "" : existing.hasSuffix("\n") ? "\n" : "\n\n"
    let head = existing + separator
    if head.utf8.count + markdown.utf8.count < limit { return head + markdown }
    let note = "\n\n> Cut to stay under GitHub's 1 MiB step-summary limit; the whole text is in \(whole).\n"
    let room = limit - 1 - head.utf8.count - note.utf8.count
    guard room > 0 else { return existing }
    var bytes = Array(markdown.utf8.prefix(room))
    // Whole lines only: a cut table row or code fence would garble everything after it.
    while let last = bytes.last, last != UInt8(ascii: "\n") { bytes.removeLast() }
    return head + String(decoding: bytes, as: UTF8.self) + note
  }

  /// Appends `markdown` to the summary file at `path`, replacing it atomically.
  public static func append(_ markdown: String, to path: String, whole: String) throws(OutputError) {
    var existing = ""
    if FileManager.default.fileExists(atPath: path) {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw OutputError(path: path, reason: "cannot read the step summary")
      }
      existing = String(decoding: data, as: UTF8.self)
    }
    try AtomicFile.write(appended(markdown, to: existing, whole: whole), to: path)
  }
}
