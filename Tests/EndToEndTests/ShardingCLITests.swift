import Dispatch
import Foundation
import Testing

/// A sweep and a replicated run split over N `campaign-sim` processes and merged give the bytes
/// of the unsharded run (issue 12's "done when").
@Suite(.serialized) struct ShardingCLITests {
  /// Randomness everywhere (so a job run twice or misplaced would show), small enough for a debug build.
  static let noisy = """
    name: noisy
    seed: 3
    replications: 7
    senders: [{id: main, throughput_mps: 40}]
    campaigns:
      - id: promo
        sender: main
        audience: 120
        contacts: {invalid: 0.05, offline: 0.05, read_receipts_off: 0.2}
        engagement: {read: 0.5, respond: 0.2}
        latency: {api: {exponential: 200ms}, deliver: {exponential: 5s}, read: {exponential: 10m}}
    faults: {transient_error_rate: 0.05}
    thresholds:
      promo.delivered_fraction: ">= 0.5"
    sweep:
      vary:
        senders.main.throughput_mps: [20, 40, 80]
        campaigns.promo.audience: [60, 120]
      figure: promo.delivered_fraction
    """

  func write(_ text: String, _ name: String, in folder: URL) throws -> String {
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

  /// Shards 1…n of `arguments`, as n processes at once, into `folder`; their partial results.
  func shards(_ n: Int, _ arguments: [String], into folder: String) throws -> [String] {
    let statuses = Statuses(n)
    DispatchQueue.concurrentPerform(iterations: n) { i in
      let result = try? runCLI(arguments + ["--shard", "\(i + 1)/\(n)", "--out", folder, "--threads", "1"])
      statuses.set(i, result)
    }
    for (i, result) in statuses.all.enumerated() {
      let result = try #require(result)
      #expect(result.status == 0, "shard \(i + 1)/\(n): \(result.stderr)")
      #expect(result.stdout.contains("shard \(i + 1)/\(n): "))
    }
    return (1...n).map { "\(folder)/partial-\($0)-of-\(n).json" }
  }

  @Test func aSweepOverNProcessesMergesToTheBytesOfTheUnshardedSweep() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.noisy, "noisy.yaml", in: folder)
    let sweep = ["sweep", scenario, "--replications", "3"]
    let whole = folder.appendingPathComponent("whole").path
    let single = try runCLI(sweep + ["--out", whole, "--threads", "2"])
    #expect(single.status == 0, "\(single.stderr)")
    for n in [1, 2, 3, 7] {
      let partials = try shards(n, sweep, into: folder.appendingPathComponent("parts-\(n)").path)
      let merged = folder.appendingPathComponent("merged-\(n)").path
      // Any order of the files will do.
      let result = try runCLI(["merge"] + partials.reversed() + ["--out", merged])
      #expect(result.status == 0, "N = \(n): \(result.stderr)")
      #expect(result.stdout.contains("merged \(n) shard(s)"))
      for file in ["sweep.csv", "sweep.md", "sweep.html"] {
        #expect(try read("\(merged)/\(file)") == read("\(whole)/\(file)"), "N = \(n): \(file)")
      }
    }
    // 6 points × 3 replications, every figure of every point, not just a few lines.
    #expect(try read("\(whole)/sweep.csv").split(separator: "\n").count == 7)
  }

  @Test func aCapacitySearchShardsByGridPoint() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.noisy, "noisy.yaml", in: folder)
    let search = [
      "sweep", scenario, "--replications", "1", "--vary", "senders.main.throughput_mps=10,20,40",
      "--find-max", "campaigns.promo.audience", "--until", "promo.sending_finished_at <= 5s", "--high", "400",
    ]
    let whole = folder.appendingPathComponent("whole").path
    let single = try runCLI(search + ["--out", whole])
    #expect(single.status == 0, "\(single.stderr)")
    let partials = try shards(2, search, into: folder.appendingPathComponent("parts").path)
    let data = try Data(contentsOf: URL(fileURLWithPath: partials[0]))
    let first = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(first["kind"] as? String == "find-max" && first["jobs"] as? Int == 3)
    let merged = folder.appendingPathComponent("merged").path
    let result = try runCLI(["merge"] + partials + ["--out", merged])
    #expect(result.status == 0, "\(result.stderr)")
    for file in ["sweep.csv", "sweep.md", "sweep.html"] {
      #expect(try read("\(merged)/\(file)") == read("\(whole)/\(file)"), "\(file)")
    }
  }

  /// Everything of a report up to its engine section, the only part allowed to differ.
  func untilEngine(_ path: String, _ marker: String) throws -> String {
    let text = try read(path)
    return String(text[..<(text.range(of: marker)?.lowerBound ?? text.endIndex)])
  }

  @Test func replicationsOverNProcessesMergeToTheReportsOfTheUnshardedRun() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.noisy, "noisy.yaml", in: folder)
    let whole = folder.appendingPathComponent("whole").path
    let single = try runCLI(["run", scenario, "--out", whole, "--quiet"])
    #expect(single.status == 0, "\(single.stderr)")
    for n in [1, 2, 3, 7] {
      let partials = try shards(n, ["run", scenario], into: folder.appendingPathComponent("parts-\(n)").path)
      let merged = folder.appendingPathComponent("merged-\(n)").path
      let result = try runCLI(["merge"] + partials + ["--out", merged])
      #expect(result.status == 0, "N = \(n): \(result.stderr)")
      #expect(result.stdout.contains("merged \(n) shard(s): noisy, 7 replication(s)"))
      #expect(result.stdout.contains("✓ promo.delivered_fraction >= 0.5"))
      for file in ["timeseries.csv", "outcomes.csv"] {
        #expect(try read("\(merged)/\(file)") == read("\(whole)/\(file)"), "N = \(n): \(file)")
      }
      for (file, marker) in [
        ("report.json", "\"engine\""), ("report.md", " events in "), ("report.html", "<section id=\"engine\">"),
      ] {
        let expected = try untilEngine("\(whole)/\(file)", marker)
        #expect(try untilEngine("\(merged)/\(file)", marker) == expected, "N = \(n): \(file)")
        #expect(expected.count > 1_000)
      }
      // The engine section still counts the same work: 7 × 120 messages and the same events.
      let json = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(merged)/report.json")))
          as? [String: Any])
      let wholeJSON = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(whole)/report.json")))
          as? [String: Any])
      let engine = try #require(json["engine"] as? [String: Any])
      #expect(engine["events"] as? Int == (wholeJSON["engine"] as? [String: Any])?["events"] as? Int)
    }
  }

  @Test func kubernetesAndSlurmVariablesPickTheShard() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.noisy, "noisy.yaml", in: folder)
    let parts = folder.appendingPathComponent("parts").path
    let sweep = ["sweep", scenario, "--replications", "1", "--out", parts, "--quiet"]
    let k8s = try runCLI(sweep, environment: ["JOB_COMPLETION_INDEX": "0", "CAMPAIGNSIM_SHARD_COUNT": "3"])
    #expect(k8s.status == 0, "\(k8s.stderr)")
    let flag = try runCLI(sweep + ["--shard-count", "3"], environment: ["JOB_COMPLETION_INDEX": "1"])
    #expect(flag.status == 0, "\(flag.stderr)")
    // --array=1-3: task 3 is the third shard.
    let slurm = try runCLI(
      sweep,
      environment: ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "1"])
    #expect(slurm.status == 0, "\(slurm.stderr)")
    let names = try FileManager.default.contentsOfDirectory(atPath: parts).sorted()
    #expect(names == ["partial-1-of-3.json", "partial-2-of-3.json", "partial-3-of-3.json"])
    let whole = folder.appendingPathComponent("whole").path
    _ = try runCLI(["sweep", scenario, "--replications", "1", "--out", whole, "--quiet"])
    let merged = folder.appendingPathComponent("merged").path
    let result = try runCLI(["merge", "--quiet", "--out", merged] + names.map { "\(parts)/\($0)" })
    #expect(result.status == 0 && result.stdout.isEmpty, "\(result.stderr)")
    #expect(try read("\(merged)/sweep.csv") == read("\(whole)/sweep.csv"))
  }

  @Test func badShardSpecsExit2AndWriteNothing() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.noisy, "noisy.yaml", in: folder)
    let out = folder.appendingPathComponent("out").path
    let cases: [([String], [String: String], String)] = [
      (["sweep", scenario, "--shard", "0/3"], [:], "error: --shard 0/3: the shard index must be in 1...3"),
      (["run", scenario, "--shard", "3"], [:], "error: --shard expects I/N"),
      (["run", scenario, "--shard", "4/3"], [:], "error: --shard 4/3: the shard index must be in 1...3"),
      (["run", scenario], ["JOB_COMPLETION_INDEX": "0"], "error: JOB_COMPLETION_INDEX=0 is set"),
      (["run", scenario, "--shard-count", "2"], [:], "error: --shard-count needs JOB_COMPLETION_INDEX"),
      (
        ["sweep", scenario], ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "1"],
        "error: SLURM_ARRAY_TASK_ID=5 is not one of 3"
      ),
      (
        ["sweep", scenario], ["JOB_COMPLETION_INDEX": "zero", "CAMPAIGNSIM_SHARD_COUNT": "2"],
        "JOB_COMPLETION_INDEX='zero'"
      ),
    ]
    for (arguments, environment, message) in cases {
      let result = try runCLI(arguments + ["--out", out], environment: environment)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out), "\(arguments)")
    }
  }

  @Test func mergeRefusesMissingDuplicateForeignAndStrangeFiles() throws {
    let folder = temporaryFolder()
    let scenario = try write(Self.noisy, "noisy.yaml", in: folder)
    let partials = try shards(
      3, ["sweep", scenario, "--replications", "1"], into: folder.appendingPathComponent("a").path)
    let other = try shards(
      3, ["sweep", scenario, "--replications", "1", "--figure", "promo.read_fraction"],
      into: folder.appendingPathComponent("b").path)
    let notPartial = try write("{\"name\": \"tiny\"}", "report.json", in: folder)
    let out = folder.appendingPathComponent("out").path
    let cases: [([String], String)] = [
      ([partials[0], partials[2]], "error: missing shard 2/3 (1 of 3)"),
      ([partials[0], partials[1], partials[1], partials[2]], "error: duplicate shard 2/3"),
      ([partials[0], other[1], partials[2]], "\(other[1]): error: foreign shard"),
      ([partials[0], notPartial], "\(notPartial): error: not a campaign-sim partial result"),
      ([partials[0], folder.appendingPathComponent("nope.json").path], "nope.json: error: cannot read the file"),
    ]
    for (files, message) in cases {
      let result = try runCLI(["merge"] + files + ["--out", out])
      #expect(result.status == 2, "\(files)")
      #expect(result.stderr.contains(message), "\(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out))
    }
  }
}

/// Results of concurrent runs, by index.
private final class Statuses: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [ProcessResult?]
  init(_ count: Int) { values = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ value: ProcessResult?) {
    lock.lock()
    values[index] = value
    lock.unlock()
  }
  var all: [ProcessResult?] {
    lock.lock()
    defer { lock.unlock() }
    return values
  }
}
