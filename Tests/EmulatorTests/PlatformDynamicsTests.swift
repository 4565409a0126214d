import CampaignModel
import Foundation
import Platform
import SimKernel
import Testing

@testable import Emulator

/// MODEL.md §9 through the emulator: the same `Platform` rules, in emulator time.
@Suite(.serialized) struct EmulatorPlatformDynamicsTests {
  static let yaml = """
    name: emu-dynamics
    business: {messaging_limit: 2}
    senders: [{id: main, phone_number_id: "1065", throughput_mps: 100}]
    campaigns: [{id: promo, template: t, sender: main}]
    """

  /// §9.1: the limit of 2 is half used at the first acceptance (ceil(0.5 × 2) = 1), so an
  /// upgrade to 4 becomes pending and takes effect 1 s later; until then the third send is
  /// refused with 131049, after it a send is accepted.
  @Test func theLimitScalesAtItsOwnTime() async throws {
    let sink = WebhookSink(secret: testSecret, verifyToken: nil, keepStatuses: true)
    let harness = try await Harness.start(Self.yaml, sink: sink) { _ in
    } adjustScenario: {
      $0.scaling = ScalingPolicy(tiers: [2, 4], lookback: Time.day, delay: Time.second, minQuality: .low)
    }
    let clock = try #require(harness.clock)
    var ids: [String] = []
    for (k, at) in [0, 100, 200, 999, 1000].enumerated() {
      clock.advance(to: SimTime(at) * Time.millisecond)
      let reply = try await harness.send(to: "s\(k)", template: "t")
      #expect(reply.status == 200)
      ids.append(try #require(reply.messageID))
      try await harness.waitForSink { _ in sink.received.contains { $0.id == ids[k] } }
    }
    let failed = ids.map { id in sink.received.first { $0.id == id && $0.status == "failed" }?.errorCode }
    #expect(failed == [nil, nil, 131049, 131049, nil])
    let outcome = try await harness.finish()
    #expect(outcome.result.limitChanges == [LimitChange(at: Time.second, from: 2, to: 4)])
    #expect(outcome.result.campaigns[0].count(.blockedOrSpam) == 2)
    #expect(outcome.result.campaigns[0].count(FailureReason.messagingLimit) == 2)
  }

  /// §9.4: a capped contact gets 131049 (kind cap) until its cap lifts, then is accepted; one the
  /// sender never comes back to ends `blocked_or_spam` (`marketing_cap`).
  @Test func cappedContactsAreRefusedUntilTheCapLifts() async throws {
    let sink = WebhookSink(secret: testSecret, verifyToken: nil, keepStatuses: true)
    let harness = try await Harness.start(
      Self.yaml.replacingOccurrences(of: "messaging_limit: 2", with: "messaging_limit: unlimited"), sink: sink
    ) {
      _ in
    } adjustScenario: {
      $0.campaigns[0].contacts.marketingCapped = 1
      $0.campaigns[0].capDuration = .fixed(10 * Time.second)
    }
    let clock = try #require(harness.clock)
    let first = try await harness.send(to: "c1", template: "t")
    _ = try await harness.send(to: "c2", template: "t")
    clock.advance(to: 10 * Time.second)
    let again = try await harness.send(to: "c1", template: "t")
    try await harness.waitForSink { $0.unique >= 3 }
    #expect(sink.received.first { $0.id == first.messageID }?.errorCode == 131049)
    // Sent and delivered (deliver latency 0) are due together and may arrive in either order.
    try await harness.waitForSink { $0.unique >= 4 }
    #expect(Set(sink.received.filter { $0.id == again.messageID }.map(\.status)) == ["sent", "delivered"])
    let outcome = try await harness.finish()
    let promo = outcome.result.campaigns[0]
    #expect(promo.count(.delivered) == 1)
    #expect(promo.count(.blockedOrSpam) == 1)
    #expect(promo.count(FailureReason.marketingCap) == 1)
    #expect(promo.errorsByKind[ErrorKind.cap.rawValue] == 2)
  }
}
