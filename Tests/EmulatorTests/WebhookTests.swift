import CampaignModel
import Foundation
import ScenarioFormat
import SimKernel
import Testing

@testable import Emulator

@Suite(.serialized) struct WebhookTests {
  static let yaml = """
    name: emu-hooks
    seed: 5
    senders: [{id: main, phone_number_id: "2001", throughput_mps: 1000}]
    campaigns:
      - id: promo
        template: spring_promo
        sender: main
        contacts: {invalid: 0.2}
        latency: {deliver: 1s}
    """

  /// Sends `n` messages at 1 ms spacing; returns the number of statuses the platform produced
  /// (sent and delivered for the accepted, failed for the invalid), counted from the answers.
  static func sendBurst(_ harness: Harness, n: Int) async throws {
    for i in 0..<n {
      harness.clock?.advance(to: SimTime(i) * Time.millisecond)
      #expect(try await harness.send(to: "3310\(i)", template: "spring_promo", phone: "2001").status == 200)
    }
  }

  /// (c) Every post is signed with HMAC-SHA256 of the app secret; with chaos off each status
  /// arrives exactly once.
  @Test func signedAndDeliveredOnce() async throws {
    let sink = WebhookSink(secret: testSecret, verifyToken: "vt", keepStatuses: true)
    let harness = try await Harness.start(Self.yaml, sink: sink, verify: true) { $0.webhook.verifyToken = "vt" }
    try await Self.sendBurst(harness, n: 100)
    harness.clock?.advance(to: 10 * Time.second)
    let outcome0 = harness.emulator
    _ = outcome0
    try await harness.waitForSink { $0.statuses >= 1 }
    let invalid = harness.emulator.state.core.withLock { $0.stats.errors[ErrorCode.invalidContact.reportIndex] }
    let expected = invalid + 2 * (100 - invalid)
    try await harness.waitForSink { $0.unique >= expected }
    let outcome = try await harness.finish()
    #expect(sink.counts.verifications == 1)
    #expect(sink.counts.badSignatures == 0)
    #expect(sink.counts.unique == expected)
    #expect(sink.counts.repeats == 0)
    #expect(outcome.webhooks.delivered == expected)
    #expect(outcome.webhooks.duplicated == 0 && outcome.webhooks.redelivered == 0 && outcome.webhooks.dropped == 0)
    #expect(invalid > 5 && invalid < 40)

    // A body signed with another secret does not verify.
    let body = Array(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8)
    #expect(Signature.verify(Signature.sign(body, secret: testSecret), body: body, secret: testSecret))
    #expect(!Signature.verify(Signature.sign(body, secret: "other"), body: body, secret: testSecret))
    // Known answer (RFC 4231 test case 2).
    #expect(
      Signature.sign(Array("what do ya want for nothing?".utf8), secret: "Jefe")
        == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
  }

