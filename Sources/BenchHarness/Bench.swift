import CampaignModel
import Foundation

/// One timed run of a scenario.
public struct BenchSample: Codable, Sendable, Equatable {
  public var wallSeconds: Double
  public var events: Int
  public var messages: Int
  public var dispatches: Int

  public init(wallSeconds: Double, events: Int, messages: Int, dispatches: Int) {
    self.wallSeconds = wallSeconds
    self.events = events
    self.messages = messages
    self.dispatches = dispatches
  }

  public var messagesPerSecond: Double { wallSeconds > 0 ? Double(messages) / wallSeconds : 0 }
  public var eventsPerSecond: Double { wallSeconds > 0 ? Double(events) / wallSeconds : 0 }
}

/// Several runs of one scenario and their medians. Medians, not means: on a
/// shared machine one disturbed run should not move the figure.
public struct BenchScenarioResult: Codable, Sendable, Equatable {
  public var name: String
  public var file: String
  public var samples: [BenchSample]
  /// The process's peak RSS after this scenario's runs (it only ever grows:
  /// run one scenario alone to see its own).
  public var peakRSSBytes: Int

  public init(name: String, file: String, samples: [BenchSample], peakRSSBytes: Int) {
    self.name = name
    self.file = file
    self.samples = samples
    self.peakRSSBytes = peakRSSBytes
  }

  public var medianWall: Double { median(samples.map(\.wallSeconds)) }
  public var medianMessagesPerSecond: Double { median(samples.map(\.messagesPerSecond)) }
  public var medianEventsPerSecond: Double { median(samples.map(\.eventsPerSecond)) }
  /// (max − min) / median of messages/s: how noisy these runs were.
  public var spread: Double {
    let rates = samples.map(\.messagesPerSecond)
    let mid = median(rates)
    guard mid > 0, let low = rates.min(), let high = rates.max() else { return 0 }
    return (high - low) / mid
  }
}

/// What `bench --save` writes and `bench --baseline` reads.
public struct BenchReport: Codable, Sendable, Equatable {
  public static let currentSchema = "campaignsim.bench/1"
  public var schema = BenchReport.currentSchema
  public var results: [BenchScenarioResult]
  /// `bench --threads`: replications on one thread against several; absent in older reports.
  public var scaling: [ScalingResult]?

  public init(results: [BenchScenarioResult], scaling: [ScalingResult]? = nil) {
    self.results = results
    self.scaling = scaling
  }

  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(self)
  }

  /// Decodes a saved report and checks that every measurement could have been
  /// made: a hand-edited or damaged file is refused here, not met as an
  /// infinite rate later.
  public static func load(_ data: Data) throws -> BenchReport {
    let report = try JSONDecoder().decode(BenchReport.self, from: data)
    for result in report.results {
      guard result.peakRSSBytes >= 0 else {
        throw BenchReportError(reason: "\(result.name): peakRSSBytes is negative (\(result.peakRSSBytes))")
      }
      for (index, sample) in result.samples.enumerated() {
        let place = "\(result.name), sample \(index + 1)"
        // A subnormal time (1e-320) makes every rate infinite.
        guard sample.wallSeconds > 0, sample.wallSeconds.isNormal, sample.messagesPerSecond.isFinite,
          sample.eventsPerSecond.isFinite
        else {
          throw BenchReportError(
            reason: "\(place): wallSeconds is \(sample.wallSeconds); expected a positive time that gives finite rates")
        }
        guard sample.events >= 0, sample.messages >= 0, sample.dispatches >= 0 else {
          throw BenchReportError(reason: "\(place): events, messages and dispatches must not be negative")
        }
      }
    }
    return report
  }

}

/// Why a saved bench report was refused.
public struct BenchReportError: Error, CustomStringConvertible {
  public let reason: String
  public var description: String { reason }
}

