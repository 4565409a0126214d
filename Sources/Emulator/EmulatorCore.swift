import CampaignModel
import ScenarioFormat
import SimKernel

/// Everything the emulator knows, changed only under one lock: each send is decided in one
/// short critical section, in the order requests arrive, so the same requests at the same
/// emulator times always meet the same state (MODEL.md §10, determinism).
struct EmulatorCore {
  let scenario: Scenario
  let webhook: WebhookSettings
  let hasWebhook: Bool
  var gate: PlatformGate
  var buckets: [TokenBucket]
  /// Per campaign: recipient → record.
  var recipients: [[String: RecipientRecord]]
  let contactStreams: [RandomStream]
  let chaos: RandomStream
  let delay: Sampler
  var observed: ObservedRun
  var queue: WebhookQueue
  var stats = EmulatorStats()
  /// Latest response time handed out: the report ends no earlier.
  var lastResponse: SimTime = 0

  init(scenario: Scenario, settings: EmulatorSettings) {
    self.scenario = scenario
    webhook = settings.webhook
    hasWebhook = settings.webhook.url != nil
    gate = PlatformGate(scenario: scenario)
    buckets = scenario.senders.map { TokenBucket(rate: $0.throughputMPS) }
    recipients = Array(repeating: [:], count: scenario.campaigns.count)
    // MODEL.md §10: a recipient's draws come from (seed, campaign, recipient); replication 0
    // as in `run`, so a recipient's fate matches the engine's stream layout.
    let run = RandomStream(seed: scenario.seed).child(0)
    contactStreams = scenario.campaigns.map { run.child(stableHash($0.id)) }
    chaos = RandomStream(seed: scenario.seed).child(stableHash("emulator.webhooks"))
    delay = settings.webhook.delay.sampler
    observed = ObservedRun(scenario: scenario)
    queue = WebhookQueue(capacity: settings.webhook.backlog)
    stats.senders = scenario.senders.count
  }

  /// One send that passed the HTTP checks: the throughput bucket, then rules 1–7, at `t`.
  mutating func send(sender s: Int, campaign c: Int, recipient: String, at t: SimTime) -> SendOutcome {
    var record = recipients[c][recipient] ?? RecipientRecord(firstAt: t)
    let attempt = Int(record.attempts) + 1
    let contact = contactStreams[c].child(stableHash(recipient))
    let draws = contact.child(UInt64(attempt))
    let respondAt = t + gate.apiLatency(campaign: c, attempt: draws)
    let verdict: Verdict
    let fromBucket: Bool
    // A throughput upgrade (MODEL.md §9.3) refills the bucket at the new rate.
    let rate = gate.throughput(sender: s, at: t)
    if rate != buckets[s].rate { buckets[s] = TokenBucket(rate: rate) }
    if buckets[s].take(at: t) {
      verdict = gate.decide(sender: s, campaign: c, contact: contact, attempt: draws, at: t)
      fromBucket = false
    } else {
      verdict = .refused(.throttled, .transient)
      fromBucket = true
    }

    // Report bookkeeping: the attempt where it is decided, state edges at the response.
    var code: ErrorCode?
    var errorKind: ErrorKind?
    if case .refused(let error, let kind) = verdict {
      code = error
      errorKind =
        switch kind {
        case .transient: .transient
        case .limit: .limit
        case .cap: .cap
        default: nil
        }
    }
    observed.recordAttempt(campaign: c, sender: s, at: t, error: code, kind: errorKind)
    let open = record.phase == .retrying
    if open { observed.record(attempt == 1 ? .dispatch : .redispatch, campaign: c, at: t) }
    let wamid = Self.wamid(campaign: c, contact: contact, attempt: attempt)
    var outcome = SendOutcome(respondAt: respondAt, wamid: wamid, error: nil)
    switch verdict {
    case .accepted:
      if open {
        observed.record(.accept, campaign: c, at: respondAt)
        observed.recordLatency(.startToSent, campaign: c, respondAt - record.firstAt)
        record.sentAt = respondAt
        record.phase = .success
      }
      record.last = .accepted
      stats.accepted += 1
      scheduleStatuses(
        sender: s, campaign: c, recipient: recipient, contact: contact, draws: draws, wamid: wamid,
        sentAt: respondAt)
    case .refused(let error, let kind):
      record.last = kind
      stats.count(error)
      switch kind {
      case .invalid, .blocked:
        if open {
          observed.record(kind == .invalid ? .rejectInvalid : .rejectBlocked, campaign: c, at: respondAt)
          record.phase = .terminal
        }
        failedStatus(sender: s, recipient: recipient, draws: draws, wamid: wamid, at: respondAt, error: error)
      case .limit, .cap:
        // Tentatively `retrying`: only the end of the run tells whether the sender gave up.
        if open { observed.record(.awaitRetry, campaign: c, at: respondAt) }
        failedStatus(sender: s, recipient: recipient, draws: draws, wamid: wamid, at: respondAt, error: error)
      default:
        if open { observed.record(.awaitRetry, campaign: c, at: respondAt) }
        outcome.error =
          switch error {
          case .outage: .outage
          case .transient: .transient
          default: .throttled(bucket: fromBucket)
          }
      }
    }
    record.attempts += 1
    record.lastResponse = respondAt
    recipients[c][recipient] = record
    stats.requests += 1
    lastResponse = max(lastResponse, respondAt)
    return outcome
  }

