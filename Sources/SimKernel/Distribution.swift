import Foundation

/// A non-negative duration distribution, sampled by inverse transform from a
/// single uniform so that each sample consumes exactly one stream draw.
public enum Distribution: Sendable, Equatable {
  case fixed(SimTime)
  case exponential(mean: SimTime)
  /// Log-normal given by its median and 90th percentile.
  case lognormal(median: SimTime, p90: SimTime)
  case uniform(SimTime, SimTime)

  /// Samples are clamped here (about 31 years) so arithmetic on times never overflows.
  public static let maximumSample: SimTime = 1_000_000_000_000_000

  public var sampler: Sampler { Sampler(self) }

  /// The mean of the distribution in microseconds (before rounding/clamping).
  public var mean: Double {
    switch self {
    case .fixed(let value): return Double(value)
    case .exponential(let mean): return Double(mean)
    case .lognormal(let median, let p90):
      let sigma = Sampler.lognormalSigma(median: median, p90: p90)
      return Double(median) * exp(sigma * sigma / 2)
    case .uniform(let low, let high): return (Double(low) + Double(high)) / 2
    }
  }
}

/// A distribution with its parameters precomputed for the hot path.
public struct Sampler: Sendable {
  @usableFromInline enum Kind: Sendable { case fixed, exponential, lognormal, uniform }
  @usableFromInline let kind: Kind
  @usableFromInline let a: Double
  @usableFromInline let b: Double
  @usableFromInline let constant: SimTime

  /// z such that Φ(z) = 0.9.
  public static let z90 = 1.2815515655446004

  static func lognormalSigma(median: SimTime, p90: SimTime) -> Double {
    guard median > 0, p90 > median else { return 0 }
    return (log(Double(p90)) - log(Double(median))) / z90
  }

  public init(_ distribution: Distribution) {
    switch distribution {
    case .fixed(let value):
      (kind, a, b, constant) = (.fixed, 0, 0, value)
    case .exponential(let mean):
      (kind, a, b, constant) = (.exponential, Double(mean), 0, 0)
    case .lognormal(let median, let p90):
      if median > 0 {
        let sigma = Sampler.lognormalSigma(median: median, p90: p90)
        (kind, a, b, constant) = (.lognormal, log(Double(median)), sigma, 0)
      } else {
        (kind, a, b, constant) = (.fixed, 0, 0, 0)
      }
    case .uniform(let low, let high):
      (kind, a, b, constant) = (.uniform, Double(low), Double(high - low), 0)
    }
  }

  /// True when sampling needs no random draw.
  @inlinable public var isConstant: Bool { kind == .fixed }

  /// The sample for the open-interval uniform `u` ∈ (0, 1), rounded to the
  /// nearest microsecond.
  @inlinable
  public func sample(_ u: Double) -> SimTime {
    let value: Double
    switch kind {
    case .fixed: return constant
    case .exponential: value = -a * log1p(-u)
    case .lognormal: value = exp(a + b * inverseNormalCDF(u))
    case .uniform: value = a + u * b
    }
    guard value < Double(Distribution.maximumSample) else { return Distribution.maximumSample }
    // Round half away from zero, as `value.rounded()` does, without a libm
    // call: truncation is one instruction and the fraction is exact below 2^52.
    let whole = SimTime(value)
    return value - Double(whole) >= 0.5 ? whole + 1 : whole
  }
}

/// Φ⁻¹(p) for p ∈ (0, 1) by Acklam's rational approximation (relative error
/// below 1.2e-9), which needs no iteration and so costs the same every call.
@inlinable
public func inverseNormalCDF(_ p: Double) -> Double {
  let a0 = -3.969683028665376e+01, a1 = 2.209460984245205e+02, a2 = -2.759285104469687e+02
  let a3 = 1.383577518672690e+02, a4 = -3.066479806614716e+01, a5 = 2.506628277459239e+00
  let b0 = -5.447609879822406e+01, b1 = 1.615858368580409e+02, b2 = -1.556989798598866e+02
  let b3 = 6.680131188771972e+01, b4 = -1.328068155288572e+01
  let c0 = -7.784894002430293e-03, c1 = -3.223964580411365e-01, c2 = -2.400758277161838e+00
  let c3 = -2.549732539343734e+00, c4 = 4.374664141464968e+00, c5 = 2.938163982698783e+00
  let d0 = 7.784695709041462e-03, d1 = 3.224671290700398e-01, d2 = 2.445134137142996e+00
  let d3 = 3.754408661907416e+00
  let low = 0.02425
  if p < low {
    let q = (-2 * log(p)).squareRoot()
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5)
      / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
  }
  if p > 1 - low {
    let q = (-2 * log1p(-p)).squareRoot()
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5)
      / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
  }
  let q = p - 0.5
  let r = q * q
  return (((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q
    / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
}
