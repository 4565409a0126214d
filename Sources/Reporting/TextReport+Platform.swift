import CampaignModel
import SimKernel

/// The terminal summary's and report.md's account of MODEL.md §9: the limit in force and each of
/// its upgrades, quality, throughput upgrades, reports and errors by retry kind. Only for
/// scenarios that use §9; the others print exactly as before.
extension TextReport {
  /// `250 → 500 at 1h 2m 4s → unlimited at 2h 2m 4s`, or `2,000 (no upgrade)`.
  public static func limitStory(_ result: RunResult) -> String {
    var out = limitText(result.scenario.messagingLimit)
    guard !result.limitChanges.isEmpty else { return out + " (no upgrade)" }
    for change in result.limitChanges {
      out += " → \(limitText(change.to)) at \(moment(change.at))"
    }
    return out
  }

  /// An exact time of the run: `1h 2m 4s`, `0s`.
  static func moment(_ t: SimTime) -> String { t == 0 ? "0s" : Format.exactDuration(Format.seconds(t)) }

  static func limitText(_ limit: Int?) -> String { limit.map(Format.count) ?? "unlimited" }

  /// Summary rows per campaign: reports and errors by kind (`marketing_cap` failures are under
  /// `blocked_or_spam`, with the other reasons).
  static func platformSummaryRows(_ result: RunResult) -> [[String]] {
    var rows = [["reports"] + result.campaigns.map { Format.count($0.reports) }]
    rows.append(
      ["errors transient/limit/cap"]
        + result.campaigns.map { c in
          ErrorKind.allCases.map { Format.count(c.errorCount(kind: $0)) }.joined(separator: "/")
        }
    )
    return rows
  }

  /// Lines under the summary table: the limit's story, quality and throughput upgrades.
  static func platformSummaryLines(_ result: RunResult) -> String {
    var out = "messaging limit: \(limitStory(result))\n"
    if let last = result.qualityChanges.last {
      out += "quality: \(last.quality) at the end"
      let low = result.qualityLowTime
      out += low > 0 ? ", low for \(moment(low))\n" : "\n"
    }
    for change in result.throughputChanges {
      out +=
        "throughput upgrade: \(result.senders[change.sender].id) \(mps(change.fromMPS)) → \(mps(change.toMPS)) msg/s "
      out += "at \(moment(change.at)) (paused until "
      out += "\(moment(change.pauseEnd)))\n"
    }
    return out
  }

  static func mps(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? Format.count(Int(value)) : Format.fixed(value, 2)
  }

  /// report.md's section on §9.
  static func platformMarkdown(_ result: RunResult) -> String {
    var out = "\n## Messaging limit, quality and throughput\n\n"
    out += "Final limit **\(limitText(result.finalLimit))**: \(limitStory(result)).\n\n"
    if let scaling = result.scenario.scaling {
      let tiers = scaling.tiers.map(limitText).joined(separator: ", ")
      out +=
        "Automatic scaling: tiers \(tiers); an upgrade is earned once \(Ticks.decimal(scaling.usedFraction.doubleValue * 100, 4))% of the limit is "
      out += "used in \(Format.human(scaling.lookback)) at quality \(scaling.minQuality) or better, and takes effect "
      out += "\(Format.human(scaling.delay)) later.\n\n"
    }
    if !result.limitChanges.isEmpty {
      out += markdownTable(
        header: ["upgrade at", "seconds", "from", "to"],
        rows: result.limitChanges.map { change in
          [
            moment(change.at), CSVReport.seconds(change.at), limitText(change.from),
            limitText(change.to),
          ]
        })
      out += "\n"
    }
    if !result.qualityChanges.isEmpty {
      out += "Quality rating (report rate over the quality window, seen at acceptances):\n\n"
      out += markdownTable(
        header: ["from", "quality", "report rate", "reports", "deliveries"], textColumns: [1],
        rows: result.qualityChanges.map { change in
          [
            moment(change.at), "\(change.quality)",
            Format.percentage(change.reportRate), Format.count(change.reports), Format.count(change.deliveries),
          ]
        })
      out += "\nTime at low quality: \(moment(result.qualityLowTime)).\n\n"
    }
    if !result.throughputChanges.isEmpty {
      out += markdownTable(
        header: ["sender", "upgraded at", "from msg/s", "to msg/s", "paused until"],
        rows: result.throughputChanges.map { change in
          [
            result.senders[change.sender].id, moment(change.at), mps(change.fromMPS),
            mps(change.toMPS), moment(change.pauseEnd),
          ]
        })
      out += "\n"
    }
    out += "## Reports and errors by kind\n\n"
    out += markdownTable(
      header: ["figure"] + result.campaigns.map(\.id),
      rows: [["reports"] + result.campaigns.map { Format.count($0.reports) }]
        + ErrorKind.allCases.map { kind in
          ["errors `\(kind)`"] + result.campaigns.map { Format.count($0.errorCount(kind: kind)) }
        }
        + [["failed `marketing_cap`"] + result.campaigns.map { Format.count($0.count(.marketingCap)) }])
    return out
  }
}
