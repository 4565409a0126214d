import Analysis
import CampaignModel
import Reporting
import RunPlan

/// sweep.csv, sweep.md and sweep.html and the terminal summary of a sweep: one place for `sweep`
/// and `merge`, so a merged sweep writes exactly what the unsharded one would.
enum SweepFiles {
  static func render(_ sweep: SweepResult, file: ScenarioFile, figure: String) -> (
    files: [(name: String, contents: String)], summary: String
  ) {
    (
      [
        ("sweep.csv", SweepReport.csv(sweep, figure: figure)),
        (
          "sweep.md",
          SweepReport.markdown(sweep, scenario: file.scenario, thresholds: file.thresholds, figure: figure)
        ),
        (
          "sweep.html",
          SweepReport.html(sweep, scenario: file.scenario, thresholds: file.thresholds, figure: figure)
        ),
      ],
      SweepReport.summary(sweep, scenario: file.scenario, thresholds: file.thresholds, figure: figure)
    )
  }

  static func render(_ capacity: CapacityResult, file: ScenarioFile, figure: String) -> (
    files: [(name: String, contents: String)], summary: String
  ) {
    (
      [
        ("sweep.csv", SweepReport.csv(capacity, figure: figure)),
        ("sweep.md", SweepReport.markdown(capacity, scenario: file.scenario, figure: figure)),
        ("sweep.html", SweepReport.html(capacity, scenario: file.scenario, figure: figure)),
      ],
      SweepReport.summary(capacity, figure: figure)
    )
  }

  /// The figure charted when neither `--figure` nor the scenario's `sweep.figure` names one.
  static let defaultFigure = "sending_finished_at"
}
