/// One file of a report set, rendered while it is written (`ReportFolder.write`): the files of a
/// set are never in memory together, and a streamed one (report.json) never whole. Issue 10:
/// 10 000 campaigns held their report.json as a tree and a 53 MB string at once.
public struct ReportFile {
  public let name: String
  /// Hands the file's text, in order, to its argument, in as many pieces as it likes.
  let produce: ((String) -> Void) -> Void

  public init(_ name: String, produce: @escaping ((String) -> Void) -> Void) {
    self.name = name
    self.produce = produce
  }

  /// A file whose text is rendered in one piece, when it is written.
  public init(_ name: String, render: @escaping () -> String) {
    self.init(name) { emit in emit(render()) }
  }

  /// A file whose text already exists.
  public init(_ name: String, contents: String) {
    self.init(name) { emit in emit(contents) }
  }

  /// The whole text, for tests and for callers that edit it.
  public var contents: String {
    var text = ""
    produce { text += $0 }
    return text
  }
}
