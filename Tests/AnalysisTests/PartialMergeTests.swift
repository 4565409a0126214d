import CampaignModel
import Foundation
import RunPlan
import ScenarioFormat
import SimKernel
import Testing

@testable import Analysis

/// Shards run in process, their partial results through JSON and back, then merged: the merged
/// result must equal the unsharded one exactly (the CLI tests compare the report bytes).
@Suite struct PartialMergeTests {
  static let axes = [
    SweepAxis(path: "senders.s.throughput_mps", values: [.int(40), .int(80), .double(120.5)]),
    SweepAxis(path: "campaigns.c.audience", values: [.int(150), .int(300)]),
  ]

  func small(replications: Int) -> Scenario {
    var scenario = noisy(replications: replications)
    scenario.campaigns[0].audience = 200
    return scenario
  }

  func planned(_ scenario: Scenario) -> ScenarioFile {
    ScenarioFile(scenario, sweep: SweepPlan(vary: Self.axes, figure: "c.delivered_fraction"))
  }

  /// Each shard's partial, written and read back as a file would be.
  func roundTripped(_ partial: PartialResult) throws -> PartialResult {
    try PartialMerge.decode(try partial.encoded())
  }

  func shards(_ n: Int, _ run: (ShardSpec) throws -> PartialResult) throws -> [(path: String, partial: PartialResult)] {
    try (1...n).map { i in ("partial-\(i)-of-\(n).json", try roundTripped(try run(ShardSpec(index: i, count: n)!))) }
  }

  @Test(arguments: [1, 2, 3, 7])
  func aMergedSweepIsTheUnshardedSweep(shardCount: Int) throws {
    let scenario = small(replications: 2)
    let whole = try Sweep.run(base: scenario, axes: Self.axes, replications: 2, threads: 2)
    let parts = try shards(shardCount) { try ShardedRun.sweep(planned(scenario), shard: $0, threads: 2) }
    #expect(parts.reduce(0) { $0 + ($1.partial.runs?.count ?? 0) } == 12)
    guard case .sweep(let merged, let mergedFile) = try PartialMerge.merge(parts).get() else {
      Issue.record("not a sweep")
      return
    }
    #expect(merged.figures == whole.figures)
    #expect(merged.points.map(\.values) == whole.points.map(\.values))
    #expect(merged.runs == whole.runs)
    #expect(mergedFile.sweep?.figure == "c.delivered_fraction")
    #expect(mergedFile.scenario.seed == scenario.seed && mergedFile.thresholds.isEmpty)
  }

  @Test(arguments: [1, 3])
  func aMergedCapacitySearchIsTheUnshardedOne(shardCount: Int) throws {
    let scenario = drain(audience: 1)
    let search = FindMax(
      parameter: "campaigns.c.audience",
      until: try Conditions.conjunction("c.sending_finished_at <= 10s", campaignIDs: ["c"]), low: 1, high: 500)
    let axes = [SweepAxis(path: "senders.s.throughput_mps", values: [.int(5), .int(10), .int(20)])]
    let whole = try Sweep.findMax(base: scenario, axes: axes, search: search, replications: 1, threads: 2)
    let plannedScenario = ScenarioFile(scenario, sweep: SweepPlan(vary: axes, findMax: search))
    let parts = try shards(shardCount) { try ShardedRun.sweep(plannedScenario, shard: $0, threads: 2) }
    guard case .capacity(let merged, _) = try PartialMerge.merge(parts).get() else {
      Issue.record("not a capacity search")
      return
    }
    // The drain at m msg/s finishes N messages at (N − 1)/m + 0.1 s: ≤ 10 s iff N ≤ 9.9 m + 1.
    #expect(merged.answers.map(\.value) == [50, 100, 199])
    #expect(merged.answers.map(\.value) == whole.answers.map(\.value))
    #expect(merged.answers.map(\.firstFailing) == whole.answers.map(\.firstFailing))
    #expect(merged.answers.map { $0.probes.map(\.value) } == whole.answers.map { $0.probes.map(\.value) })
    #expect(merged.answers.map(\.figures) == whole.answers.map(\.figures))
    #expect(merged.answers.map(\.failedConditions) == whole.answers.map(\.failedConditions))
    #expect(merged.runs == whole.runs)
  }

  @Test(arguments: [1, 2, 3, 7])
  func mergedReplicationsAreTheUnshardedOnes(shardCount: Int) throws {
    let scenario = small(replications: 5)
    let whole = ReplicatedRun.run(scenario, threads: 2, keepAll: true)
    let parts = try shards(shardCount) {
      ShardedRun.replications(
        ScenarioFile(scenario), formats: ["json", "html"], keepAll: true, shard: $0, threads: 2)
    }
    guard case .replications(let merged, let mergedFile, let formats, let engine) = try PartialMerge.merge(parts).get()
    else {
      Issue.record("not replications")
      return
    }
    #expect(formats == ["json", "html"])
    #expect(merged.figures == whole.figures)
    #expect(merged.events == whole.events && engine.events == whole.events)
    #expect(merged.messages == 1_000 && engine.messages == 1_000)
    #expect(merged.results.count == 5)
    // Every replication restored in full: the archive of the restored result is the original's.
    #expect(merged.results.map(\.archive) == whole.results.map(\.archive))
    #expect(merged.results.map { $0.figureValues() } == whole.results.map { $0.figureValues() })
    #expect(effectiveDocument(mergedFile).json() == effectiveDocument(scenario).json())
  }

