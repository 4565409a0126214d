import CampaignModel
import ScenarioFormat
import SimKernel

/// The report.json fields of MODEL.md §8's v2 paragraph, written only for scenarios that use
/// §9. An unlimited limit is the string `"unlimited"`, as in the scenario file; `null` stays
/// "missing" (a time that never came).
extension JSONReport {
  static func platformSections(_ result: RunResult) -> [(String, Document)] {
    [
      ("final_limit", limitDocument(result.finalLimit)),
      ("unlimited_at_s", result.unlimitedFrom.map { .double(Format.seconds($0)) } ?? .null),
      (
        "limit_changes",
        .array(
          result.limitChanges.map { change in
            .object([
              ("at_s", .double(Format.seconds(change.at))),
              ("from", limitDocument(change.from)),
              ("to", limitDocument(change.to)),
            ])
          })
      ),
      (
        "quality",
        .array(
          result.qualityChanges.map { change in
            .object([
              ("at_s", .double(Format.seconds(change.at))),
              ("quality", .string("\(change.quality)")),
              ("report_rate", .double(change.reportRate)),
              ("reports", .int(change.reports)),
              ("deliveries", .int(change.deliveries)),
            ])
          })
      ),
      // Quality is rated while a rule can use it; after this time it decides nothing and is not rated.
      ("quality_rated_until_s", result.qualityTrackedUntil.map { .double(Format.seconds($0)) } ?? .null),
    ]
  }

  static func limitDocument(_ limit: Int?) -> Document { limit.map(Document.int) ?? .string("unlimited") }

  static func kindCounts(_ counts: [Int]) -> Document {
    .object(ErrorKind.allCases.map { ("\($0)", .int(counts[$0.rawValue])) })
  }

  /// The limit in force at the end of each bucket (its last microsecond), bucket by bucket.
  static func limitSeries(_ result: RunResult, buckets: Int) -> Document {
    let width = result.timeSeries.bucketWidth
    return .array((0..<buckets).map { limitDocument(result.limit(at: SimTime($0 + 1) * width - 1)) })
  }

  /// A sender's throughput upgrade (MODEL.md §9.3), `null` when it did not happen.
  static func throughputUpgrade(_ result: RunResult, _ index: Int) -> Document {
    guard let change = result.throughputChanges.first(where: { $0.sender == index }) else { return .null }
    return .object([
      ("at_s", .double(Format.seconds(change.at))),
      ("from_mps", .double(change.fromMPS)),
      ("to_mps", .double(change.toMPS)),
      ("pause_end_s", .double(Format.seconds(change.pauseEnd))),
    ])
  }
}