  /// `wamid.` and a base-32 name of (campaign, recipient, attempt): unique per attempt, the same
  /// on every run.
  static func wamid(campaign c: Int, contact: RandomStream, attempt: Int) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
    var text = "wamid.HBgL"
    var bits = contact.key
    for _ in 0..<13 {
      text.unicodeScalars.append(Unicode.Scalar(alphabet[Int(bits & 31)]))
      bits >>= 5
    }
    return text + "_\(c)_\(attempt)"
  }

  // MARK: Webhooks

  private mutating func scheduleStatuses(
    sender s: Int, campaign c: Int, recipient: String, contact: RandomStream, draws: RandomStream, wamid: String,
    sentAt: SimTime
  ) {
    let fate = gate.fate(campaign: c, contact: contact, sentAt: sentAt)
    let event = StatusEvent(kind: .sent, sender: s, recipient: recipient, wamid: wamid, at: sentAt)
    enqueue(event, draws: draws)
    guard let delivered = fate.deliveredAt else { return }
    var next = event
    next.kind = .delivered
    next.at = delivered
    enqueue(next, draws: draws)
    guard fate.readVisible, let read = fate.readAt else { return }
    next.kind = .read
    next.at = read
    enqueue(next, draws: draws)
  }

  private mutating func failedStatus(
    sender s: Int, recipient: String, draws: RandomStream, wamid: String, at time: SimTime, error: ErrorCode
  ) {
    enqueue(
      StatusEvent(kind: .failed, sender: s, recipient: recipient, wamid: wamid, at: time, error: error), draws: draws)
  }

  /// Queues a status with its seeded chaos: an extra delay, and with probability `duplicates` a
  /// second copy with a delay of its own. Draws come from the attempt's own stream, so the chaos
  /// of one message does not depend on any other.
  private mutating func enqueue(_ event: StatusEvent, draws: RandomStream) {
    guard hasWebhook else { return }
    let chaos = draws.child(0xC4A0_5000 + UInt64(event.kind.rawValue))
    let extra = delay.isConstant ? delay.sample(0) : delay.sample(chaos.openUniform(1))
    stats.webhooks.scheduled += 1
    if !queue.push(event, due: event.at + extra) { noteDrop() }
    if webhook.duplicates > 0, chaos.uniform(0) < webhook.duplicates {
      var copy = event
      copy.isDuplicate = true
      let again = delay.isConstant ? delay.sample(0) : delay.sample(chaos.openUniform(2))
      stats.webhooks.duplicatesScheduled += 1
      if !queue.push(copy, due: event.at + again) { noteDrop() }
    }
  }

  private mutating func noteDrop() {
    stats.webhooks.dropped += 1
    if stats.webhooks.dropped == 1 { stats.webhooks.dropWarningDue = true }
  }
}

/// What the HTTP layer answers a send with.
struct SendOutcome: Sendable {
  var respondAt: SimTime
  var wamid: String
  /// `nil`: HTTP 200 with the message id (also for refusals that arrive as a `failed` webhook).
  var error: APIError?
}
