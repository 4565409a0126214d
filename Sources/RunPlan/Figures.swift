import CampaignModel
import Histogram
import SimKernel

/// What a figure measures: decides how its values are written and read back
/// (a threshold on a `seconds` figure may say `3d`, one on a `fraction` `95%`).
public enum FigureUnit: String, Sendable {
  case count, fraction, seconds, ratio
}

/// Which way a figure should move, for `compare`. Neutral figures (the
/// audience, messages that stayed `sent`) are reported when they change but
/// never count as a regression.
public enum FigureDirection: String, Sendable {
  case higherIsBetter = "higher"
  case lowerIsBetter = "lower"
  case neutral
}

/// One kind of figure, e.g. `delivered_fraction`. Every kind is measured per
/// campaign (`promo.delivered_fraction`) and over all campaigns
/// (`delivered_fraction`), except the few marked `overallOnly`.
///
/// Kind names never contain a dot, so a full name splits at its last dot into
/// campaign id and kind even when the campaign id has dots of its own.
public struct FigureKind: Sendable, Equatable {
  public let name: String
  public let unit: FigureUnit
  public let direction: FigureDirection
  public let meaning: String
  /// A missing value means "not by the horizon": later than any time. It
  /// compares as +∞ in thresholds and `compare`, instead of being unknown.
  public let missingMeansNever: Bool
  public let overallOnly: Bool
  /// Measures MODEL.md §9 (`Figures.platformKinds`): reported only for scenarios that use it.
  public let platform: Bool

  init(
    _ name: String, _ unit: FigureUnit, _ direction: FigureDirection, _ meaning: String,
    missingMeansNever: Bool = false, overallOnly: Bool = false, platform: Bool = false
  ) {
    self.name = name
    self.unit = unit
    self.direction = direction
    self.meaning = meaning
    self.missingMeansNever = missingMeansNever
    self.overallOnly = overallOnly
    self.platform = platform
  }
}

/// A figure's full name resolved against a scenario's campaigns.
public enum FigureReference: Sendable, Equatable {
  case overall(FigureKind)
  case campaign(String, FigureKind)

  public var kind: FigureKind {
    switch self {
    case .overall(let kind), .campaign(_, let kind): kind
    }
  }
}

/// Why a figure name does not resolve; the message is the whole story.
public struct FigureNameError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}

