import CampaignModel
import SimKernel

/// The text of `run`'s progress line, apart from the terminal that shows it so that its wording
/// can be tested.
///
/// What the engine can tell mid-run (`Simulation.Progress`, every 2^18 events): the simulated
/// time reached and how many messages have settled, i.e. left queued, sending and retrying for
/// good. A settled message's final state is decided then, since the engine draws an accepted
/// message's whole future (delivered, read, responded) at acceptance; settled is therefore the
/// share of the work done, and the ETA assumes the settling rate so far holds.
public enum ProgressLine {
  /// `elapsed`: wall-clock seconds since the run started. `width`: the terminal's columns; the
  /// line is redrawn with a carriage return, which cannot go back over a wrapped line, so a
  /// line too wide drops the counts and then is cut.
  public static func text(_ p: Simulation.Progress, elapsed: Double, width: Int = .max) -> String {
    let rate = elapsed > 0 ? Double(p.settled) / elapsed : 0
    let left = max(0, p.messages - p.settled)
    let seconds = rate > 0 ? Double(left) / rate : .infinity
    // Past a year the estimate says nothing (and would overflow SimTime further on).
    let eta = seconds < 365 * 86_400 ? Format.human(SimTime(seconds.rounded()) * Time.second) : "-"
    let share = Format.percent(p.settled, of: p.messages)
    func line(_ settled: String) -> String {
      [
        "simulated \(Format.human(p.now)) of \(Format.human(p.horizon))", settled,
        "\(Format.count(rounding: rate)) settled/s", "ETA \(eta)",
      ].joined(separator: " | ")
    }
    let full = line("\(Format.count(p.settled)) of \(Format.count(p.messages)) messages settled (\(share))")
    if full.count <= width { return full }
    return String(line("\(share) settled").prefix(max(0, width)))
  }
}
