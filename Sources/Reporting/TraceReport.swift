import CampaignModel
import Foundation
import ScenarioFormat
import SimKernel

/// Message histories as `run --trace` writes them (NDJSON) and as `explain` prints them.
///
/// A record is a pure function of the history, and the history of the run's, so `explain`'s
/// line for a message is byte-identical to the line `run --trace` wrote for it. Every key is
/// always present (`null` when it does not apply) in a fixed order: `jq` and diffs can rely on it.
/// Strings are escaped as report.json escapes them.
public enum TraceReport {
  /// One record per line, each ending in `\n`.
  public static func ndjson(_ traces: [MessageTrace]) -> String {
    var out = ""
    for trace in traces {
      out += line(trace)
      out += "\n"
    }
    return out
  }

  /// One record, without the line end.
  public static func line(_ trace: MessageTrace) -> String {
    // Written directly rather than through a `Document` tree: a trace of every message runs to
    // millions of records, and the tree cost several times the simulation itself.
    var out = JSONLine()
    out.open()
    out.key("campaign", string: trace.campaign)
    out.key("message", trace.message)
    out.key("sender", string: trace.sender)
    out.key("contact", string: trace.contact.rawValue)
    out.key("capped_until_us", trace.cappedUntil)
    out.key("final_state", string: trace.finalState.description)
    out.key("failure_reason", string: trace.failureReason?.description)
    out.key("attempts")
    out.text += "["
    for (i, a) in trace.attempts.enumerated() {
      if i > 0 { out.text += "," }
      attempt(a, to: &out)
    }
    out.text += "]"
    out.key("states")
    out.text += "["
    for (i, change) in trace.states.enumerated() {
      if i > 0 { out.text += "," }
      out.open()
      out.key("state", string: change.state.description)
      out.key("at_us", change.at)
      out.close()
    }
    out.text += "]"
    out.key("read_unseen_at_us", trace.readUnseenAt)
    out.key("reported_at_us", trace.reportedAt)
    out.close()
    return out.text
  }

  static func attempt(_ a: AttemptTrace, to out: inout JSONLine) {
    var next = "sent"
    var reason: FailureReason?
    var backoff: SimTime?
    var jitter: SimTime?
    var retryAt: SimTime?
    var expiredAt: SimTime?
    switch a.after {
    case nil: break
    case .final: next = "final"
    case .gaveUp(let why):
      next = "gave_up"
      reason = why
    case .retry(let b, let j, let at):
      (next, backoff, jitter, retryAt) = ("retry", b, j, at)
    case .expired(let b, let j, let at):
      (next, backoff, jitter, expiredAt, reason) = ("expired", b, j, at, .expired)
    }
    out.open()
    out.key("attempt", a.number)
    out.key("ready_at_us", a.readyAt)
    out.key("dispatched_at_us", a.dispatchedAt)
    out.key("wait", string: a.wait.rawValue)
    out.key("sender_interval_us", a.senderInterval)
    out.key("response_at_us", a.responseAt)
    out.key("rule", string: a.rule.rawValue)
    out.key("error_code", a.errorCode?.rawValue)
    out.key("transient_draw", double: a.transientDraw)
    out.key("limit", a.limit == Int.max ? nil : a.limit)
    out.key("capped_until_us", a.cappedUntil)
    out.key("next", string: next)
    out.key("failure_reason", string: reason?.description)
    out.key("backoff_us", backoff)
    out.key("jitter_cut_us", jitter)
    out.key("retry_ready_at_us", retryAt)
    out.key("expired_at_us", expiredAt)
    out.close()
  }

  /// A compact JSON object being written: keys are this file's constants, so only values
  /// need escaping.
  struct JSONLine {
    var text = ""
    var first = true

    mutating func open() {
      text += "{"
      first = true
    }

    mutating func close() {
      text += "}"
      first = false
    }

    mutating func key(_ name: String) {
      if !first { text += "," }
      first = false
      text += "\""
      text += name
      text += "\":"
    }

    mutating func key<T: BinaryInteger>(_ name: String, _ value: T?) {
      key(name)
      text += value.map { String($0) } ?? "null"
    }

