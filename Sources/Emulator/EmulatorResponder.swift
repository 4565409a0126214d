import CampaignModel
import Foundation
import Hummingbird
import NIOCore
import SimKernel

/// Every HTTP request, routed by hand so that the order of checks is exactly MODEL.md §10's:
/// token (401/190), body size (413), route and phone-number id (400/100), body (400/100),
/// template (404/132001), then the throughput bucket and rules 1–7 — answered after the API
/// latency. Nothing a client sends can make it throw: every failure is an answer.
struct EmulatorResponder: HTTPResponder {
  typealias Context = BasicRequestContext

  let state: EmulatorState
  let clock: any EmulatorClock
  let token: [UInt8]
  let metrics: EmulatorMetrics
  let onStop: @Sendable () -> Void
  static let maximumBody = 64 * 1024

  func respond(to request: Request, context: Context) async throws -> Response {
    let response = await answer(request)
    let status = response.status.code
    state.core.withLock { $0.stats.answered(status) }
    metrics.answered(status: status)
    return response
  }

  private func answer(_ request: Request) async -> Response {
    let path = request.uri.path
    switch (request.method, path) {
    case (.get, "/"): return html(StatusPage.render(state, clock: clock))
    case (.get, "/healthz"): return text("ok\n")
    case (.get, "/metrics"): return text(metrics.render(state, clock: clock), type: "text/plain; version=0.0.4")
    case (.post, "/_emulator/stop"):
      onStop()
      return json(Array(#"{"stopping":true}"#.utf8))
    default: break
    }
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 4, parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty, parts[3] == "messages" else {
      return error(.notFound)
    }
    guard request.method == .post else { return error(.methodNotAllowed) }
    return await send(request, phoneNumberID: String(parts[2]))
  }

  private func send(_ request: Request, phoneNumberID: String) async -> Response {
    guard authorized(request.headers[.authorization]) else { return error(.unauthorized) }
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.maximumBody {
      return error(.tooLarge(limit: Self.maximumBody))
    }
    var body = ByteBuffer()
    do {
      for try await chunk in request.body {
        guard body.readableBytes + chunk.readableBytes <= Self.maximumBody else {
          return error(.tooLarge(limit: Self.maximumBody))
        }
        var chunk = chunk
        body.writeBuffer(&chunk)
      }
    } catch {
      return self.error(.badBody("the request body could not be read"))
    }
    guard let sender = state.senderByPhoneNumber[phoneNumberID] else {
      return error(.unknownPhoneNumber(phoneNumberID))
    }
    let intent: SendIntent
    switch SendRequest.parse(body.readableBytesView) {
    case .success(let parsed): intent = parsed
    case .failure(let problem): return error(.badBody(problem.details))
    }
    let campaign: Int
    switch intent.kind {
    case .template(let name):
      guard let found = state.campaignByTemplate[name] else { return error(.unknownTemplate(name)) }
      campaign = found
    case .text:
      guard let found = state.textCampaign[sender] else { return error(.unknownTemplate("(text)")) }
      campaign = found
    }
    let outcome = state.core.withLock { core in
      let now = clock.now()
      let outcome = core.send(sender: sender, campaign: campaign, recipient: intent.recipient, at: now)
      if let failure = outcome.error { core.stats.note(at: now, code: failure.code, detail: intent.recipient) }
      return outcome
    }
    metrics.attempt(error: outcome.error)
    await clock.sleep(until: outcome.respondAt)
    if let failure = outcome.error { return error(failure, trace: outcome.wamid) }
    let reply = SendResponse(
      contacts: [.init(input: intent.recipient, wa_id: waID(intent.recipient))],
      messages: [.init(id: outcome.wamid, message_status: "accepted")])
    return json(reply.json())
  }

  private func authorized(_ header: String?) -> Bool {
    guard let header, header.hasPrefix("Bearer ") else {
      _ = constantTimeEqual([], token)
      return false
    }
    return constantTimeEqual(Array(header.utf8.dropFirst(7)), token)
  }

  // MARK: Answers

  private func error(_ failure: APIError, trace: String = "") -> Response {
    let traceID = "A" + String(stableHash(trace + String(failure.code)) % 1_000_000_000_000, radix: 36).uppercased()
    var response = json(encode(failure.body(trace: traceID)))
    response.status = HTTPResponse.Status(code: failure.status)
    if failure == .unauthorized {
      response.headers[.wwwAuthenticate] = #"OAuth "Facebook Platform" "invalid_token""#
    }
    return response
  }

  private func encode(_ value: some Encodable) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
  }

  private func json(_ bytes: [UInt8]) -> Response {
    Response(
      status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
    )
  }

  private func text(_ text: String, type: String = "text/plain; charset=utf-8") -> Response {
    Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
  }

  private func html(_ text: String) -> Response {
    Response(
      status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
  }
}
