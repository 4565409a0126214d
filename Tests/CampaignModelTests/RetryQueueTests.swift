import SimKernel
import Testing

@testable import CampaignModel

/// The retry queue pops in key order however its entries spread over ready-time buckets.
@Suite struct RetryQueueTests {
  /// Inserts and pops interleaved against a sorted reference: in order, jittered by 1 ms (as a
  /// tier-limited run's retries arrive), scattered over 100 s, and with a fifth on a 30 s backoff
  /// among 12 h ones, so earlier buckets keep arriving in front of the due one.
  @Test(arguments: [(0, false), (1_000, false), (100_000_000, false), (1_000, true)])
  func popsInKeyOrder(jitter: Int, mixedBackoffs: Bool) {
    let stream = RandomStream(seed: UInt64(7 + jitter))
    var queue = RetryQueue()
    var reference: [RetryQueue.Entry] = []
    var now: SimTime = 0
    for step in 0..<20_000 {
      let draw = stream.bits(UInt64(step))
      if draw % 3 != 0 || reference.isEmpty {
        now += SimTime(draw >> 40 % 500_000)
        let backoff = mixedBackoffs && draw % 5 == 0 ? 30 * Time.second : 12 * Time.hour
        let ready = now + backoff + (jitter > 0 ? SimTime(draw >> 20 % UInt64(jitter)) : 0)
        let entry = RetryQueue.Entry(ready: ready, campaign: step % 3, message: step, attempts: 1)
        queue.insert(entry)
        let at = reference.firstIndex { entry.precedes($0) } ?? reference.count
        reference.insert(entry, at: at)
      } else {
        #expect(queue.min?.key == reference.first?.key)
        #expect(queue.removeMin().key == reference.removeFirst().key)
      }
      #expect(queue.count == reference.count)
    }
    #expect(Set(queue.items.map(\.key)) == Set(reference.map(\.key)))
    while let expected = reference.first {
      reference.removeFirst()
      #expect(queue.removeMin().key == expected.key)
    }
    #expect(queue.isEmpty && queue.min == nil)
  }
}
