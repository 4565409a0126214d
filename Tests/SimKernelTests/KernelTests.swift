import SimKernel
import Testing

@Suite struct KernelTests {
  @Test func eventsComeOutInTimeThenRankThenSchedulingOrder() {
    var kernel = Kernel<String>()
    kernel.schedule("late", at: 20)
    kernel.schedule("b-rank2", at: 10, rank: 2)
    kernel.schedule("a-rank1-first", at: 10, rank: 1)
    kernel.schedule("a-rank1-second", at: 10, rank: 1)
    kernel.schedule("early", at: 5, rank: 9)
    var order: [String] = []
    while let (_, name) = kernel.next(until: .max) { order.append(name) }
    #expect(order == ["early", "a-rank1-first", "a-rank1-second", "b-rank2", "late"])
    #expect(kernel.processed == 5)
    #expect(kernel.now == 20)
  }

  @Test func nothingPastTheHorizonIsHandedOut() {
    var kernel = Kernel<Int>()
    for t in [1, 5, 10, 11] { kernel.schedule(t, at: SimTime(t)) }
    var seen: [Int] = []
    while let (_, t) = kernel.next(until: 10) { seen.append(t) }
    #expect(seen == [1, 5, 10])
    #expect(kernel.pendingCount == 1)
  }

  @Test func manyEventsStaySortedAgainstAReferenceSort() {
    // A hold model: pop one, push one later, with a deterministic stream for times.
    var kernel = Kernel<Int>()
    let stream = RandomStream(seed: 1)
    var reference: [(SimTime, Int)] = []
    for i in 0..<2_000 {
      let t = SimTime(stream.bits(UInt64(i)) % 1_000)
      kernel.schedule(i, at: t)
      reference.append((t, i))
    }
    reference.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
    var out: [(SimTime, Int)] = []
    while let (t, i) = kernel.next(until: .max) { out.append((t, i)) }
    #expect(out.map(\.0) == reference.map(\.0))
    #expect(out.map(\.1) == reference.map(\.1))
  }
}

@Suite struct RandomStreamTests {
  @Test func drawsArePureFunctionsOfKeyAndIndex() {
    let a = RandomStream(seed: 42).child(3).child(7)
    let b = RandomStream(seed: 42).child(3).child(7)
    #expect((0..<100).map { a.bits($0) } == (0..<100).map { b.bits($0) })
    #expect(a.bits(0) != RandomStream(seed: 42).child(3).child(8).bits(0))
    #expect(a.bits(0) != RandomStream(seed: 43).child(3).child(7).bits(0))
  }

  @Test func knownValuesPinTheGeneratorAcrossMachines() {
    // If these change, every report changes: a deliberate, versioned decision.
    #expect(mix64(0) == 0)
    #expect(mix64(1) == 0x5692_161D_100B_05E5)
    #expect(stableHash("promo") == stableHash("promo"))
    #expect(stableHash("promo") != stableHash("promo2"))
  }

  @Test func uniformsHaveTheRightMeanAndVarianceWithin4Sigma() {
    let n = 200_000
    let stream = RandomStream(seed: 9)
    var sum = 0.0
    var sumSquares = 0.0
    for i in 0..<n {
      let u = stream.uniform(UInt64(i))
      #expect(u >= 0 && u < 1)
      sum += u
      sumSquares += u * u
    }
    let mean = sum / Double(n)
    // Var(U) = 1/12; the sample mean's σ is sqrt(1/12/n).
    #expect(abs(mean - 0.5) < 4 * (1.0 / 12 / Double(n)).squareRoot())
    let variance = sumSquares / Double(n) - mean * mean
    // Var(U²) = 1/5 − 1/9 = 4/45; the second moment's σ is sqrt(4/45/n).
    #expect(abs(variance - 1.0 / 12) < 4 * (4.0 / 45 / Double(n)).squareRoot())
  }

