import CampaignModel
import Foundation
import ScenarioFormat
import SimKernel
import Testing

@testable import Emulator

@Suite(.serialized) struct EmulatorBehaviourTests {
  static let plain = """
    name: emu-plain
    seed: 11
    senders: [{id: main, phone_number_id: "1065", throughput_mps: 1000}]
    campaigns:
      - id: promo
        template: spring_promo
        sender: main
        contacts: {invalid: 0.1, blocked: 0.05, offline: 0.1, read_receipts_off: 0.2}
        engagement: {read: 0.5, respond: 0.2}
        latency: {deliver: 1s, read: {exponential: 10s}, respond: 5s}
    """

  /// (b) One attempt per recipient, no faults: the final-state fractions agree with `run` on
  /// the same mix within 4σ (different people, same distribution).
  @Test func randomScenarioFractionsAgreeWithRun() async throws {
    let harness = try await Harness.start(Self.plain)
    let n = 1500
    for i in 0..<n {
      harness.clock?.advance(to: SimTime(i) * Time.millisecond)
      let reply = try await harness.send(to: "4470\(i)", template: "spring_promo")
      #expect(reply.status == 200)
    }
    harness.clock?.advance(to: 10 * Time.day)
    let outcome = try await harness.finish()
    var scenario = harness.emulator.scenario
    scenario.campaigns[0].audience = n
    let simulated = Simulation(scenario: scenario).run()
    let served = outcome.result.campaigns[0]
    #expect(served.audience == n)
    for state in MessageState.allCases {
      #expect(
        agreeWithin(4, served.count(state), of: n, simulated.campaigns[0].count(state), of: n),
        "\(state): served \(served.count(state)), simulated \(simulated.campaigns[0].count(state))")
    }
    #expect(served.count(.invalidContact) > 0 && served.count(.responded) > 0)
    #expect(outcome.result.invariantViolations().isEmpty, "\(outcome.result.invariantViolations())")
  }

  /// A recipient's fate depends on who it is, not on when or in what order it is sent.
  @Test func fatesDependOnTheRecipientOnly() async throws {
    func finals(order: [Int]) async throws -> [String: Int] {
      let harness = try await Harness.start(Self.plain)
      var ids: [String: String] = [:]
      for (k, i) in order.enumerated() {
        harness.clock?.advance(to: SimTime(k) * 7 * Time.millisecond)
        ids["r\(i)"] = try await harness.send(to: "r\(i)", template: "spring_promo").messageID
      }
      harness.clock?.advance(to: Time.day)
      let outcome = try await harness.finish()
      return Dictionary(
        uniqueKeysWithValues: MessageState.allCases.map { ("\($0)", outcome.result.campaigns[0].count($0)) })
    }
    let forward = try await finals(order: Array(0..<200))
    let backward = try await finals(order: Array((0..<200).reversed()))
    #expect(forward == backward)
  }

  /// (c) Authorization: the configured bearer token or 401 with code 190.
  @Test func wrongTokenGets401() async throws {
    let harness = try await Harness.start(Self.plain)
    let body = Array(
      #"{"messaging_product":"whatsapp","to":"1","type":"template","template":{"name":"spring_promo","language":{"code":"en"}}}"#
        .utf8)
    for token in ["wrong", "", "test-token-and-more", "test-toke"] {
      let reply = try await harness.request(.POST, "/v21.0/1065/messages", body: body, token: token)
      #expect(reply.status == 401)
      #expect(reply.errorCode == 190)
    }
    let missing = try await harness.request(.POST, "/v21.0/1065/messages", body: body, token: nil)
    #expect(missing.status == 401 && missing.errorCode == 190)
    // The token is checked before everything else, even an oversized body or unknown phone number.
    let big = [UInt8](repeating: 32, count: 70_000)
    #expect(try await harness.request(.POST, "/v21.0/999/messages", body: big, token: "nope").status == 401)
    let good = try await harness.request(.POST, "/v21.0/1065/messages", body: body)
    #expect(good.status == 200)
    _ = try await harness.finish()
  }

  /// (f) Order of checks and bad input: 413, 400/100 naming the field, 404/132001, 404 routes.
  @Test func badRequestsGetMetaErrorsAndTheServerKeepsServing() async throws {
    let harness = try await Harness.start(Self.plain)
    let path = "/v21.0/1065/messages"
    let big = [UInt8](repeating: 32, count: 64 * 1024 + 1)
    let tooLarge = try await harness.request(.POST, path, body: big)
    #expect(tooLarge.status == 413)
    let exactly = try await harness.request(.POST, path, body: [UInt8](repeating: 32, count: 64 * 1024))
    #expect(exactly.status == 400 && exactly.errorCode == 100)
    let unknownPhone = try await harness.request(.POST, "/v21.0/42/messages", body: Array("{".utf8))
    #expect(unknownPhone.status == 400 && unknownPhone.errorCode == 100)
    let cases: [(String, String)] = [
      ("{", "not valid JSON"),
      ("[]", "JSON object"),
      (#"{"to":"1"}"#, "messaging_product"),
      (#"{"messaging_product":"whatsapp"}"#, "to"),
      (#"{"messaging_product":"whatsapp","to":5}"#, "to must be a string"),
      (#"{"messaging_product":"sms","to":"1"}"#, "messaging_product"),
      (#"{"messaging_product":"whatsapp","to":"1","type":"template"}"#, "template"),
      (
        #"{"messaging_product":"whatsapp","to":"1","type":"template","template":{"language":{"code":"en"}}}"#,
        "template.name"
      ),
      (#"{"messaging_product":"whatsapp","to":"1","type":"template","template":{"name":"x"}}"#, "template.language"),
      (#"{"messaging_product":"whatsapp","to":"1","type":"template","template":{"name":7}}"#, "template.name"),
      (#"{"messaging_product":"whatsapp","to":"1","type":"image"}"#, "type"),
      (#"{"messaging_product":"whatsapp","to":"1","type":"text"}"#, "text"),
    ]
    for (body, field) in cases {
      let reply = try await harness.request(.POST, path, body: Array(body.utf8))
      #expect(reply.status == 400, "\(body)")
      #expect(reply.errorCode == 100, "\(body)")
      #expect(reply.details?.contains(field) == true, "\(body): \(reply.details ?? "no details")")
    }
    let unknownTemplate = try await harness.send(to: "1", template: "nope")
    #expect(unknownTemplate.status == 404 && unknownTemplate.errorCode == 132001)
    #expect(try await harness.request(.GET, "/nothing/here").status == 404)
    #expect(try await harness.request(.GET, path).status == 405)
    #expect(try await harness.request(.GET, "/healthz").status == 200)
    let metrics = try await harness.request(.GET, "/metrics")
    #expect((metrics.json["text"] as? String)?.contains("campaignsim_http_responses_total") == true)
    let page = try await harness.request(.GET, "/")
    let html = page.json["text"] as? String ?? ""
    #expect(html.contains("http-equiv=\"refresh\"") && !html.contains("http://") && !html.contains("https://"))
    // Codes are named, as in the reports.
    #expect(html.contains("error 131049: \(ErrorCode.messagingLimit.meaning)"), "\(html)")

    // A fuzz of random and truncated bodies: every answer a 4xx or a 200, never a crash.
    let valid = Array(
      #"{"messaging_product":"whatsapp","to":"15550001","type":"template","template":{"name":"spring_promo","language":{"code":"en"}}}"#
        .utf8)
    var stream = RandomStream(seed: 99)
    var statuses: [Int: Int] = [:]
    for i in 0..<2000 {
      stream = stream.child(UInt64(i))
      var body: [UInt8]
      switch i % 4 {
      case 0: body = Array(valid.prefix(Int(stream.bits(0) % UInt64(valid.count))))
      case 1:
        body = valid
        for k in 0..<3 {
          body[Int(stream.bits(UInt64(k)) % UInt64(body.count))] = UInt8(stream.bits(UInt64(k + 5)) & 0xFF)
        }
      case 2: body = (0..<Int(stream.bits(0) % 300)).map { UInt8(stream.bits(UInt64($0 + 1)) & 0xFF) }
      default:
        let pieces = ["{", "}", "[", "]", "\"to\"", ":", ",", "\"whatsapp\"", "null", "1e999", "\"\\u0000\"", "true"]
        body = Array((0..<Int(stream.bits(0) % 20)).map { pieces[Int(stream.bits(UInt64($0 + 1)) % 12)] }.joined().utf8)
      }
      let reply = try await harness.request(.POST, path, body: body)
      statuses[reply.status, default: 0] += 1
    }
    #expect(Set(statuses.keys).isSubset(of: [200, 400, 404]), "\(statuses)")
    #expect(statuses[400, default: 0] > 1000)
    #expect(try await harness.send(to: "15550002", template: "spring_promo").status == 200)
    _ = try await harness.finish()
  }

  /// The token bucket of §10: one second of tokens, then 429/130429 until it refills.
  @Test func throughputBucketRefusesBeyondTheRate() async throws {
    let yaml = Self.plain.replacingOccurrences(of: "throughput_mps: 1000", with: "throughput_mps: 5")
    let harness = try await Harness.start(yaml)
    var codes: [Int] = []
    for i in 0..<7 { codes.append(try await harness.send(to: "b\(i)", template: "spring_promo").status) }
    #expect(codes == [200, 200, 200, 200, 200, 429, 429])
    harness.clock?.advance(to: 200 * Time.millisecond)  // one token back
    #expect(try await harness.send(to: "b7", template: "spring_promo").status == 200)
    #expect(try await harness.send(to: "b8", template: "spring_promo").status == 429)
    let outcome = try await harness.finish()
    let promo = outcome.result.campaigns[0]
    #expect(promo.errorCount(.throttled) == 3)
    #expect(promo.count(.failed) == 3)  // the sender never came back for them
  }

  /// API latency: an answer comes at `t + api_latency` of emulator time.
  @Test func answersWaitForTheAPILatency() async throws {
    let yaml = Self.plain.replacingOccurrences(of: "latency: {deliver: 1s", with: "latency: {api: 2s, deliver: 1s")
    let harness = try await Harness.start(yaml)
    let clock = try #require(harness.clock)
    let answered = Gate<Int>()
    Task { answered.open(try await harness.send(to: "l1", template: "spring_promo").status) }
    try await Task.sleep(for: .milliseconds(200))
    clock.advance(to: 2 * Time.second)
    #expect(await answered.value == 200)
    _ = try await harness.finish()
  }

  @Test func recordsStayWithinTheMemoryBudget() {
    #expect(MemoryLayout<RecipientRecord>.stride + MemoryLayout<String>.stride <= 64)
    #expect(MemoryLayout<RecipientRecord>.stride == 32)
  }
}
