import AsyncHTTPClient
import CampaignModel
import Foundation
import NIOCore
import NIOHTTP1
import ScenarioFormat
import SimKernel
import Synchronization
import Testing

@testable import Emulator

let testToken = "test-token"
let testSecret = "test-app-secret"

/// An emulator on an ephemeral loopback port, with (optionally) a webhook sink of its own.
final class Harness: Sendable {
  let emulator: Emulator
  let sink: WebhookSink?
  let port: Int
  let clock: ManualClock?
  let client: HTTPClient
  private let serving: Task<EmulatorOutcome, any Error>
  private let sinking: Task<Void, any Error>?

  init(
    emulator: Emulator, sink: WebhookSink?, port: Int, clock: ManualClock?, client: HTTPClient,
    serving: Task<EmulatorOutcome, any Error>, sinking: Task<Void, any Error>?
  ) {
    self.emulator = emulator
    self.sink = sink
    self.port = port
    self.clock = clock
    self.client = client
    self.serving = serving
    self.sinking = sinking
  }

  /// Parses `yaml` for serving, starts a sink when `sink` is given (its URL becomes the
  /// webhook), then the emulator; returns once both listen.
  static func start(
    _ yaml: String, clock: ManualClock? = ManualClock(), sink: WebhookSink? = nil, verify: Bool = false,
    adjust: (inout EmulatorSettings) -> Void = { _ in }, adjustScenario: (inout Scenario) -> Void = { _ in }
  ) async throws -> Harness {
    var (scenario, settings) = try ScenarioLoader.parseForServing(yaml, file: "test.yaml")
    adjustScenario(&scenario)
    settings.port = 0
    var sinking: Task<Void, any Error>?
    if let sink {
      let sinkPort = Gate<Int>()
      sinking = Task { try await sink.run { sinkPort.open($0) } }
      settings.webhook.url = "http://127.0.0.1:\(await sinkPort.value)/webhook"
    }
    adjust(&settings)
    let emulator = Emulator(
      scenario: scenario, settings: settings, accessToken: testToken, appSecret: testSecret, clock: clock)
    let listening = Gate<Int>()
    let serving = Task {
      do {
        return try await emulator.run(verifyWebhook: verify) { _, port in listening.open(port) }
      } catch {
        listening.open(-1)
        throw error
      }
    }
    let port = await listening.value
    if port < 0 { _ = try await serving.value }
    return Harness(
      emulator: emulator, sink: sink, port: port, clock: clock,
      client: HTTPClient(eventLoopGroupProvider: .singleton), serving: serving, sinking: sinking)
  }

  /// Stops the emulator (and the sink) and returns what the run came to.
  func finish() async throws -> EmulatorOutcome {
    emulator.stop()
    let outcome = try await serving.value
    sink?.stop()
    _ = try? await sinking?.value
    try? await client.shutdown()
    return outcome
  }

  struct Reply {
    var status: Int
    var json: [String: Any]
    var errorCode: Int? { (json["error"] as? [String: Any])?["code"] as? Int }
    var details: String? {
      ((json["error"] as? [String: Any])?["error_data"] as? [String: Any])?["details"] as? String
    }
    var messageID: String? { ((json["messages"] as? [[String: Any]])?.first)?["id"] as? String }
  }

  func request(
    _ method: HTTPMethod = .POST, _ path: String, body: [UInt8]? = nil, token: String? = testToken,
    headers: [(String, String)] = []
  ) async throws -> Reply {
    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
    request.method = method
    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(ByteBuffer(bytes: body))
    }
    let response = try await client.execute(request, timeout: .seconds(30))
    let bytes = try await response.body.collect(upTo: 1 << 22)
    let object = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any]
    return Reply(status: Int(response.status.code), json: object ?? ["text": String(buffer: bytes)])
  }

  func send(to recipient: String, template: String, phone: String = "1065") async throws -> Reply {
    let body = """
      {"messaging_product":"whatsapp","recipient_type":"individual","to":"\(recipient)","type":"template",\
      "template":{"name":"\(template)","language":{"code":"en_US"}}}
      """
    return try await request(.POST, "/v21.0/\(phone)/messages", body: Array(body.utf8))
  }

  /// Waits (real time, bounded) until `condition` holds for the sink's counts.
  func waitForSink(_ what: String = "webhooks", _ condition: (WebhookSink.Counts) -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(20)
    while let sink, !condition(sink.counts) {
      guard ContinuousClock.now < deadline else {
        Issue.record("timed out waiting for \(what): \(sink.counts)")
        return
      }
      try await Task.sleep(for: .milliseconds(2))
    }
  }
}

/// A value handed from one task to another exactly once.
final class Gate<Value: Sendable>: Sendable {
  private let state = Mutex<(Value?, [CheckedContinuation<Value, Never>])>((nil, []))

  func open(_ value: Value) {
    let waiting = state.withLock { state -> [CheckedContinuation<Value, Never>] in
      guard state.0 == nil else { return [] }
      state.0 = value
      defer { state.1 = [] }
      return state.1
    }
    for continuation in waiting { continuation.resume(returning: value) }
  }

  var value: Value {
    get async {
      await withCheckedContinuation { continuation in
        let ready = state.withLock { state -> Value? in
          if let value = state.0 { return value }
          state.1.append(continuation)
          return nil
        }
        if let ready { continuation.resume(returning: ready) }
      }
    }
  }
}

/// `n` standard deviations of the difference of two binomial proportions.
func agreeWithin(_ sigmas: Double, _ a: Int, of n1: Int, _ b: Int, of n2: Int) -> Bool {
  let p1 = Double(a) / Double(n1)
  let p2 = Double(b) / Double(n2)
  let pooled = Double(a + b) / Double(n1 + n2)
  let sd = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
  return sd == 0 ? a * n2 == b * n1 : abs(p1 - p2) <= sigmas * sd
}
