import CampaignModel
import RunPlan

/// Student's t distribution, computed with nothing but IEEE arithmetic and square roots (and an
/// arctangent built from them), so a confidence interval has the same bits on every machine — a
/// report must not depend on which libm computed it.
public enum StudentT {
  /// `P(|T| ≤ t)` for `df` degrees of freedom: the closed forms of Abramowitz & Stegun 26.7.3–4,
  /// a finite series in cos²θ with θ = atan(t / √df).
  public static func twoSidedCDF(_ t: Double, df: Int) -> Double {
    precondition(df >= 1)
    let t = abs(t)
    let nu = Double(df)
    let r = (nu + t * t).squareRoot()
    let sine = t / r
    let cosine2 = nu / (nu + t * t)
    if df % 2 == 0 {
      // sinθ · Σ_{k=0}^{(ν−2)/2} (1·3…(2k−1))/(2·4…2k) cos^{2k}θ
      var term = 1.0
      var sum = 1.0
      var k = 1
      while k <= (df - 2) / 2 {
        term *= cosine2 * Double(2 * k - 1) / Double(2 * k)
        sum += term
        k += 1
      }
      return min(1, sine * sum)
    }
    // (2/π)(θ + sinθ cosθ Σ_{k=0}^{(ν−3)/2} (2·4…2k)/(3·5…(2k+1)) cos^{2k}θ)
    let theta = arctangent(t / nu.squareRoot())
    guard df > 1 else { return min(1, 2 * theta / Double.pi) }
    var term = 1.0
    var sum = 1.0
    var k = 1
    while k <= (df - 3) / 2 {
      term *= cosine2 * Double(2 * k) / Double(2 * k + 1)
      sum += term
      k += 1
    }
    return min(1, 2 / Double.pi * (theta + sine * cosine2.squareRoot() * sum))
  }

  /// The `p` quantile (0.5 < p < 1) of t with `df` degrees of freedom, e.g. 2.262157 for p = 0.975
  /// and df = 9; found by bisection on the CDF down to adjacent doubles.
  public static func quantile(_ p: Double, df: Int) -> Double {
    precondition(p > 0.5 && p < 1 && df >= 1)
    let target = 2 * p - 1
    var low = 0.0
    var high = 1.0
    while twoSidedCDF(high, df: df) < target { (low, high) = (high, high * 2) }
    for _ in 0..<200 {
      let middle = low + (high - low) / 2
      if middle <= low || middle >= high { break }
      if twoSidedCDF(middle, df: df) < target { low = middle } else { high = middle }
    }
    return high
  }

  /// atan(x) by angle halving to |x| < 0.2, then its Taylor series.
  static func arctangent(_ x: Double) -> Double {
    if x < 0 { return -arctangent(-x) }
    if x > 1 { return Double.pi / 2 - arctangent(1 / x) }
    var y = x
    var doublings = 1.0
    while y > 0.2 {
      y = y / (1 + (1 + y * y).squareRoot())
      doublings *= 2
    }
    let y2 = y * y
    var power = y
    var sum = 0.0
    for n in 0..<30 {
      let term = power / Double(2 * n + 1)
      sum += n % 2 == 0 ? term : -term
      power *= y2
    }
    return doublings * sum
  }

}

/// One figure over R replications: the per-replication values, their mean, standard deviation and
/// 95 % confidence interval of the mean (Student t, df = R − 1).
///
/// A replication without a value (a campaign that never finished, a percentile of no samples)
/// leaves the mean and everything after it missing: an average that silently skipped the
/// replications where nothing finished would look better than the truth.
public struct FigureStatistics: Sendable, Equatable {
  public static let confidence = 0.95

  public let values: [Double?]
  public let mean: Double?
  /// Sample standard deviation (n − 1); `nil` with fewer than two replications.
  public let sd: Double?
  public let ciLow: Double?
  public let ciHigh: Double?

  public init(values: [Double?]) {
    self.values = values
    let defined = values.compactMap { $0 }
    guard !values.isEmpty, defined.count == values.count else {
      (mean, sd, ciLow, ciHigh) = (nil, nil, nil, nil)
      return
    }
    // Sums in replication order: the same bits whatever order the runs finished in.
    var sum = 0.0
    for value in defined { sum += value }
    let n = Double(defined.count)
    let mean = defined.allSatisfy({ $0 == defined[0] }) ? defined[0] : sum / n
    self.mean = mean
    guard defined.count >= 2 else {
      (sd, ciLow, ciHigh) = (nil, nil, nil)
      return
    }
    var squares = 0.0
    for value in defined { squares += (value - mean) * (value - mean) }
    let sd = (squares / (n - 1)).squareRoot()
    self.sd = sd
    let half = StudentT.quantile(0.5 + Self.confidence / 2, df: defined.count - 1) * sd / n.squareRoot()
    (ciLow, ciHigh) = (mean - half, mean + half)
  }

  public var count: Int { values.count }
  /// Half the width of the confidence interval.
  public var halfWidth: Double? { ciHigh.flatMap { high in mean.map { high - $0 } } }
}

/// Every figure of a scenario over its replications, in `Figures.names` order.
public struct FigureTable: Sendable, Equatable {
  public let names: [String]
  public let statistics: [FigureStatistics]
  let index: [String: Int]

  public init(names: [String], statistics: [FigureStatistics]) {
    precondition(names.count == statistics.count)
    self.names = names
    self.statistics = statistics
    var index: [String: Int] = [:]
    for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
    self.index = index
  }

  /// Figures of replications 0, 1, … (same names in each, as from one scenario).
  public init(replications: [FigureValues]) {
    let names = replications.first?.names ?? []
    self.init(
      names: names,
      statistics: names.indices.map { i in FigureStatistics(values: replications.map { $0.values[i] }) })
  }

  public var replications: Int { statistics.first?.count ?? 0 }

  public subscript(name: String) -> FigureStatistics? { index[name].map { statistics[$0] } }

  public static func == (lhs: FigureTable, rhs: FigureTable) -> Bool {
    lhs.names == rhs.names && lhs.statistics == rhs.statistics
  }
}
