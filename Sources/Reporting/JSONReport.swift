import Analysis
import CampaignModel
import Histogram
import RunPlan
import ScenarioFormat
import SimKernel

/// `report.json` (MODEL.md §8). Everything but `engine` is a pure function of
/// the run's result, so two runs of the same scenario and seed agree byte for byte.
public enum JSONReport {
  public static let schema = "campaignsim.report/1"

  /// `analysis` carries the replications; without it the report is of `result` alone. `file` is
  /// the scenario file `result` ran (its thresholds are checked and, with its sweep, written in
  /// the effective scenario); nil: `result.scenario` alone, without thresholds.
  public static func document(
    _ result: RunResult, file: ScenarioFile? = nil, engine: EngineStats?, analysis: ReplicatedRun? = nil
  ) -> Document {
    stream(result, file: file, engine: engine, analysis: analysis).materialized
  }

  /// `document`, built as it is written: campaigns and figures one at a time, so memory follows
  /// one campaign, not the report (issue 10: 10 000 campaigns).
  public static func stream(
    _ result: RunResult, file: ScenarioFile? = nil, engine: EngineStats?, analysis: ReplicatedRun? = nil
  ) -> DocumentStream {
    let file = file ?? ScenarioFile(result.scenario)
    var root: [(String, DocumentStream)] = [
      ("schema", .value(.string(schema))),
      ("seed", .value(.int(Int(truncatingIfNeeded: result.seed)))),
      ("replication", .value(.int(result.replication))),
      ("horizon_s", .value(.double(Format.seconds(result.horizon)))),
      ("ended_at_s", .value(.double(Format.seconds(result.endedAt)))),
      ("totals", .value(totals(result))),
    ]
    if result.scenario.usesPlatformDynamics { root += platformSections(result).map { ($0, .value($1)) } }
    root += [
      ("campaigns", .lazyArray(count: result.campaigns.count) { campaign(result, $0) }),
      ("senders", .value(.array(result.senders.indices.map { sender(result, $0) }))),
      ("scenario", .value(effectiveDocument(file))),
    ]
    root += analysisSections(analysis ?? ReplicatedRun(single: result), thresholds: file.thresholds)
    if let engine { root.append(("engine", .value(engineDocument(engine)))) }
    return .object(root)
  }

  public static func engineDocument(_ engine: EngineStats) -> Document {
    .object([
      ("wall_s", .double((engine.wallSeconds * 1e6).rounded() / 1e6)),
      ("events", .int(engine.events)),
      ("events_per_s", .double(engine.eventsPerSecond.rounded())),
      ("messages_per_s", .double(engine.messagesPerSecond.rounded())),
      ("peak_rss_bytes", .int(engine.peakRSSBytes)),
    ])
  }

  static func totals(_ result: RunResult) -> Document {
    var states = Array(repeating: 0, count: MessageState.allCases.count)
    var reasons = Array(repeating: 0, count: FailureReason.allCases.count)
    var errors = Array(repeating: 0, count: ErrorCode.allCases.count)
    for c in result.campaigns {
      for k in states.indices { states[k] += c.finalStates[k] }
      for k in reasons.indices { reasons[k] += c.failureReasons[k] }
      for k in errors.indices { errors[k] += c.errors[k] }
    }
    var fields: [(String, Document)] = [
      ("messages", .int(result.messages)),
      ("dispatches", .int(result.dispatches)),
      ("final_states", stateCounts(states)),
      ("failure_reasons", reasonCounts(reasons, result.reportedFailureReasons)),
      ("errors", errorCounts(errors)),
    ]
    if result.scenario.usesPlatformDynamics {
      fields += [
        ("errors_by_kind", kindCounts(ErrorKind.allCases.map { result.errorCount(kind: $0) })),
        ("reports", .int(result.reports)),
      ]
    }
    return .object(fields)
  }