  @Test func withoutBandsOnlyReplicationZeroTravelsWhole() throws {
    let scenario = small(replications: 4)
    let parts = try shards(2) {
      ShardedRun.replications(ScenarioFile(scenario), formats: ["json"], keepAll: false, shard: $0, threads: 1)
    }
    let archived = parts.flatMap { $0.partial.replications ?? [] }.filter { $0.result != nil }.map(\.replication)
    #expect(archived == [0])
    guard case .replications(let merged, _, _, _) = try PartialMerge.merge(parts).get() else {
      Issue.record("not replications")
      return
    }
    #expect(merged.results.count == 1 && merged.first.replication == 0)
    #expect(merged.figures == ReplicatedRun.run(scenario, threads: 1).figures)
  }

  // MARK: Refusals

  func sweepParts(_ n: Int, seed: UInt64 = 11) throws -> [(path: String, partial: PartialResult)] {
    var scenario = small(replications: 1)
    scenario.seed = seed
    return try shards(n) { try ShardedRun.sweep(planned(scenario), shard: $0, threads: 1) }
  }

  func refusal(_ inputs: [(path: String, partial: PartialResult)]) -> String {
    switch PartialMerge.merge(inputs) {
    case .success: return "merged"
    case .failure(let error): return error.message
    }
  }

  @Test func missingDuplicateAndForeignShardsAreRefused() throws {
    let parts = try sweepParts(3)
    #expect(
      refusal([parts[0], parts[2]])
        == "error: missing shard 2/3 (1 of 3): merge needs every partial-I-of-3.json")
    #expect(
      refusal([parts[0], parts[1], parts[1], parts[2]])
        == "partial-2-of-3.json: error: duplicate shard 2/3, also given as partial-2-of-3.json")
    let foreign = try sweepParts(3, seed: 12)
    let message = refusal([parts[0], foreign[1], parts[2]])
    #expect(message.hasPrefix("partial-2-of-3.json: error: foreign shard: it belongs to another run"), "\(message)")
    let otherSplit = try sweepParts(2)
    #expect(refusal([parts[0], otherSplit[1]]).contains("is shard 2 of 2 but partial-1-of-3.json is shard 1 of 3"))
    var edited = parts[1]
    edited.partial.runs?[0].values[0] = 0.5
    // The digest names the work, not its results: an edited figure goes through, as in any report.
    #expect(refusal([parts[0], edited, parts[2]]) == "merged")
    edited.partial.scenario = edited.partial.scenario.replacingOccurrences(of: "\"seed\": 11", with: "\"seed\": 12")
    #expect(refusal([parts[0], edited, parts[2]]).contains("the digest does not match the content"))
    // A shard whose jobs were lost (emptied by hand, digest intact) leaves a hole.
    var emptied = parts[1]
    emptied.partial.runs = []
    #expect(refusal([parts[0], emptied, parts[2]]).hasPrefix("error: no shard ran job"))
  }

  @Test func otherFilesAndVersionsAreNamedAsSuch() throws {
    func decodeError(_ text: String) -> String {
      switch PartialResult.decode(Data(text.utf8), path: "p.json") {
      case .success: return "decoded"
      case .failure(let error): return error.message
      }
    }
    #expect(decodeError("[1, 2]").hasPrefix("p.json: error: not a JSON object"))
    #expect(decodeError("{\"name\": \"x\"}").hasPrefix("p.json: error: not a campaign-sim partial result"))
    #expect(
      decodeError("{\"format\": \"campaign-sim partial result\", \"version\": 2}").hasPrefix(
        "p.json: error: partial result version 2 is not supported"))
    #expect(
      decodeError("{\"format\": \"campaign-sim partial result\", \"version\": 1}").hasPrefix(
        "p.json: error: malformed partial result: missing key"))
  }

  @Test func aHistogramTravelsExactly() throws {
    let result = Simulation(scenario: small(replications: 1)).run()
    let restored = try #require(RunResult(scenario: result.scenario, archive: result.archive))
    for (a, b) in zip(result.campaigns, restored.campaigns) {
      for span in LatencySpan.allCases {
        let (x, y) = (a.latency(span), b.latency(span))
        #expect(x == y && x.min == y.min && x.maxRecorded == y.maxRecorded && x.mean == y.mean)
        #expect(
          [50.0, 90, 99, 99.9, 100].map(x.valueAtPercentile) == [50.0, 90, 99, 99.9, 100].map(y.valueAtPercentile))
      }
    }
    // An archive that does not fit the scenario is refused, not trusted.
    var other = result.scenario
    other.campaigns[0].audience += 1
    #expect(RunResult(scenario: other, archive: result.archive) == nil)
  }
}

extension PartialMerge {
  /// Test shorthand: decode or fail.
  static func decode(_ data: Data) throws -> PartialResult {
    try PartialResult.decode(data, path: "test").get()
  }
}