  /// A receiver that fails the handshake stops the emulator before it serves.
  @Test func failedVerificationIsAnError() async throws {
    let sink = WebhookSink(secret: testSecret, verifyToken: "expected")
    await #expect(throws: EmulatorError.self) {
      _ = try await Harness.start(Self.yaml, sink: sink, verify: true) { $0.webhook.verifyToken = "other" }
    }
    sink.stop()
  }

  /// (d) Duplicates: each status is posted twice with the configured probability.
  @Test func duplicateChaosProducesTheConfiguredShare() async throws {
    let sink = WebhookSink(secret: testSecret, verifyToken: nil)
    let harness = try await Harness.start(Self.yaml, sink: sink) { $0.webhook.duplicates = 0.3 }
    try await Self.sendBurst(harness, n: 400)
    harness.clock?.advance(to: 10 * Time.second)
    let scheduled = harness.emulator.state.core.withLock { $0.stats.webhooks }
    try await harness.waitForSink { $0.statuses >= scheduled.scheduled + scheduled.duplicatesScheduled }
    let outcome = try await harness.finish()
    let n = outcome.webhooks.scheduled
    let p = 0.3
    let sd = (Double(n) * p * (1 - p)).squareRoot()
    #expect(abs(Double(outcome.webhooks.duplicated) - Double(n) * p) <= 4 * sd, "\(outcome.webhooks)")
    #expect(sink.counts.repeats == outcome.webhooks.duplicated)
    #expect(sink.counts.unique == n)
  }

  /// (d) A fixed extra delay holds every post back by exactly that much emulator time.
  @Test func delayChaosHoldsPostsBack() async throws {
    let sink = WebhookSink(secret: testSecret, verifyToken: nil)
    let harness = try await Harness.start(Self.yaml, sink: sink) { $0.webhook.delay = .fixed(5 * Time.second) }
    let clock = try #require(harness.clock)
    for i in 0..<20 {
      #expect(try await harness.send(to: "d\(i)", template: "spring_promo", phone: "2001").status == 200)
    }
    clock.advance(to: 5 * Time.second - 1)
    try await Task.sleep(for: .milliseconds(100))
    #expect(sink.counts.statuses == 0)
    clock.advance(to: 5 * Time.second)
    let sent = harness.emulator.state.core.withLock { $0.stats.webhooks.scheduled }
    let delivered = harness.emulator.state.core.withLock { core in core.stats.accepted }
    // At +5 s the sent and failed statuses are due; delivered ones (1 s later) are not yet.
    try await harness.waitForSink { $0.statuses >= 20 }
    #expect(sink.counts.statuses == 20)
    clock.advance(to: 6 * Time.second)
    try await harness.waitForSink { $0.statuses >= sent }
    #expect(sink.counts.statuses == 20 + delivered)
    _ = try await harness.finish()
  }

  /// (d) Batches: at most `batch` statuses per post, when several are due together.
  @Test func batchesGroupStatuses() async throws {
    let sink = WebhookSink(secret: testSecret, verifyToken: nil, keepStatuses: true)
    let harness = try await Harness.start(Self.yaml, sink: sink) {
      $0.webhook.batch = 3
      $0.webhook.delay = .fixed(Time.second)  // holds the ten first statuses back, so they are due together
    }
    for i in 0..<10 { _ = try await harness.send(to: "g\(i)", template: "spring_promo", phone: "2001") }
    harness.clock?.advance(to: Time.second)
    try await harness.waitForSink { $0.statuses >= 10 }
    let outcome = try await harness.finish()
    #expect(sink.received.map(\.batchSize).sorted() == [1] + Array(repeating: 3, count: 9))
    #expect(outcome.webhooks.posts == 4)
    #expect(sink.counts.posts == 4)
  }

  /// (d) A receiver answering 500 gets the same statuses again, with backoff, until it takes them.
  @Test func failedPostsAreRedelivered() async throws {
    let sink = WebhookSink(secret: testSecret, verifyToken: nil, failFirst: 3)
    let harness = try await Harness.start(Self.yaml, sink: sink)
    let clock = try #require(harness.clock)
    #expect(try await harness.send(to: "x1", template: "spring_promo", phone: "2001").status == 200)
    try await harness.waitForSink { $0.refused >= 1 }
    // Backoff 1 s, 2 s, 4 s: each step of the clock lets one redelivery through.
    var t: SimTime = 0
    for step in [1, 2, 4] as [SimTime] {
      t += step * Time.second
      clock.advance(to: t)
      try await harness.waitForSink { $0.posts >= Int(step == 1 ? 2 : step == 2 ? 3 : 4) }
    }
    try await harness.waitForSink { $0.statuses >= 1 }
    let outcome = try await harness.finish()
    #expect(sink.counts.refused == 3)
    #expect(outcome.webhooks.failedPosts == 3)
    #expect(outcome.webhooks.redelivered == 3)
    #expect(sink.counts.unique >= 1 && sink.counts.repeats == 0)
  }

  /// A receiver that is down fills the bounded backlog; further statuses are dropped and counted.
  @Test func backlogIsBounded() async throws {
    let yaml = Self.yaml + "\nemulator: {webhook: {url: \"http://127.0.0.1:9/none\", backlog: 5, timeout: 200ms}}\n"
    let harness = try await Harness.start(yaml)
    for i in 0..<10 { _ = try await harness.send(to: "q\(i)", template: "spring_promo", phone: "2001") }
    let outcome = try await harness.finish()
    #expect(outcome.webhooks.dropped >= 5)
    #expect(outcome.webhooks.delivered == 0)
  }
}
