import Analysis
import CampaignModel
import Foundation
import Reporting
import RunPlan
import ScenarioFormat
import Testing

/// Every shipped scenario (so every feature, MODEL.md §9's included) as a replicated run in 2
/// shards, its partial results through JSON and back, merged: every report file has the bytes
/// of the unsharded run. Audiences are cut to keep a debug build quick.
@Suite struct ShardedReportTests {
  @Test(arguments: shippedScenarios())
  func everyShippedScenarioMergesToTheUnshardedReports(_ url: URL) throws {
    var file = try ScenarioLoader.load(path: url.path)
    for c in file.scenario.campaigns.indices {
      file.scenario.campaigns[c].audience = min(file.scenario.campaigns[c].audience, 1_000)
    }
    file.scenario.replications = 3
    let whole = ReplicatedRun.run(file.scenario, threads: 2, keepAll: true, platform: file.wantsPlatformFigures)
    var inputs: [(path: String, partial: PartialResult)] = []
    for index in 1...2 {
      let partial = ShardedRun.replications(
        file, formats: ["json", "md", "html", "csv"], keepAll: true, shard: ShardSpec(index: index, count: 2)!,
        threads: 1)
      inputs.append(("partial-\(index)-of-2.json", try PartialResult.decode(try partial.encoded(), path: "p").get()))
    }
    guard case .replications(let merged, let mergedFile, _, _) = try PartialMerge.merge(inputs).get() else {
      Issue.record("not a replicated run")
      return
    }
    let expected = ReportFiles.render(whole.results, file: file, engine: nil, analysis: whole)
    let actual = ReportFiles.render(merged.results, file: mergedFile, engine: nil, analysis: merged)
    #expect(actual.map(\.name) == expected.map(\.name))
    for (a, e) in zip(actual, expected) {
      #expect(a.contents == e.contents, "\(url.lastPathComponent): \(a.name)")
    }
  }
}
