import AsyncHTTPClient
import CampaignModel
import Foundation
import Hummingbird
import Logging
import NIOCore
import ScenarioFormat
import ServiceLifecycle
import SimKernel
import Synchronization
import UnixSignals

/// `campaign-sim serve` (MODEL.md §10): the Cloud API in front of a real sender, with the same
/// platform model as `run`, until stopped; then the result of what the sender did.
public final class Emulator: Sendable {
  public let scenario: Scenario
  public let settings: EmulatorSettings
  let accessToken: String
  let appSecret: String?
  let clock: any EmulatorClock
  let state: EmulatorState
  private let group = Mutex<ServiceGroup?>(nil)
  private let stopRequested = Atomic<Bool>(false)

  /// `settings` with its secrets resolved (flags, environment) by the caller.
  public init(
    scenario: Scenario, settings: EmulatorSettings, accessToken: String, appSecret: String?,
    clock: (any EmulatorClock)? = nil
  ) {
    self.scenario = scenario
    self.settings = settings
    self.accessToken = accessToken
    self.appSecret = appSecret
    self.clock = clock ?? SystemClock(offset: scenario.campaigns.map(\.start).min() ?? 0)
    state = EmulatorState(scenario: scenario, settings: settings)
  }

  /// Serves until `stop()`, a signal in `signals`, or `settings.duration`; `onListening` gets
  /// the bound address and port once requests are accepted. Throws `EmulatorError` when the
  /// webhook receiver fails the verification handshake (nothing is served then).
  public func run(
    verifyWebhook: Bool = true, signals: [UnixSignal] = [], onListening: @escaping @Sendable (String, Int) -> Void
  ) async throws -> EmulatorOutcome {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
    configuration.timeout = .init(connect: .seconds(5))
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    do {
      let outcome = try await serve(
        client: client, verifyWebhook: verifyWebhook, signals: signals, onListening: onListening)
      try? await client.shutdown()
      return outcome
    } catch {
      try? await client.shutdown()
      throw error
    }
  }

  private func serve(
    client: HTTPClient, verifyWebhook: Bool, signals: [UnixSignal],
    onListening: @escaping @Sendable (String, Int) -> Void
  ) async throws -> EmulatorOutcome {
    let url = settings.webhook.url
    if let url, verifyWebhook {
      try await WebhookVerification.verify(url: url, token: settings.webhook.verifyToken, client: client)
    }
    var logger = Logger(label: "campaign-sim.serve") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = .error
    let responder = EmulatorResponder(
      state: state, clock: clock, token: Array(accessToken.utf8), metrics: EmulatorMetrics(),
      onStop: { [self] in self.stop() })
    let bind = settings.bind
    let app = Application(
      responder: responder,
      configuration: .init(address: .hostname(bind, port: settings.port), serverName: nil),
      onServerRunning: { channel in onListening(bind, channel.localAddress?.port ?? 0) },
      logger: logger)
    let serviceGroup = ServiceGroup(services: [app], gracefulShutdownSignals: signals, logger: logger)
    group.withLock { $0 = serviceGroup }
    if stopRequested.load(ordering: .relaxed) { await serviceGroup.triggerGracefulShutdown() }

    let dispatcher = url.map {
      WebhookDispatcher(state: state, client: client, url: $0, secret: appSecret ?? "", clock: clock)
    }
    let posting = Task { await dispatcher?.run() }
    let timer = Task { [self] in
      guard let duration = settings.duration else { return }
      try await Task.sleep(for: .microseconds(duration))
      self.stop()
    }
    let wall = ContinuousClock.now
    try await serviceGroup.run()
    timer.cancel()
    let end = state.core.withLock { max(clock.now(), $0.lastResponse) }
    dispatcher?.stop()
    await posting.value
    await dispatcher?.flush(until: end, patience: .microseconds(settings.webhook.timeout + 2 * Time.second))
    let elapsed = ContinuousClock.now - wall
    return state.core.withLock { core in
      EmulatorOutcome(
        result: core.finish(at: end), webhooks: WebhookCounts(core.stats.webhooks, waiting: core.queue.waiting),
        requests: core.stats.requests,
        wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
  }

  /// Stops serving (answering requests in flight first) and makes `run` return.
  public func stop() {
    stopRequested.store(true, ordering: .relaxed)
    guard let serviceGroup = group.withLock({ $0 }) else { return }
    Task { await serviceGroup.triggerGracefulShutdown() }
  }
}

/// What a served run came to.
public struct EmulatorOutcome: Sendable {
  public let result: RunResult
  public let webhooks: WebhookCounts
  /// Send requests that reached the throughput bucket and the rules.
  public let requests: Int
  public let wallSeconds: Double
}

/// Webhook deliveries of a run, for the report.
public struct WebhookCounts: Sendable, Equatable {
  public var scheduled: Int
  public var delivered: Int
  public var duplicatesScheduled: Int
  public var duplicated: Int
  public var posts: Int
  public var failedPosts: Int
  public var redelivered: Int
  public var expired: Int
  public var dropped: Int
  /// Statuses still waiting when the emulator stopped (due later, or still being redelivered).
  public var waiting: Int

  init(_ stats: EmulatorStats.Webhooks, waiting: Int) {
    scheduled = stats.scheduled
    delivered = stats.delivered
    duplicatesScheduled = stats.duplicatesScheduled
    duplicated = stats.duplicated
    posts = stats.posts
    failedPosts = stats.failedPosts
    redelivered = stats.redelivered
    expired = stats.expired
    dropped = stats.dropped
    self.waiting = waiting
  }
}

public enum EmulatorError: Error, CustomStringConvertible {
  case verificationFailed(url: String, reason: String)

  public var description: String {
    switch self {
    case .verificationFailed(let url, let reason):
      "webhook verification failed for \(url): \(reason) (the receiver must answer GET ?hub.mode=subscribe&"
        + "hub.challenge=…&hub.verify_token=… with the challenge; --skip-verify skips the handshake)"
    }
  }
}
