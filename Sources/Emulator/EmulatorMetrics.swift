import CampaignModel
import Prometheus

/// `GET /metrics`: live counters in Prometheus text format (swift-prometheus).
struct EmulatorMetrics: Sendable {
  let registry = PrometheusCollectorRegistry()
  private let responses: [Int: Counter]
  private let otherResponses: Counter
  private let accepted: Counter
  private let refused: [Int: Counter]
  private let webhookGauges: [String: Gauge]
  private let limitGauge: Gauge
  private let windowGauge: Gauge
  private let emulatorTime: Gauge

  static let statuses = [200, 400, 401, 404, 405, 413, 429, 500, 503]
  static let webhookKeys = [
    "scheduled", "delivered", "duplicated", "posts", "failed_posts", "redelivered", "expired", "dropped", "waiting",
  ]

  init() {
    let help = "HTTP answers by status"
    var responses: [Int: Counter] = [:]
    for status in Self.statuses {
      responses[status] = registry.makeCounter(
        name: "campaignsim_http_responses_total", labels: [("status", String(status))], help: help)
    }
    self.responses = responses
    otherResponses = registry.makeCounter(
      name: "campaignsim_http_responses_total", labels: [("status", "other")], help: help)
    accepted = registry.makeCounter(
      name: "campaignsim_attempts_total", labels: [("outcome", "accepted")], help: "Send attempts by outcome")
    var refused: [Int: Counter] = [:]
    for code in [130429, 131000, 131016] {
      refused[code] = registry.makeCounter(
        name: "campaignsim_attempts_total", labels: [("outcome", String(code))], help: "Send attempts by outcome")
    }
    self.refused = refused
    var gauges: [String: Gauge] = [:]
    for key in Self.webhookKeys {
      gauges[key] = registry.makeGauge(
        name: "campaignsim_webhook_statuses", labels: [("what", key)], help: "Webhook statuses and posts so far")
    }
    webhookGauges = gauges
    limitGauge = registry.makeGauge(
      name: "campaignsim_messaging_limit", help: "Messaging limit in force (-1: unlimited)")
    windowGauge = registry.makeGauge(
      name: "campaignsim_limit_window_acceptances", help: "Acceptances counted in the rolling limit window")
    emulatorTime = registry.makeGauge(name: "campaignsim_emulator_time_seconds", help: "Emulator time")
  }

  func answered(status: Int) { (responses[status] ?? otherResponses).increment() }

  /// Attempts answered 200 (accepted or refused later by webhook) count as accepted here; the
  /// `failed` statuses are in the webhook gauges and the report.
  func attempt(error: APIError?) {
    guard let error else { return accepted.increment() }
    refused[error.code]?.increment()
  }

  func render(_ state: EmulatorState, clock: any EmulatorClock) -> String {
    let now = clock.now()
    let (webhooks, waiting, limit, window) = state.core.withLock { core in
      (core.stats.webhooks, core.queue.waiting, core.gate.limitInForce, core.gate.windowCount(at: now))
    }
    let values: [String: Int] = [
      "scheduled": webhooks.scheduled, "delivered": webhooks.delivered, "duplicated": webhooks.duplicated,
      "posts": webhooks.posts, "failed_posts": webhooks.failedPosts, "redelivered": webhooks.redelivered,
      "expired": webhooks.expired, "dropped": webhooks.dropped, "waiting": waiting,
    ]
    for (key, gauge) in webhookGauges { gauge.set(Double(values[key] ?? 0)) }
    limitGauge.set(Double(limit ?? -1))
    windowGauge.set(Double(window))
    emulatorTime.set(Double(now) / 1e6)
    var buffer: [UInt8] = []
    registry.emit(into: &buffer)
    return String(decoding: buffer, as: UTF8.self)
  }
}