    mutating func key(_ name: String, double value: Double?) {
      key(name)
      text += value.map(Document.format) ?? "null"
    }

    mutating func key(_ name: String, string value: String?) {
      key(name)
      guard let value else {
        text += "null"
        return
      }
      Document.writeString(value, to: &text)
    }
  }

  // MARK: - Text

  /// `explain`'s readable timeline. `scenario` names the windows and rates a rule refers to.
  public static func text(_ trace: MessageTrace, scenario: Scenario, seed: UInt64, replication: Int) -> String {
    let c = scenario.campaigns[trace.campaignIndex]
    var out = "\(trace.campaign) message \(trace.message): seed \(seed), replication \(replication)\n"
    out += "sender \(trace.sender); campaign starts \(clock(c.start)), window ends \(clock(c.windowEnd))"
    out += "; horizon \(clock(scenario.effectiveHorizon))\n"
    out += "contact: \(contactText(trace, campaign: c))\n"
    out += "final state: \(trace.finalState)"
    if let reason = trace.failureReason { out += " (\(reason))" }
    out += ", after \(trace.attempts.count) attempt\(trace.attempts.count == 1 ? "" : "s")\n"
    if trace.attempts.isEmpty {
      out += "\nnever dispatched: "
      out +=
        trace.finalState == .failed
        ? "still queued when the window ended\n" : "still queued when the run ended (horizon or nothing left)\n"
    }
    for a in trace.attempts {
      out += "\nattempt \(a.number)\n"
      out += "  ready       \(clock(a.readyAt))  (\(a.number == 1 ? "campaign start" : "retry"))\n"
      out += "  dispatched  \(clock(a.dispatchedAt))  \(waitText(a))\n"
      out += "  response    \(clock(a.responseAt))  (API latency \(duration(a.responseAt - a.dispatchedAt)))"
      if a.responseAt > scenario.effectiveHorizon { out += ", after the horizon: the run ends with it open" }
      out += "\n"
      out += "  rule        \(ruleText(a, trace: trace, scenario: scenario))\n"
      if let after = a.after { out += "  then        \(afterText(after))\n" }
    }
    if !trace.states.isEmpty {
      out += "\nstate changes\n"
      var from = MessageState.queued
      for change in trace.states {
        out += "  \(clock(change.at))  \(from) → \(change.state)\n"
        from = change.state
      }
    }
    var extras: [String] = []
    if let at = trace.readUnseenAt { extras.append("  \(clock(at))  read with receipts off (no read state)") }
    if let at = trace.reportedAt { extras.append("  \(clock(at))  the contact reported the business (quality)") }
    if !extras.isEmpty { out += "\nwithout a state change\n" + extras.joined(separator: "\n") + "\n" }
    return out
  }

  static func contactText(_ trace: MessageTrace, campaign: Campaign) -> String {
    var text: String
    switch trace.contact {
    case .invalid: text = "invalid (refused with 131026 when a rule before it does not decide)"
    case .blocked:
      text =
        campaign.blockedSignal == .error
        ? "blocked the business (refused with 131048 when a rule before it does not decide)"
        : "blocked the business, silently (blocked_signal: silent): an accepted message stays sent"
    case .offline: text = "offline (an accepted message stays sent)"
    case .reachable: text = "reachable"
    }
    if let until = trace.cappedUntil { text += "; at the marketing cap until \(clock(until))" }
    return text
  }

  static func waitText(_ a: AttemptTrace) -> String {
    let waited = a.dispatchedAt - a.readyAt
    let slot = "one dispatch every \(duration(a.senderInterval))"
    switch a.wait {
    case .none: return "(at once; \(slot))"
    case .throughput: return "(waited \(duration(waited)) for a throughput slot: \(slot), earlier-ready messages first)"
    case .limitPause:
      return "(waited \(duration(waited)): the sender stood still for the full messaging limit (limit_aware); \(slot))"
    }
  }

