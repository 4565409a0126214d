import Foundation
import Testing

@testable import Reporting

/// Issue 10 #2 and #3: a report set is replaced whole or not at all.
@Suite struct ReportFolderTests {
  static let oldSet: [(name: String, contents: String)] = [
    ("report.json", "{\"old\": 1}\n"), ("report.md", "# old\n"), ("report.html", "<p>old</p>\n"),
    ("timeseries.csv", "old,1\n"), ("outcomes.csv", "old,2\n"),
  ]
  static let newSet = oldSet.map { ($0.name, $0.contents.replacingOccurrences(of: "old", with: "new")) }

  func scratch() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("report-folder-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  func contents(of folder: String) throws -> [String: String] {
    var out: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
      out[name] = (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? "<folder>"
    }
    return out
  }

  func expected(_ set: [(name: String, contents: String)]) -> [String: String] {
    Dictionary(uniqueKeysWithValues: set.map { ($0.name, $0.contents) })
  }

  @Test func writesTheSetThenReplacesItWhole() throws {
    let parent = scratch()
    let folder = ReportFolder.run(parent + "/deep/er/out")
    try folder.write(Self.oldSet)
    #expect(try contents(of: folder.path) == expected(Self.oldSet))
    // A smaller set replaces the previous one entirely: no stale HTML beside a new JSON.
    try folder.write([Self.newSet[0]])
    #expect(try contents(of: folder.path) == ["report.json": "{\"new\": 1}\n"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: parent + "/deep/er") == ["out"])
  }

  @Test func aFailureMidSetLeavesThePreviousSetAndNoTemporaryFiles() throws {
    let parent = scratch()
    let folder = ReportFolder.run(parent + "/out")
    try folder.write(Self.oldSet)
    var written = 0
    #expect {
      try folder.write(Self.newSet, interruption: { nil }) { path, bytes throws(OutputError) in
        written += 1
        if written == 3 { throw OutputError(path: path, reason: String(cString: strerror(ENOSPC))) }
        try ReportFolder.writeDurably(path, bytes)
      }
    } throws: { error in
      guard case .failed(let problem) = error as? ReportWriteError else { return false }
      return problem.path == parent + "/out/report.html" && problem.reason == "No space left on device"
    }
    #expect(written == 3)
    #expect(try contents(of: folder.path) == expected(Self.oldSet))
    #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["out"])
  }

  @Test func anInterruptionBeforeTheSwapLeavesThePreviousSet() throws {
    let parent = scratch()
    let folder = ReportFolder.run(parent + "/out")
    try folder.write(Self.oldSet)
    var asked = 0
    #expect {
      try folder.write(
        Self.newSet,
        interruption: {
          asked += 1
          return asked > 2 ? 143 : nil
        })
    } throws: { error in
      guard case .interrupted(143) = error as? ReportWriteError else { return false }
      return true
    }
    #expect(asked == 3)
    #expect(try contents(of: folder.path) == expected(Self.oldSet))
    #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["out"])
  }

  @Test func theSweepSubfolderIsCarriedOver() throws {
    let parent = scratch()
    let sweep = ReportFolder.sweep(parent + "/out/sweep")
    try sweep.write([("sweep.csv", "a,b\n")])
    let run = ReportFolder.run(parent + "/out")
    try run.write(Self.oldSet)
    try run.write(Self.newSet)
    var wanted = expected(Self.newSet)
    wanted["sweep"] = "<folder>"
    #expect(try contents(of: run.path) == wanted)
    #expect(try contents(of: sweep.path) == ["sweep.csv": "a,b\n"])
  }

  @Test func pathsThatCannotBeAReportFolderAreRefused() throws {
    let parent = scratch()
    try "mine\n".write(toFile: parent + "/notes.txt", atomically: false, encoding: .utf8)
    let refused = ["", "/", ".", "..", "a/..", parent + "/notes.txt", parent, String(repeating: "n", count: 256)]
    for path in refused {
      #expect(throws: OutputError.self, "\(path)") { try ReportFolder.run(path).check() }
      #expect(throws: ReportWriteError.self, "\(path)") { try ReportFolder.run(path).write(Self.oldSet) }
    }
    // The user's file is never touched, and nothing was added beside it.
    #expect(try contents(of: parent) == ["notes.txt": "mine\n"])
    try ReportFolder.run(parent + "/new/").check()
  }

  @Test func theFileSystemsOwnReasonIsReported() {
    #expect {
      try ReportFolder.writeDurably("/nonexistent-\(UUID().uuidString)/report.json", [1])
    } throws: { error in
      (error as? OutputError)?.reason == "No such file or directory"
    }
  }
}
