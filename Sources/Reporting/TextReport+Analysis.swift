import Analysis
import CampaignModel
import RunPlan
import ScenarioFormat

extension TextReport {
  /// `✓ promo.delivered_fraction >= 0.95   96.120%` lines, with the bound used when strict.
  public static func thresholds(_ outcomes: [ThresholdOutcome]) -> String {
    guard !outcomes.isEmpty else { return "" }
    let failed = outcomes.filter { !$0.passed }.count
    var out = "thresholds: \(outcomes.count - failed) passed, \(failed) failed\n"
    let width = outcomes.map { Conditions.text($0.threshold).count }.max() ?? 0
    for outcome in outcomes {
      let text = Conditions.text(outcome.threshold)
      out += "  \(outcome.passed ? "✓" : "✗") \(text)\(String(repeating: " ", count: width - text.count))  "
      out += observedText(outcome) + "\n"
    }
    return out
  }

  static func observedText(_ outcome: ThresholdOutcome) -> String {
    let name = outcome.threshold.figure
    guard let observed = outcome.observed else { return "undefined (no value to check)" }
    var text = Format.figure(observed, name: name)
    if outcome.threshold.strict, let checked = outcome.checked, checked != observed {
      let side = checked < observed ? "lower" : "upper"
      text += " (\(side) 95 % bound \(Format.figure(checked, name: name)))"
    }
    return text
  }

  public static func thresholdsMarkdown(_ outcomes: [ThresholdOutcome]) -> String {
    guard !outcomes.isEmpty else { return "" }
    let failed = outcomes.filter { !$0.passed }.count
    var out = "## Thresholds\n\n\(outcomes.count - failed) passed, \(failed) failed.\n\n"
    out += markdownTable(
      header: ["", "figure", "condition", "observed"],
      rows: outcomes.map { outcome in
        [
          outcome.passed ? "✓" : "✗", "`\(outcome.threshold.figure)`",
          "`\(Conditions.conditionText(outcome.threshold))`" + (outcome.threshold.strict ? " (strict)" : ""),
          observedText(outcome),
        ]
      })
    return out
  }

  /// `12.345% ± 0.120` : a mean and the half-width of its 95 % interval.
  static func meanAndInterval(_ statistics: FigureStatistics?, name: String) -> String {
    guard let statistics else { return "-" }
    let mean = Format.figure(statistics.mean, name: name)
    guard let half = statistics.halfWidth, half > 0 else { return mean }
    return mean + " ± " + Format.figure(half, name: name)
  }

  /// The terminal summary with replications: final states and the end of sending, as means over
  /// the replications ± the half-width of their 95 % confidence interval.
  public static func replicationSummary(_ analysis: ReplicatedRun) -> String {
    let figures = analysis.figures
    let ids = analysis.first.campaigns.map(\.id)
    func cells(_ kind: String) -> [String] {
      ids.map { meanAndInterval(figures["\($0).\(kind)"], name: "\($0).\(kind)") }
    }
    var rows: [[String]] = []
    for state in MessageState.allCases {
      if state.isInProgress && ids.allSatisfy({ figures["\($0).\(state)_fraction"]?.mean == 0 }) { continue }
      rows.append(["\(state)"] + cells("\(state)_fraction"))
    }
    rows.append(["sending finished"] + cells("sending_finished_at"))
    rows.append(["start_to_sent p90"] + cells("start_to_sent_p90"))
    let platform = analysis.first.scenario.usesPlatformDynamics
    if platform {
      rows.append(["reports"] + cells("reports_fraction"))
      rows.append(["marketing_cap"] + cells("marketing_cap_fraction"))
    }
    var out =
      "mean ± 95 % confidence half-width over \(analysis.replications) replications\n\n"
      + table(header: ["figure"] + ids, rows: rows)
    if platform {
      for name in ["final_limit", "limit_upgrades", "unlimited_at", "quality_low_s"] {
        out += "\(name): \(meanAndInterval(figures[name], name: name))\n"
      }
    }
    return out
  }

  /// Every figure that is not zero in every replication, with mean, sd and 95 % interval.
  public static func replicationsMarkdown(_ analysis: ReplicatedRun) -> String {
    let table = analysis.figures
    var out = "## Replications\n\n"
    out += "\(analysis.replications) replications (seeds derived from (seed, r)); mean, sample standard deviation "
    out += "and 95 % confidence interval of the mean (Student t, df = \(analysis.replications - 1)). "
    out += "Figures that are zero in every replication are left out; report.json has them all, with each "
    out += "replication's value.\n\n"
    var rows: [[String]] = []
    for (name, s) in zip(table.names, table.statistics) where !s.values.allSatisfy({ $0 == 0 }) {
      let interval =
        s.ciLow.map { "[\(Format.figure($0, name: name)), \(Format.figure(s.ciHigh, name: name))]" } ?? "-"
      rows.append([
        "`\(name)`", Format.figure(s.mean, name: name), s.sd.map { Format.figure($0, name: name) } ?? "-", interval,
      ])
    }
    out += markdownTable(header: ["figure", "mean", "sd", "95 % CI"], rows: rows)
    return out
  }

  /// report.md with the thresholds (first: they are the verdict) and, with replications, a note
  /// that the detail is replication 0's and the statistics section before the engine's.
  public static func markdown(
    _ result: RunResult, engine: EngineStats?, analysis: ReplicatedRun, thresholds: [Threshold] = []
  ) -> String {
    var out = markdown(result, engine: engine)
    var head = thresholdsMarkdown(ThresholdCheck.evaluate(thresholds, figures: analysis.figures))
    if analysis.replications > 1 {
      head += "\nThe sections below describe replication 0 of \(analysis.replications); "
      head += "the Replications section summarises all of them.\n\n"
    }
    if !head.isEmpty {
      if let range = out.range(of: "## Final states") {
        out.insert(contentsOf: head, at: range.lowerBound)
      } else {
        out += "\n" + head
      }
    }
    if analysis.replications > 1 {
      let tail = replicationsMarkdown(analysis)
      if let range = out.range(of: "\n## Engine") {
        out.insert(contentsOf: "\n" + tail, at: range.lowerBound)
      } else {
        out += "\n" + tail
      }
    }
    return out
  }
}