public func median(_ values: [Double]) -> Double {
  guard !values.isEmpty else { return 0 }
  let sorted = values.sorted()
  let mid = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// A change in median messages/s against a baseline, judged like criterion:
/// inside the noise band it is no change at all.
public struct BenchComparison: Sendable, Equatable {
  public enum Verdict: String, Sendable {
    case improved, regressed
    case withinNoise = "within noise"
    case new = "new"
  }

  public var name: String
  public var baseline: Double?
  public var current: Double
  public var ratio: Double?
  /// The relative change inside which a difference counts as noise.
  public var noise: Double
  public var verdict: Verdict

  /// Pairs scenarios by name. The noise band is the larger of `threshold` and
  /// the mean of the two sides' spreads, so a noisy machine widens it.
  public static func compare(baseline: BenchReport, current: BenchReport, threshold: Double) -> [BenchComparison] {
    current.results.map { now in
      guard let before = baseline.results.first(where: { $0.name == now.name }),
        before.medianMessagesPerSecond > 0
      else {
        return BenchComparison(
          name: now.name, baseline: nil, current: now.medianMessagesPerSecond, ratio: nil, noise: threshold,
          verdict: .new)
      }
      let ratio = now.medianMessagesPerSecond / before.medianMessagesPerSecond
      let noise = max(threshold, (before.spread + now.spread) / 2)
      let verdict: Verdict = ratio > 1 + noise ? .improved : ratio < 1 - noise ? .regressed : .withinNoise
      return BenchComparison(
        name: now.name, baseline: before.medianMessagesPerSecond, current: now.medianMessagesPerSecond, ratio: ratio,
        noise: noise, verdict: verdict)
    }
  }
}

/// Runs a scenario `runs` times in this process and times each run.
public func benchmark(
  _ scenario: Scenario, file: String, runs: Int, clock: () -> Double, peakRSS: () -> Int
) -> BenchScenarioResult {
  var samples: [BenchSample] = []
  for _ in 0..<runs {
    let started = clock()
    let result = Simulation(scenario: scenario).run()
    let wall = clock() - started
    samples.append(
      BenchSample(wallSeconds: wall, events: result.events, messages: result.messages, dispatches: result.dispatches))
  }
  return BenchScenarioResult(name: scenario.name, file: file, samples: samples, peakRSSBytes: peakRSS())
}

/// Replications of one scenario timed on one thread and on `threads`, alternately, so both sides
/// meet the same machine load (issue 12: ≥ 1.8× on two cores).
public struct ScalingResult: Codable, Sendable, Equatable {
  public var name: String
  public var replications: Int
  public var threads: Int
  public var oneThreadWalls: [Double]
  public var manyThreadWalls: [Double]

  public init(name: String, replications: Int, threads: Int, oneThreadWalls: [Double], manyThreadWalls: [Double]) {
    self.name = name
    self.replications = replications
    self.threads = threads
    self.oneThreadWalls = oneThreadWalls
    self.manyThreadWalls = manyThreadWalls
  }

  /// Median wall on one thread over median wall on `threads`: 2.0 is perfect on two cores.
  public var speedUp: Double {
    let many = median(manyThreadWalls)
    return many > 0 ? median(oneThreadWalls) / many : 0
  }
}

/// Times `replicate(threads)` (which runs `replications` replications) `runs` times on one thread
/// and on `threads`, interleaved.
public func benchmarkScaling(
  name: String, replications: Int, threads: Int, runs: Int, clock: () -> Double, replicate: (Int) -> Void
) -> ScalingResult {
  var one: [Double] = []
  var many: [Double] = []
  for _ in 0..<runs {
    for (count, walls) in [(1, 0), (threads, 1)] {
      let started = clock()
      replicate(count)
      let wall = clock() - started
      if walls == 0 { one.append(wall) } else { many.append(wall) }
    }
  }
  return ScalingResult(
    name: name, replications: replications, threads: threads, oneThreadWalls: one, manyThreadWalls: many)
}
