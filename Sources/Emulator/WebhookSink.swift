import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// A webhook receiver for trying the emulator (and for its tests and load script): answers the
/// verification handshake, checks every signature, and counts the statuses it is sent.
public final class WebhookSink: Sendable {
  /// One status as received.
  public struct Received: Sendable, Equatable {
    public var id: String
    public var status: String
    public var recipient: String
    public var timestamp: String
    public var errorCode: Int?
    /// Statuses in the same post.
    public var batchSize: Int
  }

  public struct Counts: Sendable, Equatable {
    public var posts = 0
    public var statuses = 0
    /// Distinct (message id, status) pairs.
    public var unique = 0
    /// Statuses seen more than once (each extra copy counts).
    public var repeats = 0
    public var badSignatures = 0
    public var unreadable = 0
    /// Posts answered with an error on purpose (`failFirst`).
    public var refused = 0
    public var verifications = 0
  }

  private struct State {
    var counts = Counts()
    var seen: [String: Int] = [:]
    var received: [Received] = []
  }

  let secret: String
  let verifyToken: String?
  let keepStatuses: Bool
  /// Answer HTTP 500 to this many posts before accepting any.
  let failFirst: Int
  private let state = Mutex(State())
  private let group = Mutex<ServiceGroup?>(nil)

  public init(secret: String, verifyToken: String?, keepStatuses: Bool = false, failFirst: Int = 0) {
    self.secret = secret
    self.verifyToken = verifyToken
    self.keepStatuses = keepStatuses
    self.failFirst = failFirst
  }

  public var counts: Counts { state.withLock { $0.counts } }
  public var received: [Received] { state.withLock { $0.received } }

  /// Serves until `stop()` or a signal in `signals`.
  public func run(
    bind: String = "127.0.0.1", port: Int = 0, signals: [UnixSignal] = [],
    onListening: @escaping @Sendable (Int) -> Void
  ) async throws {
    var logger = Logger(label: "campaign-sim.sink") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = .error
    let app = Application(
      responder: CallbackResponder<BasicRequestContext> { request, _ in await self.answer(request) },
      configuration: .init(address: .hostname(bind, port: port)),
      onServerRunning: { onListening($0.localAddress?.port ?? 0) }, logger: logger)
    let serviceGroup = ServiceGroup(services: [app], gracefulShutdownSignals: signals, logger: logger)
    group.withLock { $0 = serviceGroup }
    try await serviceGroup.run()
  }

  public func stop() {
    guard let serviceGroup = group.withLock({ $0 }) else { return }
    Task { await serviceGroup.triggerGracefulShutdown() }
  }

  private func answer(_ request: Request) async -> Response {
    if request.method == .get {
      let query = request.uri.queryParameters
      guard query["hub.mode"].map(String.init) == "subscribe", let challenge = query["hub.challenge"],
        verifyToken == nil || query["hub.verify_token"].map(String.init) == verifyToken
      else {
        return Response(status: .forbidden)
      }
      state.withLock { $0.counts.verifications += 1 }
      return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: String(challenge))))
    }
    var body = ByteBuffer()
    do {
      for try await chunk in request.body {
        var chunk = chunk
        body.writeBuffer(&chunk)
      }
    } catch {
      return Response(status: .badRequest)
    }
    let bytes = Array(body.readableBytesView)
    let signature = request.headers.first { $0.name.canonicalName == "x-hub-signature-256" }?.value ?? ""
    let valid = Signature.verify(signature, body: bytes, secret: secret)
    let payload = try? JSONDecoder().decode(WebhookPayload.self, from: Data(bytes))
    let refuse = state.withLock { state -> Bool in
      state.counts.posts += 1
      if state.counts.refused < failFirst {
        state.counts.refused += 1
        return true
      }
      guard valid else {
        state.counts.badSignatures += 1
        return false
      }
      guard let payload else {
        state.counts.unreadable += 1
        return false
      }
      for entry in payload.entry {
        for change in entry.changes {
          let statuses = change.value.statuses
          for status in statuses {
            state.counts.statuses += 1
            let key = status.id + "|" + status.status
            let seen = state.seen[key, default: 0]
            state.seen[key] = seen + 1
            if seen == 0 { state.counts.unique += 1 } else { state.counts.repeats += 1 }
            if keepStatuses {
              state.received.append(
                Received(
                  id: status.id, status: status.status, recipient: status.recipient_id, timestamp: status.timestamp,
                  errorCode: status.errors?.first?.code, batchSize: statuses.count))
            }
          }
        }
      }
      return false
    }
    return Response(status: refuse ? .internalServerError : (valid ? .ok : .unauthorized))
  }
}
