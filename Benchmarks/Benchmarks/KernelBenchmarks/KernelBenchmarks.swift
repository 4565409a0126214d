import Benchmark
import CampaignModel
import Histogram
import SimKernel

// Micro-benchmarks of the pieces every simulated message goes through.
// Each iteration is one operation, so the reported time is per operation.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .mega, maxDuration: .seconds(3))

  // Hold model: the queue stays at `pending` events; each operation removes the
  // earliest and schedules one a random increment later, like a busy simulation.
  for pending in [1_000, 100_000, 1_000_000] {
    Benchmark("Kernel hold model, \(pending) pending") { benchmark in
      let stream = RandomStream(seed: 1)
      var kernel = Kernel<Int>()
      for i in 0..<pending { kernel.schedule(i, at: SimTime(stream.bits(UInt64(i)) % 1_000_000)) }
      var draw = UInt64(pending)
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        let (time, payload) = kernel.next(until: .max)!
        draw &+= 1
        kernel.schedule(payload, at: time + SimTime(stream.bits(draw) % 1_000_000), rank: UInt32(payload & 7))
      }
      benchmark.stopMeasurement()
      blackHole(kernel.pendingCount)
    }
  }

  Benchmark("RandomStream uniform draw") { benchmark in
    let stream = RandomStream(seed: 2).child(7)
    var sum = 0.0
    for i in benchmark.scaledIterations { sum += stream.uniform(UInt64(i)) }
    blackHole(sum)
  }

  Benchmark("RandomStream message + attempt stream derivation") { benchmark in
    let campaign = RandomStream(seed: 3).child(stableHash("promo"))
    var acc: UInt64 = 0
    for i in benchmark.scaledIterations { acc ^= campaign.child(UInt64(i)).child(1).bits(0) }
    blackHole(acc)
  }

  Benchmark("Lognormal sample (Acklam inverse normal + exp)") { benchmark in
    let sampler = Distribution.lognormal(median: 600_000_000, p90: 21_600_000_000).sampler
    let stream = RandomStream(seed: 4)
    var acc: SimTime = 0
    for i in benchmark.scaledIterations { acc &+= sampler.sample(stream.openUniform(UInt64(i))) }
    blackHole(acc)
  }

  Benchmark("HdrHistogram record") { benchmark in
    var histogram = Histogram<UInt64>(highestTrackableValue: LatencyRecorder.highestTrackableValue)
    let stream = RandomStream(seed: 5)
    for i in benchmark.scaledIterations { histogram.record(stream.bits(UInt64(i)) >> 34) }
    blackHole(histogram.totalCount)
  }

  Benchmark("LatencyRecorder record (HdrHistogram front buffer)") { benchmark in
    let recorder = LatencyRecorder()
    let stream = RandomStream(seed: 5)
    for i in benchmark.scaledIterations { recorder.record(stream.bits(UInt64(i)) >> 34) }
    blackHole(recorder.total)
  }
}
