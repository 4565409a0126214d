// Counter-based random numbers: draw `i` of a stream is a pure function of the
// stream's key and `i`. A model derives one key per (seed, replication, entity,
// sub-entity, ...) and recomputes any draw on demand instead of storing it, and
// no two entities ever share (or reshuffle) a generator.

/// A 64-bit bijective mixer (SplitMix64's finaliser, Stafford variant 13).
@inlinable @inline(__always)
public func mix64(_ value: UInt64) -> UInt64 {
  var z = value
  z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}

public struct RandomStream: Sendable, Hashable {
  public let key: UInt64

  @inlinable public init(key: UInt64) { self.key = key }

  /// A root stream for a seed.
  @inlinable public init(seed: UInt64) { self.key = mix64(seed ^ 0x6A09_E667_F3BC_C909) }

  /// The independent child stream number `index` of this one.
  @inlinable @inline(__always)
  public func child(_ index: UInt64) -> RandomStream {
    RandomStream(key: mix64(key &+ mix64(index &+ 0x9E37_79B9_7F4A_7C15)))
  }

  /// Draw number `index`: 64 uniformly distributed bits.
  @inlinable @inline(__always)
  public func bits(_ index: UInt64) -> UInt64 {
    mix64(key &+ (index &+ 1) &* 0x9E37_79B9_7F4A_7C15)
  }

  /// Draw number `index` as a uniform double in [0, 1), with 53 random bits.
  @inlinable @inline(__always)
  public func uniform(_ index: UInt64) -> Double {
    Double(bits(index) >> 11) * 0x1.0p-53
  }

  /// Draw number `index` as a uniform double in the open interval (0, 1).
  @inlinable @inline(__always)
  public func openUniform(_ index: UInt64) -> Double {
    (Double(bits(index) >> 11) + 0.5) * 0x1.0p-53
  }
}

/// FNV-1a over UTF-8: a stable 64-bit name for a string, identical on every
/// machine and run (unlike `Hasher`, which is seeded per process).
public func stableHash(_ string: String) -> UInt64 {
  var hash: UInt64 = 0xCBF2_9CE4_8422_2325
  for byte in string.utf8 {
    hash ^= UInt64(byte)
    hash = hash &* 0x100_0000_01B3
  }
  return mix64(hash)
}
