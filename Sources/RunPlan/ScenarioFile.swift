import CampaignModel

/// Everything a scenario file says: the model's `Scenario`, and the settings about runs that the
/// model never reads (thresholds checked after a run, the plan `campaign-sim sweep` follows).
/// Kept apart so the model cannot come to depend on them, and so a point of a sweep is a plain
/// `Scenario`.
public struct ScenarioFile: Sendable, Equatable {
  public var scenario: Scenario
  /// Checked after the run; a failing one fails `run`.
  public var thresholds: [Threshold]
  /// What `campaign-sim sweep` varies; ignored by `run`.
  public var sweep: SweepPlan?

  public init(_ scenario: Scenario, thresholds: [Threshold] = [], sweep: SweepPlan? = nil) {
    self.scenario = scenario
    self.thresholds = thresholds
    self.sweep = sweep
  }
}
