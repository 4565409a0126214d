import CampaignModel
import RunPlan

/// R replications of a scenario (MODEL.md §6: replication r draws from streams derived from
/// (seed, r)), run in parallel. Replication 0 is kept whole for the report's detailed sections;
/// of the others only the figures are kept unless `keepAll` asks for them (the HTML charts draw
/// a band over every replication), so by default memory does not grow with R.
public struct ReplicatedRun: Sendable {
  public let first: RunResult
  /// Every replication in order when run with `keepAll`, else just the first.
  public let results: [RunResult]
  public let figures: FigureTable
  /// Kernel events over all replications.
  public let events: Int
  /// Messages simulated over all replications.
  public let messages: Int

  public var replications: Int { figures.replications }

  public init(first: RunResult, figures: FigureTable, events: Int, messages: Int, results: [RunResult]? = nil) {
    self.first = first
    self.results = results ?? [first]
    self.figures = figures
    self.events = events
    self.messages = messages
  }

  /// `replications` defaults to the scenario's; `platform` (the §9 figures) to whether the
  /// scenario wants them.
  public static func run(
    _ scenario: Scenario, replications: Int? = nil, threads: Int, keepAll: Bool = false, platform: Bool? = nil
  ) -> ReplicatedRun {
    let count = max(1, replications ?? scenario.replications)
    let runs = Parallel.map(count, threads: threads) { r in
      let result = Simulation(scenario: scenario, replication: r).run()
      return (
        whole: r == 0 || keepAll ? result : nil, figures: result.figureValues(platform: platform), events: result.events
      )
    }
    return ReplicatedRun(
      first: runs[0].whole!, figures: FigureTable(replications: runs.map(\.figures)),
      events: runs.reduce(0) { $0 + $1.events }, messages: scenario.totalAudience * count,
      results: keepAll ? runs.map { $0.whole! } : nil)
  }

  /// A single replication already run.
  public init(single result: RunResult, platform: Bool? = nil) {
    self.init(
      first: result, figures: FigureTable(replications: [result.figureValues(platform: platform)]),
      events: result.events,
      messages: result.messages)
  }
}
