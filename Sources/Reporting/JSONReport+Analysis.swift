import Analysis
import CampaignModel
import RunPlan
import ScenarioFormat

extension JSONReport {
  /// `figures` (each figure's value, or its mean over the replications), `statistics` (with
  /// replications: mean, sd, 95 % interval and the per-replication values) and `thresholds`
  /// (when the scenario has any). Everything `compare` needs is here.
  static func analysisSections(_ analysis: ReplicatedRun, thresholds: [Threshold]) -> [(String, DocumentStream)] {
    let table = analysis.figures
    var sections: [(String, DocumentStream)] = [
      ("figures", .lazyObject(count: table.names.count) { (table.names[$0], number(table.statistics[$0].mean)) })
    ]
    if table.replications > 1 {
      sections.append(("statistics", statisticsStream(table)))
    }
    if !thresholds.isEmpty {
      sections.append(
        ("thresholds", .value(thresholdsDocument(ThresholdCheck.evaluate(thresholds, figures: table)))))
    }
    return sections
  }

  static func number(_ value: Double?) -> Document { value.map(Document.double) ?? .null }

  static func statisticsStream(_ table: FigureTable) -> DocumentStream {
    .object([
      ("replications", .value(.int(table.replications))),
      ("confidence", .value(.double(FigureStatistics.confidence))),
      (
        "t",
        .value(.double(StudentT.quantile(0.5 + FigureStatistics.confidence / 2, df: table.replications - 1)))
      ),
      (
        "figures",
        .lazyObject(count: table.names.count) { index in
          let s = table.statistics[index]
          return (
            table.names[index],
            .object([
              ("mean", number(s.mean)),
              ("sd", number(s.sd)),
              ("ci95", s.ciLow.map { .array([.double($0), number(s.ciHigh)]) } ?? .null),
              ("values", .array(s.values.map(number))),
            ])
          )
        }
      ),
    ])
  }

  static func thresholdsDocument(_ outcomes: [ThresholdOutcome]) -> Document {
    .array(
      outcomes.map { outcome in
        .object([
          ("figure", .string(outcome.threshold.figure)),
          ("condition", .string(Conditions.conditionText(outcome.threshold))),
          ("strict", .bool(outcome.threshold.strict)),
          // +∞ (a time that never came) has no JSON number: null, as for the figure itself.
          ("observed", number(outcome.observed.flatMap { $0.isFinite ? $0 : nil })),
          ("checked", number(outcome.checked.flatMap { $0.isFinite ? $0 : nil })),
          ("passed", .bool(outcome.passed)),
        ])
      })
  }
}