/// The figures of a run: one flat, ordered, documented naming scheme shared by
/// report.json's `figures`, thresholds, `compare` and sweeps.
public enum Figures {
  /// Every kind, in report order.
  public static let kinds: [FigureKind] = {
    var kinds: [FigureKind] = [
      FigureKind("messages", .count, .neutral, "contacts in the audience (one message each)"),
      FigureKind("dispatches", .count, .lowerIsBetter, "attempts dispatched, first attempts and retries"),
      FigureKind("dispatches_per_message", .ratio, .lowerIsBetter, "dispatches / messages"),
    ]
    for state in MessageState.allCases {
      let direction: FigureDirection =
        switch state {
        case .delivered, .read, .responded: .higherIsBetter
        // Accepted but never delivered (offline, silently blocked): neither a win nor a loss.
        case .sent: .neutral
        default: .lowerIsBetter
        }
      kinds.append(FigureKind("\(state)", .count, direction, "messages whose final state is \(state)"))
      kinds.append(
        FigureKind("\(state)_fraction", .fraction, direction, "messages whose final state is \(state) / messages"))
    }
    kinds += [
      FigureKind(
        "success", .count, .higherIsBetter, "messages accepted: final state sent, delivered, read or responded"),
      FigureKind("success_fraction", .fraction, .higherIsBetter, "success / messages"),
      FigureKind(
        "reached_delivery", .count, .higherIsBetter, "messages that reached delivered: delivered, read or responded"),
      FigureKind("reached_delivery_fraction", .fraction, .higherIsBetter, "reached_delivery / messages"),
    ]
    for reason in FailureReason.v1 {
      kinds.append(FigureKind("\(reason)", .count, .lowerIsBetter, "messages that failed for reason \(reason)"))
      kinds.append(FigureKind("\(reason)_fraction", .fraction, .lowerIsBetter, "\(reason) / messages"))
    }
    kinds.append(FigureKind("errors", .count, .lowerIsBetter, "error responses, all codes"))
    for code in ErrorCode.reportOrder {
      kinds.append(FigureKind("errors_\(code.rawValue)", .count, .lowerIsBetter, "error responses \(code.rawValue)"))
    }
    kinds += [
      FigureKind(
        "sending_started_at", .seconds, .lowerIsBetter, "first dispatch, seconds from 0 (missing: never)",
        missingMeansNever: true),
      FigureKind(
        "sending_finished_at", .seconds, .lowerIsBetter,
        "when the last message left queued/sending/retrying, seconds from 0 (missing: not by the horizon)",
        missingMeansNever: true),
      FigureKind(
        "drained_at", .seconds, .lowerIsBetter,
        "sending_finished_at if no message expired, seconds from 0 (missing: the window or the horizon cut it)",
        missingMeansNever: true),
      FigureKind("completed", .count, .higherIsBetter, "campaigns that ended completed (per campaign: 1 or 0)"),
    ]
    for span in LatencySpan.allCases {
      for (suffix, what) in [
        ("p50", "median"), ("p90", "90th percentile"), ("p99", "99th percentile"), ("max", "maximum"),
      ] {
        kinds.append(
          FigureKind(
            "\(span)_\(suffix)", .seconds, .lowerIsBetter, "\(what) of \(span) latency, seconds (missing: no samples)"))
      }
    }
    kinds += [
      FigureKind(
        "limit_pauses", .count, .lowerIsBetter,
        "times a limit-aware sender stood still until the rolling window freed room under the limit",
        overallOnly: true),
      FigureKind("ended_at", .seconds, .neutral, "time of the last thing that happened, seconds", overallOnly: true),
    ]
    return kinds + platformKinds
  }()

  static let kindIndex: [String: Int] = Dictionary(
    uniqueKeysWithValues: kinds.enumerated().map { ($1.name, $0) })

  public static func kind(named name: String) -> FigureKind? { kindIndex[name].map { kinds[$0] } }

  /// The kind a full name ends with, without checking the campaign: enough for
  /// `compare`, which reads names from reports rather than from a scenario.
  public static func kind(ofName name: String) -> FigureKind? {
    if let kind = kind(named: name) { return kind }
    guard let dot = name.lastIndex(of: ".") else { return nil }
    return kind(named: String(name[name.index(after: dot)...]))
  }

  /// Resolves `failed_fraction` (over all campaigns) or `promo.delivered_fraction`
  /// (campaign `promo`).
  public static func resolve(_ name: String, campaignIDs: [String]) -> Result<FigureReference, FigureNameError> {
    guard let dot = name.lastIndex(of: ".") else {
      guard let kind = kind(named: name) else { return .failure(unknownKind(name, in: name)) }
      return .success(.overall(kind))
    }
    let campaign = String(name[..<dot])
    let kindName = String(name[name.index(after: dot)...])
    guard campaignIDs.contains(campaign) else {
      let known = campaignIDs.map { "'\($0)'" }.joined(separator: ", ")
      return .failure(
        FigureNameError(message: "unknown campaign '\(campaign)' in figure '\(name)'; the campaigns are \(known)"))
    }
    guard let kind = kind(named: kindName) else { return .failure(unknownKind(kindName, in: name)) }
    if kind.overallOnly {
      return .failure(
        FigureNameError(message: "'\(kindName)' is only measured over all campaigns; write '\(kindName)' alone"))
    }
    return .success(.campaign(campaign, kind))
  }