  static func campaign(_ result: RunResult, _ index: Int) -> Document {
    let c = result.campaigns[index]
    let end = result.endedAt
    let rows = result.timeSeries.rows(campaign: index, audience: c.audience, through: end)
    let columns = TimeSeries.Column.allCases.count
    var series: [(String, Document)] = [
      ("bucket_s", .double(Format.seconds(result.timeSeries.bucketWidth))),
      ("t_s", .array(rows.indices.map { .double(Format.seconds(SimTime($0) * result.timeSeries.bucketWidth)) })),
    ]
    for column in TimeSeries.Column.allCases {
      series.append(("\(column)", .array(rows.map { .int($0[column.rawValue]) })))
    }
    series.append(
      (
        "states",
        .object(
          MessageState.allCases.map { state in ("\(state)", .array(rows.map { .int($0[columns + state.rawValue]) })) })
      ))
    let platform = result.scenario.usesPlatformDynamics
    if platform { series.append(("limit", limitSeries(result, buckets: rows.count))) }
    var fields: [(String, Document)] = [
      ("id", .string(c.id)),
      ("sender", .string(c.sender)),
      ("state", .string(c.state.rawValue)),
      ("messages", .int(c.audience)),
      ("final_states", stateCounts(c.finalStates)),
      ("failure_reasons", reasonCounts(c.failureReasons, result.reportedFailureReasons)),
      ("attempts", .object(c.attempts.enumerated().map { ("\($0.offset)", .int($0.element)) })),
      ("errors", errorCounts(c.errors)),
    ]
    if platform { fields += [("errors_by_kind", kindCounts(c.errorsByKind)), ("reports", .int(c.reports))] }
    fields += [
      ("sending_started_at_s", c.firstDispatchAt.map { .double(Format.seconds($0)) } ?? .null),
      ("sending_finished_at_s", c.sendingFinishedAt.map { .double(Format.seconds($0)) } ?? .null),
      ("latency_ms", .object(LatencySpan.allCases.map { ("\($0)", latency(c.latencyRecords[$0.rawValue])) })),
      ("throughput", .object(series)),
    ]
    return .object(fields)
  }

  static func sender(_ result: RunResult, _ index: Int) -> Document {
    let s = result.senders[index]
    var fields: [(String, Document)] = [
      ("id", .string(s.id)),
      ("dispatches", .int(s.dispatches)),
      ("acceptances", .int(s.acceptances)),
      ("errors", .int(s.errors)),
      ("limit_pauses", .int(s.limitPauses)),
    ]
    if result.scenario.usesPlatformDynamics { fields.append(("throughput_upgrade", throughputUpgrade(result, index))) }
    return .object(fields)
  }

  static func stateCounts(_ counts: [Int]) -> Document {
    .object(MessageState.allCases.map { ("\($0)", .int(counts[$0.rawValue])) })
  }

  static func reasonCounts(_ counts: [Int], _ reasons: [FailureReason]) -> Document {
    .object(reasons.map { ("\($0)", .int(counts[$0.rawValue])) })
  }

  static func errorCounts(_ counts: [Int]) -> Document {
    .object(ErrorCode.reportOrder.enumerated().map { ("\($0.element.rawValue)", .int(counts[$0.offset])) })
  }

  /// Percentiles from the HDR histogram (3 significant digits), in milliseconds.
  static func latency(_ record: LatencyRecord) -> Document {
    guard let summary = record.summary(at: [50, 90, 99]) else {
      return .object([("count", .int(0)), ("p50", .null), ("p90", .null), ("p99", .null), ("max", .null)])
    }
    func ms(_ us: UInt64) -> Document { .double(Double(us) / 1000) }
    return .object([
      ("count", .int(Int(record.totalCount))),
      ("p50", ms(summary.values[0])),
      ("p90", ms(summary.values[1])),
      ("p99", ms(summary.values[2])),
      ("max", ms(summary.max)),
    ])
  }
}
