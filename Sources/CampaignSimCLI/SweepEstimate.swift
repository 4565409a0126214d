import CampaignModel
import Foundation
import Reporting
import RunPlan

/// How big a sweep is and roughly how long it would take, so that a grid of a
/// million points is a question, not an afternoon of a machine's time.
struct SweepEstimate {
  /// Grid points, saturating at Int.max.
  let points: Int
  /// Simulation runs per point: the replications, times the probes of a capacity search.
  let runsPerPoint: Int
  /// Messages of one run of the base scenario (the varied values change it somewhat).
  let messagesPerRun: Int
  let threads: Int

  /// A release build's rate on a realistic mix (docs/performance.md: 3–4 M/s per thread).
  static let messagesPerSecondPerThread = 3_000_000.0
  /// Setting up and reporting one run, whatever its size.
  static let secondsPerRun = 0.001
  /// Above either bound `sweep` asks first (or wants --yes).
  static let confirmPoints = 1_000
  static let confirmSeconds = 600.0

  init(plan: SweepPlan, scenario: Scenario, threads: Int) {
    var points = 1
    for axis in plan.vary {
      let (product, overflow) = points.multipliedReportingOverflow(by: max(1, axis.values.count))
      points = overflow ? Int.max : product
    }
    self.points = points
    var probes = 1
    if let search = plan.findMax {
      // A bisection over [low, high]; without a bound, a doubling search first.
      let span = Double(max(2, (search.high ?? Int(clamping: 1 << 40)) - search.low + 1))
      probes = Int(log2(span).rounded(.up)) + (search.high == nil ? 20 : 1)
    }
    runsPerPoint = max(1, scenario.replications) * probes
    messagesPerRun = max(1, scenario.totalAudience)
    self.threads = max(1, threads)
  }

  var runs: Double { Double(points) * Double(runsPerPoint) }

  var seconds: Double {
    runs * (Double(messagesPerRun) / Self.messagesPerSecondPerThread + Self.secondsPerRun) / Double(threads)
  }

  var needsConfirmation: Bool { points > Self.confirmPoints || seconds > Self.confirmSeconds }

  var description: String {
    let runText = runs < 9e18 ? Format.count(Int(runs)) : String(format: "%.3e", runs)
    return "\(points == Int.max ? "more than 9e18" : Format.count(points)) points, \(runText) runs of about "
      + "\(Format.count(messagesPerRun)) messages: roughly \(Self.human(seconds)) on \(threads) thread"
      + (threads == 1 ? "" : "s") + " (release build)"
  }

  static func human(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds < 1e12 else { return "forever" }
    if seconds < 60 { return "\(Int(seconds.rounded(.up))) s" }
    if seconds < 3600 { return "\(Int((seconds / 60).rounded(.up))) min" }
    if seconds < 172_800 { return Format.fixed(seconds / 3600, 1) + " h" }
    if seconds < 3.2e7 * 2 { return Format.fixed(seconds / 86_400, 1) + " days" }
    return Format.fixed(seconds / 3.156e7, 0) + " years"
  }
}

/// Asks on a terminal whether to run a large sweep; elsewhere refuses without --yes (exit 2).
func confirmLargeSweep(_ estimate: SweepEstimate, yes: Bool) throws {
  guard estimate.needsConfirmation, !yes else { return }
  let what = "this sweep is large: \(estimate.description)"
  if isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1 {
    FileHandle.standardError.write(Data("\(what). Run it? [y/N] ".utf8))
    if let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) { return }
    throw badOption("sweep not run")
  }
  throw badOption("\(what); pass --yes to run it, or vary fewer values")
}
