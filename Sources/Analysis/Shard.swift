import Foundation

/// Which part of a sharded run this process does: shard `index` (1-based, as Playwright and Jest
/// write it) of `count`.
public struct ShardSpec: Sendable, Equatable, CustomStringConvertible {
  public let index: Int
  public let count: Int

  /// The most shards a run may be split into: far more than any batch engine runs at once, and
  /// small enough that a typo (`--shard 1/1000000000`) is caught instead of planned, and the
  /// split (jobs × shards steps) stays instant.
  public static let maxCount = 10_000

  public init?(index: Int, count: Int) {
    guard (1...ShardSpec.maxCount).contains(count), (1...count).contains(index) else { return nil }
    self.index = index
    self.count = count
  }

  public var description: String { "\(index)/\(count)" }

  /// Every environment variable `fromEnvironment` reads (the recipes under deploy/ are checked
  /// against it).
  public static let environmentVariables = [
    "JOB_COMPLETION_INDEX", "CAMPAIGNSIM_SHARD_COUNT", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT",
    "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_STEP",
  ]

  /// The name of the shard's partial result, `partial-I-of-N.json`.
  public var fileName: String { "partial-\(index)-of-\(count).json" }

  /// Parses `I/N` (`--shard 2/7`).
  public static func parse(_ text: String) -> Result<ShardSpec, ShardError> {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
      return .failure(ShardError("--shard expects I/N (shard I of N, 1-based, e.g. 2/7), found '\(text)'"))
    }
    guard (1...maxCount).contains(count) else {
      return .failure(ShardError("--shard \(text): the shard count must be in 1...\(maxCount)"))
    }
    guard let spec = ShardSpec(index: index, count: count) else {
      return .failure(ShardError("--shard \(text): the shard index must be in 1...\(count) (shards count from 1)"))
    }
    return .success(spec)
  }

  /// The shard a batch engine asks for through its environment, when no `--shard` is given:
  ///
  /// - Kubernetes Indexed Job: `JOB_COMPLETION_INDEX` (0-based), with the count from
  ///   `shardCount` (`--shard-count`) or `CAMPAIGNSIM_SHARD_COUNT`, since the pod is not told
  ///   its job's completion count;
  /// - Slurm job array: `SLURM_ARRAY_TASK_ID` and `SLURM_ARRAY_TASK_COUNT`. Task ids start at
  ///   the array's lowest id (`--array=1-7` starts at 1), so the shard is the id minus
  ///   `SLURM_ARRAY_TASK_MIN`, divided by `SLURM_ARRAY_TASK_STEP` for `--array=0-12:2`.
  ///
  /// `nil`: no sharding asked for.
  public static func fromEnvironment(_ environment: [String: String], shardCount: Int?) -> Result<
    ShardSpec?, ShardError
  > {
    func integer(_ name: String) -> Result<Int?, ShardError> {
      assert(environmentVariables.contains(name), "\(name) missing from environmentVariables")
      guard let text = environment[name] else { return .success(nil) }
      guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
        return .failure(ShardError("environment variable \(name)='\(text)' is not an integer"))
      }
      return .success(value)
    }
    do {
      if let completion = try integer("JOB_COMPLETION_INDEX").get() {
        let fromEnvironment = try integer("CAMPAIGNSIM_SHARD_COUNT").get()
        guard let count = shardCount ?? fromEnvironment else {
          return .failure(
            ShardError(
              "JOB_COMPLETION_INDEX=\(completion) is set (a Kubernetes Indexed Job) but not the shard count: "
                + "give --shard-count N or set CAMPAIGNSIM_SHARD_COUNT to the Job's completions"))
        }
        let source = shardCount != nil ? "--shard-count" : "CAMPAIGNSIM_SHARD_COUNT"
        guard (1...maxCount).contains(count) else {
          return .failure(ShardError("\(source) must be in 1...\(maxCount), found \(count)"))
        }
        guard let spec = ShardSpec(index: completion + 1, count: count) else {
          return .failure(
            ShardError(
              "JOB_COMPLETION_INDEX=\(completion) is outside 0...\(count - 1) (\(source)=\(count)): "
                + "the Job's completions and the shard count must agree"))
        }
        return .success(spec)
      }
      if shardCount != nil {
        return .failure(
          ShardError(
            "--shard-count needs JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); elsewhere give --shard I/N"))
      }
      guard let task = try integer("SLURM_ARRAY_TASK_ID").get() else { return .success(nil) }
      guard let count = try integer("SLURM_ARRAY_TASK_COUNT").get() else {
        return .failure(ShardError("SLURM_ARRAY_TASK_ID=\(task) is set but not SLURM_ARRAY_TASK_COUNT"))
      }
      let minimum = try integer("SLURM_ARRAY_TASK_MIN").get() ?? 0
      let step = try integer("SLURM_ARRAY_TASK_STEP").get() ?? 1
      guard (1...maxCount).contains(count) else {
        return .failure(ShardError("SLURM_ARRAY_TASK_COUNT must be in 1...\(maxCount), found \(count)"))
      }
      let offset = task - minimum
      guard step >= 1, offset >= 0, offset % step == 0, let spec = ShardSpec(index: offset / step + 1, count: count)
      else {
        return .failure(
          ShardError(
            "SLURM_ARRAY_TASK_ID=\(task) is not one of \(count) evenly spaced tasks from SLURM_ARRAY_TASK_MIN="
              + "\(minimum) (step \(step)): submit the array as --array=0-\(count - 1) (or 1-\(count))"))
      }
      return .success(spec)
    } catch {
      return .failure(error)
    }
  }
}

public struct ShardError: Error, CustomStringConvertible, Equatable {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Splits jobs of known estimated work over shards.
public enum ShardPlan {
  /// The shard (0-based) of each job: longest job first to the least loaded shard, ties to the
  /// lower job index and the lower shard. A pure function of the weights and the count, so every
  /// shard computes the same split on its own and no coordinator is needed. Greedy
  /// longest-first is within 4/3 of the best possible largest load (Graham's bound).
  public static func assign(weights: [Int], shards: Int) -> [Int] {
    precondition(shards >= 1)
    let order = weights.indices.sorted { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 < $1 }
    var load = Array(repeating: 0, count: shards)
    var owner = Array(repeating: 0, count: weights.count)
    for job in order {
      var best = 0
      for shard in 1..<shards where load[shard] < load[best] { best = shard }
      owner[job] = best
      load[best] += max(1, weights[job])
    }
    return owner
  }

  /// The jobs (in increasing order) that `shard` runs.
  public static func jobs(weights: [Int], shard: ShardSpec) -> [Int] {
    let owner = assign(weights: weights, shards: shard.count)
    return owner.indices.filter { owner[$0] == shard.index - 1 }
  }
}
