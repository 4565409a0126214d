import Analysis
import ArgumentParser
import BenchHarness
import CampaignModel
import Foundation
import Reporting
import ScenarioFormat

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time the simulator on benchmark scenarios and compare with a saved baseline.",
    discussion: """
      Runs each scenario several times in this process (release builds only give \
      meaningful numbers) and prints median messages/s, events/s, wall time and peak RSS. \
      With --baseline, each scenario's change in median messages/s is a ratio judged \
      improved / regressed / within noise (the noise band is the larger of --threshold \
      and the runs' own spread); any regression makes the exit status 1.

      With --threads N, each scenario is also run as --replications replications on one \
      thread and on N threads, alternately, and the speed-up (median wall on one thread / \
      median wall on N) is printed: how well replications and sweeps use the cores.

      Examples:
        swift build -c release && .build/release/campaign-sim bench
        campaign-sim bench --scenario Scenarios/bench/mixed-10m.yaml --runs 5 \\
            --save before.json
        campaign-sim bench --baseline before.json --threshold 3%
        campaign-sim bench --scenario Scenarios/bench/mixed-10m.yaml \\
            --threads 2 --replications 4
      """
  )

  @Option(name: .customLong("scenario"), help: "A scenario to time (repeatable; default: Scenarios/bench/*.yaml).")
  var scenarios: [String] = []

  @Option(name: .long, help: "Runs per scenario.")
  var runs = 3

  @Option(name: .long, help: "A report saved by --save to compare against.")
  var baseline: String?

  @Option(name: .long, help: "Write the measurements as JSON to this file.")
  var save: String?

  @Option(name: .long, help: "Smallest change that counts, e.g. 5% or 0.05.")
  var threshold: String = "5%"

  @Option(name: .long, help: "Also time --replications replications on one thread and on this many.")
  var threads: Int?

  @Option(name: .long, help: "Replications per scaling run (with --threads).")
  var replications = 4

  func validate() throws {
    guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    if let threads { guard threads >= 2 else { throw ValidationError("--threads must be at least 2") } }
    guard replications >= 2 else { throw ValidationError("--replications must be at least 2") }
    guard parseFraction(threshold) != nil else { throw ValidationError("--threshold must look like 5% or 0.05") }
  }

  func run() throws {
    let files = scenarios.isEmpty ? try defaultScenarios() : scenarios
    let loaded = try files.map { ($0, try loadScenario($0).scenario) }
    let base: BenchReport? = try baseline.map { path in
      do {
        return try BenchReport.load(Data(contentsOf: URL(fileURLWithPath: path)))
      } catch {
        printError("\(path): error: cannot read a bench report: \(error)")
        throw ExitCode(2)
      }
    }
    var results: [BenchScenarioResult] = []
    for (file, scenario) in loaded {
      FileHandle.standardError.write(Data("bench: \(scenario.name) × \(runs)\n".utf8))
      results.append(
        benchmark(scenario, file: file, runs: runs, clock: EngineStats.now, peakRSS: { EngineStats.peakRSS() }))
    }
    var scaling: [ScalingResult]?
    if let threads {
      scaling = loaded.map { _, scenario in
        FileHandle.standardError.write(
          Data("bench: \(scenario.name), \(replications) replications on 1 and \(threads) threads × \(runs)\n".utf8))
        return benchmarkScaling(
          name: scenario.name, replications: replications, threads: threads, runs: runs, clock: EngineStats.now
        ) { count in
          _ = ReplicatedRun.run(scenario, replications: replications, threads: count)
        }
      }
    }
    let report = BenchReport(results: results, scaling: scaling)
    print(
      TextReport.table(
        header: ["scenario", "messages", "median wall", "messages/s", "events/s", "spread", "peak RSS"],
        rows: results.map { r in
          [
            r.name, Format.count(r.samples.first?.messages ?? 0), Format.fixed(r.medianWall, 3) + " s",
            Format.count(rounding: r.medianMessagesPerSecond), Format.count(rounding: r.medianEventsPerSecond),
            Format.fixed(100 * r.spread, 1) + "%", "\(r.peakRSSBytes / 1_048_576) MiB",
          ]
        }))
    if let scaling {
      print(
        TextReport.table(
          header: ["scenario", "replications", "wall, 1 thread", "wall, threads", "threads", "speed-up"],
          rows: scaling.map { s in
            [
              s.name, "\(s.replications)", Format.fixed(median(s.oneThreadWalls), 3) + " s",
              Format.fixed(median(s.manyThreadWalls), 3) + " s", "\(s.threads)", Format.fixed(s.speedUp, 2) + "×",
            ]
          }))
    }
    if let save {
      do {
        try AtomicFile.write(String(decoding: try report.json(), as: UTF8.self) + "\n", to: save)
      } catch {
        printError("\(error)")
        throw ExitCode(1)
      }
    }
    guard let base else { return }
    let comparisons = BenchComparison.compare(baseline: base, current: report, threshold: parseFraction(threshold)!)
    print(
      TextReport.table(
        header: ["scenario", "baseline msg/s", "current msg/s", "ratio", "noise", "verdict"],
        rows: comparisons.map { c in
          [
            c.name, c.baseline.map { Format.count(rounding: $0) } ?? "-", Format.count(rounding: c.current),
            c.ratio.map { Format.fixed($0, 3) } ?? "-", "±" + Format.fixed(100 * c.noise, 1) + "%", c.verdict.rawValue,
          ]
        }))
    if comparisons.contains(where: { $0.verdict == .regressed }) { throw ExitCode(1) }
  }

  func defaultScenarios() throws -> [String] {
    let folder = "Scenarios/bench"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
      printError("\(folder): error: no benchmark scenarios here; run from the repository root or pass --scenario")
      throw ExitCode(2)
    }
    return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted().map { "\(folder)/\($0)" }
  }
}

/// `5%` → 0.05, `0.05` → 0.05.
func parseFraction(_ text: String) -> Double? {
  if text.hasSuffix("%") { return Double(text.dropLast()).map { $0 / 100 }.flatMap { $0 >= 0 ? $0 : nil } }
  return Double(text).flatMap { $0 >= 0 ? $0 : nil }
}
