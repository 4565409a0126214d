import Testing

@testable import Analysis

@Suite struct ShardTests {
  @Test func shardSpecsAreOneBased() throws {
    #expect(try ShardSpec.parse("2/7").get() == ShardSpec(index: 2, count: 7))
    #expect(try ShardSpec.parse("1/1").get().fileName == "partial-1-of-1.json")
    #expect(try ShardSpec.parse("7/7").get().description == "7/7")
    for bad in ["0/7", "8/7", "2", "2/", "/7", "a/b", "2/7/1", "-1/3", "1/0", "1/20000", ""] {
      #expect(throws: ShardError.self, "\(bad)") { try ShardSpec.parse(bad).get() }
    }
    #expect(throws: ShardError("--shard 0/7: the shard index must be in 1...7 (shards count from 1)")) {
      try ShardSpec.parse("0/7").get()
    }
  }

  @Test func kubernetesCompletionIndexIsZeroBasedWithACountFromTheFlagOrTheEnvironment() throws {
    #expect(try ShardSpec.fromEnvironment([:], shardCount: nil).get() == nil)
    let k8s = ["JOB_COMPLETION_INDEX": "0", "CAMPAIGNSIM_SHARD_COUNT": "7"]
    #expect(try ShardSpec.fromEnvironment(k8s, shardCount: nil).get() == ShardSpec(index: 1, count: 7))
    // --shard-count wins over the variable.
    #expect(try ShardSpec.fromEnvironment(k8s, shardCount: 3).get() == ShardSpec(index: 1, count: 3))
    #expect(
      try ShardSpec.fromEnvironment(["JOB_COMPLETION_INDEX": "6"], shardCount: 7).get() == ShardSpec(index: 7, count: 7)
    )
    // Index 7 of 7 shards (0-based) does not exist; nor does a count-less index.
    #expect(throws: ShardError.self) {
      try ShardSpec.fromEnvironment(["JOB_COMPLETION_INDEX": "7"], shardCount: 7).get()
    }
    #expect(throws: ShardError.self) {
      try ShardSpec.fromEnvironment(["JOB_COMPLETION_INDEX": "0"], shardCount: nil).get()
    }
    #expect(throws: ShardError.self) {
      try ShardSpec.fromEnvironment(["JOB_COMPLETION_INDEX": "x"], shardCount: 2).get()
    }
    // --shard-count means nothing outside an Indexed Job.
    #expect(throws: ShardError.self) { try ShardSpec.fromEnvironment([:], shardCount: 3).get() }
  }

  @Test func slurmTaskIdsCountFromTheArraysLowestId() throws {
    // --array=0-6
    let zero = ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "7", "SLURM_ARRAY_TASK_MIN": "0"]
    #expect(try ShardSpec.fromEnvironment(zero, shardCount: nil).get() == ShardSpec(index: 1, count: 7))
    // --array=1-7: task 7 is the last shard, not out of range.
    let one = ["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_COUNT": "7", "SLURM_ARRAY_TASK_MIN": "1"]
    #expect(try ShardSpec.fromEnvironment(one, shardCount: nil).get() == ShardSpec(index: 7, count: 7))
    // --array=10-22:4 has tasks 10, 14, 18, 22: task 18 is the third.
    let stepped = [
      "SLURM_ARRAY_TASK_ID": "18", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "10",
      "SLURM_ARRAY_TASK_STEP": "4",
    ]
    #expect(try ShardSpec.fromEnvironment(stepped, shardCount: nil).get() == ShardSpec(index: 3, count: 4))
    // Without SLURM_ARRAY_TASK_MIN ids are taken from 0.
    let bare = ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3"]
    #expect(try ShardSpec.fromEnvironment(bare, shardCount: nil).get() == ShardSpec(index: 3, count: 3))
    var outside = one
    outside["SLURM_ARRAY_TASK_ID"] = "8"
    #expect(throws: ShardError.self) { try ShardSpec.fromEnvironment(outside, shardCount: nil).get() }
    #expect(throws: ShardError.self) {
      try ShardSpec.fromEnvironment(["SLURM_ARRAY_TASK_ID": "1"], shardCount: nil).get()
    }
    // The Kubernetes index wins when both are set.
    var both = one
    both["JOB_COMPLETION_INDEX"] = "1"
    #expect(try ShardSpec.fromEnvironment(both, shardCount: 2).get() == ShardSpec(index: 2, count: 2))
  }

  /// Longest first to the least loaded shard: 5 → A; 4 → B; 3 → B (4 < 5); 3 → A (5 < 7);
  /// 2 → B (7 < 8); 1 → A (8 < 9). Loads 9 and 9.
  @Test func longestJobFirstToTheLeastLoadedShardByHand() {
    #expect(ShardPlan.assign(weights: [5, 4, 3, 3, 2, 1], shards: 2) == [0, 1, 1, 0, 1, 0])
    // Equal jobs go round the shards in job order.
    #expect(ShardPlan.assign(weights: [7, 7, 7, 7, 7], shards: 3) == [0, 1, 2, 0, 1])
    #expect(ShardPlan.jobs(weights: [7, 7, 7, 7, 7], shard: ShardSpec(index: 2, count: 3)!) == [1, 4])
    // More shards than jobs: the last shards run nothing.
    #expect(ShardPlan.assign(weights: [1, 1], shards: 4) == [0, 1])
  }

  @Test func everyJobRunsOnExactlyOneShardAndLoadsStayClose() {
    // A sweep-like mix: 12 points of 100 … 1 200 messages, 5 replications each.
    let weights = (0..<60).map { (($0 / 5) + 1) * 100 }
    for n in [1, 2, 3, 7, 60, 61] {
      var seen = Array(repeating: 0, count: weights.count)
      var loads: [Int] = []
      for index in 1...n {
        let jobs = ShardPlan.jobs(weights: weights, shard: ShardSpec(index: index, count: n)!)
        for job in jobs { seen[job] += 1 }
        loads.append(jobs.reduce(0) { $0 + weights[$1] })
      }
      #expect(seen.allSatisfy { $0 == 1 }, "N = \(n)")
      // Greedy longest-first: no shard exceeds the mean by more than the largest job.
      let mean = weights.reduce(0, +) / n
      #expect(loads.max()! <= mean + weights.max()!, "N = \(n): \(loads)")
    }
  }
}