  static func unknownKind(_ kindName: String, in name: String) -> FigureNameError {
    var message = "unknown figure '\(kindName)'"
    if kindName != name { message += " in '\(name)'" }
    let near = kinds.map(\.name).filter { $0.hasPrefix(kindName.prefix(4)) }.prefix(4)
    if !near.isEmpty { message += " (like: \(near.joined(separator: ", ")))" }
    return FigureNameError(message: message + "; see the figure list in docs/scenario.md")
  }

  /// Every full name of a scenario's figures, in report order: overall first, then per campaign.
  /// Without `platform` the §9 figures are left out (a scenario without §9 keys reports as before).
  public static func names(campaignIDs: [String], platform: Bool = true) -> [String] {
    let kinds = kinds.filter { platform || !$0.platform }
    return kinds.map(\.name)
      + campaignIDs.flatMap { id in kinds.filter { !$0.overallOnly }.map { "\(id).\($0.name)" } }
  }
}

/// A run's figures: names (as `Figures.names`) and values; `nil` when missing
/// (see `FigureKind.missingMeansNever`; otherwise undefined, e.g. a fraction of
/// no messages or a percentile of no samples).
public struct FigureValues: Sendable, Equatable {
  public let names: [String]
  public let values: [Double?]

  public init(names: [String], values: [Double?]) {
    precondition(names.count == values.count)
    self.names = names
    self.values = values
  }

  public subscript(name: String) -> Double?? {
    guard let index = names.firstIndex(of: name) else { return nil }
    return .some(values[index])
  }
}

extension RunResult {
  /// The run's figures, in the order of `Figures.names`; the §9 ones with `platform`
  /// (default: when the scenario asks for them, `Scenario.wantsPlatformFigures`).
  public func figureValues(platform: Bool? = nil) -> FigureValues {
    let platform = platform ?? scenario.wantsPlatformFigures
    var values: [Double?] = []
    values.reserveCapacity(Figures.kinds.count * (campaigns.count + 1))
    let overall = FigureSource(
      messages: messages, finalStates: sum(\.finalStates), failureReasons: sum(\.failureReasons),
      errors: sum(\.errors), dispatches: campaigns.reduce(0) { $0 + $1.dispatchCount },
      startedAt: campaigns.compactMap(\.firstDispatchAt).min(),
      // Over all campaigns sending finished when the last one did; an empty campaign never starts.
      finishedAt: campaigns.contains { $0.audience > 0 && $0.sendingFinishedAt == nil }
        ? nil : campaigns.compactMap(\.sendingFinishedAt).max(),
      drainedAt: campaigns.contains { $0.audience > 0 && $0.drainedAt == nil }
        ? nil : campaigns.compactMap(\.drainedAt).max(),
      completed: campaigns.filter { $0.state == .completed }.count,
      latency: LatencySpan.allCases.map { span in
        LatencyRecord.merged(campaigns.map { $0.latencyRecords[span.rawValue] })
      })
    for kind in Figures.kinds where platform || !kind.platform {
      values.append(kind.platform ? platformFigure(kind, campaign: nil) : overall.value(kind, run: self))
    }
    for c in campaigns {
      let source = FigureSource(
        messages: c.audience, finalStates: c.finalStates, failureReasons: c.failureReasons, errors: c.errors,
        dispatches: c.dispatchCount, startedAt: c.firstDispatchAt, finishedAt: c.sendingFinishedAt,
        drainedAt: c.drainedAt,
        completed: c.state == .completed ? 1 : 0, latency: c.latencyRecords)
      for kind in Figures.kinds where !kind.overallOnly && (platform || !kind.platform) {
        values.append(kind.platform ? platformFigure(kind, campaign: c) : source.value(kind, run: self))
      }
    }
    return FigureValues(names: Figures.names(campaignIDs: campaigns.map(\.id), platform: platform), values: values)
  }