  static func ruleText(_ a: AttemptTrace, trace: MessageTrace, scenario: Scenario) -> String {
    let rate = scenario.faults.transientErrorRate
    let code = a.errorCode.map { " → error \($0.rawValue)" } ?? ""
    switch a.rule {
    case .accepted:
      let draw = a.transientDraw.map { ", transient draw \($0) ≥ rate \(rate)" } ?? ""
      return "accepted (rules 1–6 passed\(draw)): sent at the response"
    case .outage:
      let window = scenario.faults.outages.first {
        $0.sender == trace.sender && $0.start <= a.dispatchedAt && a.dispatchedAt < $0.end
      }
      let which =
        window.map { "outage [\(clock($0.start)), \(clock($0.end)))" } ?? "the throughput upgrade's pause"
      return "rule 1, \(which) of sender \(trace.sender)\(code)"
    case .throttled:
      let window = scenario.faults.throttles.first {
        $0.sender == trace.sender && $0.start <= a.dispatchedAt && a.dispatchedAt < $0.end
      }
      let which = window.map { " [\(clock($0.start)), \(clock($0.end))) at \(TextReport.mps($0.mps)) msg/s" } ?? ""
      return "rule 2, throttle\(which): less than the spacing after the last attempt that passed\(code)"
    case .invalidContact: return "rule 3, invalid contact\(code)"
    case .blocked: return "rule 4, the contact blocked the business (blocked_signal: error)\(code)"
    case .messagingLimit:
      let limit = a.limit.map { Format.count($0) } ?? "?"
      return "rule 5, messaging limit full: \(limit) (the limit in force) accepted in the trailing limit window\(code)"
    case .marketingCap:
      let until = a.cappedUntil.map(clock) ?? "?"
      return "rule 5b, per-user marketing cap until \(until)\(code)"
    case .transient:
      let draw = a.transientDraw.map { "\($0)" } ?? "?"
      return "rule 6, transient error: draw \(draw) < rate \(rate)\(code)"
    }
  }

  static func afterText(_ after: AfterRefusal) -> String {
    func backoffText(_ backoff: SimTime, _ cut: SimTime) -> String {
      cut == 0 ? "backoff \(duration(backoff))" : "backoff \(duration(backoff)) − jitter \(duration(cut))"
    }
    switch after {
    case .final: return "final: no retry after this error"
    case .gaveUp(let reason): return "no retry left (or not in retry_on): ends at the response, \(reason)"
    case .retry(let backoff, let cut, let at): return "retrying: \(backoffText(backoff, cut)) → ready \(clock(at))"
    case .expired(let backoff, let cut, let at):
      return "\(backoffText(backoff, cut)) would end past the window: expired at \(clock(at))"
    }
  }

  /// `2d 03:04:05.000600`: exact to the microsecond, as the run has it.
  public static func clock(_ t: SimTime) -> String {
    let sign = t < 0 ? "-" : ""
    let v = t.magnitude
    let days = v / UInt64(Time.day)
    let hours = v % UInt64(Time.day) / UInt64(Time.hour)
    let minutes = v % UInt64(Time.hour) / UInt64(Time.minute)
    let seconds = v % UInt64(Time.minute) / UInt64(Time.second)
    let micros = v % UInt64(Time.second)
    let time = String(format: "%02llu:%02llu:%02llu.%06llu", hours, minutes, seconds, micros)
    return sign + (days > 0 ? "\(days)d \(time)" : time)
  }

  /// `12h`, `2m 30s`, `0.0125s`: exact, unlike `Format.human`, which rounds for summaries.
  public static func duration(_ t: SimTime) -> String {
    guard t != 0 else { return "0s" }
    let v = t.magnitude
    var parts: [String] = []
    let days = v / UInt64(Time.day)
    let hours = v % UInt64(Time.day) / UInt64(Time.hour)
    let minutes = v % UInt64(Time.hour) / UInt64(Time.minute)
    let micros = v % UInt64(Time.minute)
    if days > 0 { parts.append("\(days)d") }
    if hours > 0 { parts.append("\(hours)h") }
    if minutes > 0 { parts.append("\(minutes)m") }
    if micros > 0 {
      var fraction = String(format: "%06llu", micros % 1_000_000)
      while fraction.hasSuffix("0") { fraction.removeLast() }
      parts.append("\(micros / 1_000_000)" + (fraction.isEmpty ? "" : "." + fraction) + "s")
    }
    return (t < 0 ? "-" : "") + parts.joined(separator: " ")
  }
}
