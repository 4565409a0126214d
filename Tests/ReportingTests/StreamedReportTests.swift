import Analysis
import CampaignModel
import Foundation
import ScenarioFormat
import SimKernel
import Testing

@testable import Reporting

/// Issue 10 #4: report.json is written as it is built, one campaign at a time. The streamed text
/// must be the bytes the whole tree would give, however small the pieces.
@Suite struct StreamedReportTests {
  static let scenario = Scenario(
    name: "streamed", replications: 3, senders: [Sender(id: "s", throughputMPS: 50)],
    campaigns: (0..<4).map { Campaign(id: "c\($0)", sender: "s", start: SimTime($0) * Time.second, audience: 30) })

  @Test(arguments: [1, 100, 1 << 20])
  func piecesJoinToTheWholeDocument(chunk: Int) {
    let analysis = ReplicatedRun.run(Self.scenario, threads: 1)
    let stream = JSONReport.stream(analysis.first, engine: nil, analysis: analysis)
    var pieces: [String] = []
    stream.json(chunk: chunk) { pieces.append($0) }
    let whole = JSONReport.document(analysis.first, engine: nil, analysis: analysis).json()
    #expect(pieces.joined() == whole)
    #expect(whole.contains("\"statistics\""), "replications: the streamed statistics are covered")
    // Small pieces really are small: the writer hands over at least one piece per campaign.
    if chunk == 1 { #expect(pieces.count > Self.scenario.campaigns.count) }
    if chunk == 1 << 20 { #expect(pieces.count == 1) }
  }

  @Test func emptyLazyContainersMatchTheTree() {
    let stream = DocumentStream.object([
      ("a", .lazyArray(count: 0) { _ in .null }), ("b", .lazyObject(count: 0) { _ in ("", .null) }),
      ("c", .object([])), ("d", .lazyArray(count: 2) { .array([.int($0), .int($0)]) }),
    ])
    #expect(stream.json() == stream.materialized.json())
    #expect(
      stream.json() == "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": {},\n  \"d\": [\n    [0, 0],\n    [1, 1]\n  ]\n}\n")
  }

  /// A file is written piece by piece as it renders; an existing path is refused (the set is
  /// staged in a fresh folder, so that means another writer), not overwritten.
  @Test func aFileIsWrittenAsItRenders() throws {
    var rendered = 0
    let file = ReportFile("big.json") { emit in
      for _ in 0..<5 {
        rendered += 1
        emit("piece\n")
      }
    }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString)").path
    try ReportFolder.writeDurably(path, file)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == String(repeating: "piece\n", count: 5))
    #expect(rendered == 5)
    #expect(throws: OutputError.self) { try ReportFolder.writeDurably(path, file) }  // exists: O_EXCL
    try FileManager.default.removeItem(atPath: path)
  }
}