  private func sum(_ field: KeyPath<CampaignResult, [Int]>) -> [Int] {
    guard var total = campaigns.first?[keyPath: field] else { return [] }
    for c in campaigns.dropFirst() {
      for (k, n) in c[keyPath: field].enumerated() { total[k] += n }
    }
    return total
  }
}

extension CampaignResult {
  /// Dispatches of this campaign: messages by attempts, weighted.
  var dispatchCount: Int { attempts.enumerated().reduce(0) { $0 + $1.offset * $1.element } }
}

/// The numbers one scope (a campaign, or all of them) is measured from.
private struct FigureSource {
  let messages: Int
  let finalStates: [Int]
  let failureReasons: [Int]
  let errors: [Int]
  let dispatches: Int
  let startedAt: SimTime?
  let finishedAt: SimTime?
  let drainedAt: SimTime?
  let completed: Int
  /// Per span: p50, p90, p99 and max in µs, found in one pass; nil without samples.
  let latency: [[UInt64]?]

  init(
    messages: Int, finalStates: [Int], failureReasons: [Int], errors: [Int], dispatches: Int, startedAt: SimTime?,
    finishedAt: SimTime?, drainedAt: SimTime?, completed: Int, latency: [LatencyRecord]
  ) {
    self.messages = messages
    self.finalStates = finalStates
    self.failureReasons = failureReasons
    self.errors = errors
    self.dispatches = dispatches
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.drainedAt = drainedAt
    self.completed = completed
    self.latency = latency.map { record in record.summary(at: [50, 90, 99]).map { $0.values + [$0.max] } }
  }

  func value(_ kind: FigureKind, run: RunResult) -> Double? {
    let name = kind.name
    if name.hasSuffix("_fraction") {
      guard messages > 0, let count = count(String(name.dropLast("_fraction".count))) else { return nil }
      return Double(count) / Double(messages)
    }
    if let count = count(name) { return Double(count) }
    switch name {
    case "dispatches_per_message": return messages > 0 ? Double(dispatches) / Double(messages) : nil
    case "sending_started_at": return startedAt.map(seconds)
    case "sending_finished_at": return finishedAt.map(seconds)
    case "drained_at": return drainedAt.map(seconds)
    case "limit_pauses": return Double(run.senders.reduce(0) { $0 + $1.limitPauses })
    case "ended_at": return seconds(run.endedAt)
    default: break
    }
    for span in LatencySpan.allCases where name.hasPrefix("\(span)_") {
      guard let values = latency[span.rawValue] else { return nil }
      let micros: UInt64 =
        switch name.dropFirst("\(span)_".count) {
        case "p50": values[0]
        case "p90": values[1]
        case "p99": values[2]
        default: values[3]
        }
      return seconds(SimTime(micros))
    }
    preconditionFailure("figure \(name) has no definition")
  }

  /// The count figures, by name; nil for names that are not a count.
  func count(_ name: String) -> Int? {
    switch name {
    case "messages": return messages
    case "dispatches": return dispatches
    case "success": return MessageState.allCases.filter(\.isSuccess).reduce(0) { $0 + finalStates[$1.rawValue] }
    case "reached_delivery":
      return MessageState.allCases.filter(\.reachedDelivery).reduce(0) { $0 + finalStates[$1.rawValue] }
    case "errors": return errors.reduce(0, +)
    case "completed": return completed
    default: break
    }
    if let state = MessageState.allCases.first(where: { "\($0)" == name }) { return finalStates[state.rawValue] }
    if let reason = FailureReason.allCases.first(where: { "\($0)" == name }) { return failureReasons[reason.rawValue] }
    if name.hasPrefix("errors_"), let code = Int(name.dropFirst("errors_".count)),
      let index = ErrorCode.reportOrder.firstIndex(where: { $0.rawValue == code })
    {
      return errors[index]
    }
    return nil
  }

  func seconds(_ t: SimTime) -> Double { Double(t) / 1e6 }
}