  @Test func siblingStreamsAreUncorrelated() {
    // Correlation of draw 0 across 100 000 sibling streams: |r| < 4/sqrt(n).
    let root = RandomStream(seed: 5)
    let n = 100_000
    var sxy = 0.0
    var sx = 0.0
    var sy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for i in 0..<n {
      let s = root.child(UInt64(i))
      let x = s.uniform(0)
      let y = root.child(UInt64(i + 1)).uniform(0)
      sxy += x * y
      sx += x
      sy += y
      sxx += x * x
      syy += y * y
    }
    let nd = Double(n)
    let r = (sxy - sx * sy / nd) / ((sxx - sx * sx / nd) * (syy - sy * sy / nd)).squareRoot()
    #expect(abs(r) < 4 / nd.squareRoot())
  }
}

@Suite struct DistributionTests {
  @Test func inverseNormalMatchesKnownQuantiles() {
    #expect(abs(inverseNormalCDF(0.5)) < 1e-9)
    #expect(abs(inverseNormalCDF(0.9) - 1.2815515655446004) < 1e-8)
    #expect(abs(inverseNormalCDF(0.975) - 1.959963984540054) < 1e-8)
    #expect(abs(inverseNormalCDF(0.001) + 3.090232306167813) < 1e-8)
    #expect(abs(inverseNormalCDF(0.1) + inverseNormalCDF(0.9)) < 1e-12)
  }

  @Test func fixedAndUniformAreExact() {
    #expect(Distribution.fixed(250_000).sampler.sample(0.7) == 250_000)
    #expect(Distribution.uniform(60_000_000, 1_800_000_000).sampler.sample(0.5) == 930_000_000)
    #expect(Distribution.uniform(0, 10).sampler.sample(0.04) == 0)  // 0.4 rounds to 0
    #expect(Distribution.uniform(0, 10).sampler.sample(0.05) == 1)  // 0.5 rounds away from zero
  }

  @Test func samplesRoundHalfAwayFromZeroLikeRounded() {
    // The fast rounding must agree with Double.rounded() everywhere, ties included.
    let stream = RandomStream(seed: 8)
    let sampler = Distribution.uniform(0, 10_000_000).sampler
    var mismatches = 0
    for i in 0..<100_000 {
      let u = stream.uniform(UInt64(i))
      if sampler.sample(u) != SimTime((u * 1e7).rounded()) { mismatches += 1 }
    }
    #expect(mismatches == 0)
    let unit = Distribution.uniform(0, 1).sampler  // value = u exactly
    for x in [0.5, 0.49999999999999994, 0.5000000000000001, 0.25, 0.75, 0.999999999] {
      #expect(unit.sample(x) == SimTime(x.rounded()), "\(x)")
    }
    let wide = Distribution.uniform(0, 4).sampler
    for x in [0.125, 0.375, 0.625, 0.875] {  // 0.5, 1.5, 2.5, 3.5: ties
      #expect(wide.sample(x) == SimTime((x * 4).rounded()), "\(x)")
    }
  }

  @Test func lognormalHitsItsMedianAndP90() {
    let sampler = Distribution.lognormal(median: 600_000_000, p90: 21_600_000_000).sampler
    #expect(abs(Double(sampler.sample(0.5)) - 600_000_000) <= 1)
    #expect(abs(Double(sampler.sample(0.9)) / 21_600_000_000 - 1) < 1e-6)
  }

  @Test func exponentialMeanWithin4Sigma() {
    let sampler = Distribution.exponential(mean: 5_000_000).sampler
    let stream = RandomStream(seed: 3)
    let n = 100_000
    var sum = 0.0
    for i in 0..<n { sum += Double(sampler.sample(stream.openUniform(UInt64(i)))) }
    // The exponential's σ equals its mean.
    #expect(abs(sum / Double(n) - 5_000_000) < 4 * 5_000_000 / Double(n).squareRoot())
  }

  @Test func samplesAreClampedSoTimesCannotOverflow() {
    let sampler = Distribution.lognormal(median: 1_000_000_000_000, p90: 900_000_000_000_000).sampler
    #expect(sampler.sample(1 - 1e-12) == Distribution.maximumSample)
  }
}
