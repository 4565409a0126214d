import CampaignModel
import Foundation
import ScenarioFormat
import SimKernel

/// Message histories as `run --trace` writes them (NDJSON) and as `explain` prints them.
///
/// A record is a pure function of the history, and the history of the run's, so `explain`'s
/// line for a message is byte-identical to the line `run --trace` wrote for it. Every key is
/// always present (`null` when it does not apply) in a fixed order: `jq` and diffs can rely on it.
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
  public static func line(_ trace: MessageTrace) -> String { document(trace).compactJSON() }

  public static func document(_ trace: MessageTrace) -> Document {
    .object([
      ("campaign", .string(trace.campaign)),
      ("message", .int(trace.message)),
      ("sender", .string(trace.sender)),
      ("contact", .string(trace.contact.rawValue)),
      ("capped_until_us", time(trace.cappedUntil)),
      ("final_state", .string(trace.finalState.description)),
      ("failure_reason", trace.failureReason.map { .string($0.description) } ?? .null),
      ("attempts", .array(trace.attempts.map(attempt))),
      (
        "states",
        .array(trace.states.map { .object([("state", .string($0.state.description)), ("at_us", .int(Int($0.at)))]) })
      ),
      ("read_unseen_at_us", time(trace.readUnseenAt)),
      ("reported_at_us", time(trace.reportedAt)),
    ])
  }

  static func attempt(_ a: AttemptTrace) -> Document {
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
    return .object([
      ("attempt", .int(a.number)),
      ("ready_at_us", .int(Int(a.readyAt))),
      ("dispatched_at_us", .int(Int(a.dispatchedAt))),
      ("wait", .string(a.wait.rawValue)),
      ("sender_interval_us", .int(Int(a.senderInterval))),
      ("response_at_us", .int(Int(a.responseAt))),
      ("rule", .string(a.rule.rawValue)),
      ("error_code", a.errorCode.map { .int($0.rawValue) } ?? .null),
      ("transient_draw", a.transientDraw.map { .double($0) } ?? .null),
      ("limit", a.limit.map { $0 == Int.max ? .null : .int($0) } ?? .null),
      ("capped_until_us", time(a.cappedUntil)),
      ("next", .string(next)),
      ("failure_reason", reason.map { .string($0.description) } ?? .null),
      ("backoff_us", time(backoff)),
      ("jitter_cut_us", time(jitter)),
      ("retry_ready_at_us", time(retryAt)),
      ("expired_at_us", time(expiredAt)),
    ])
  }

  static func time(_ t: SimTime?) -> Document { t.map { .int(Int($0)) } ?? .null }

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
