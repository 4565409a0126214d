import CampaignModel
import Histogram
import SimKernel

/// The terminal summary and `report.md`.
public enum TextReport {
  /// Final states per campaign with percentages, when sending finished, and throughput.
  /// With `colour`, success states are green and failures red (see `Terminal.wantsColour`).
  public static func summary(_ result: RunResult, colour: Bool = false) -> String {
    var header = ["state"]
    header += result.campaigns.map(\.id)
    var rows: [[String]] = []
    var styles: [[ANSIStyle?]] = []
    func style(_ state: MessageState) -> ANSIStyle? {
      state.isTerminal ? .red : state.isSuccess ? .green : state.isInProgress ? .yellow : nil
    }
    for state in MessageState.allCases {
      let counts = result.campaigns.map { $0.count(state) }
      if counts.allSatisfy({ $0 == 0 }) && state.isInProgress { continue }
      rows.append(
        ["\(state)"]
          + result.campaigns.map {
            "\(Format.count($0.count(state))) (\(Format.percent($0.count(state), of: $0.audience)))"
          })
      // The label always shows the kind of state; a count only when there is something to see.
      styles.append([style(state)] + counts.map { $0 > 0 ? style(state) : nil })
    }
    rows.append(["campaign state"] + result.campaigns.map { $0.state.rawValue })
    styles.append(
      [nil]
        + result.campaigns.map { $0.state == .completed ? .green : $0.state == .failed ? .red : nil })
    rows.append(["messages"] + result.campaigns.map { Format.count($0.audience) })
    rows.append(
      ["sending finished"] + result.campaigns.map { $0.sendingFinishedAt.map(Format.human) ?? "not by horizon" })
    rows.append(["sends/s"] + result.campaigns.map { throughput($0) })
    guard result.scenario.usesPlatformDynamics else {
      return table(header: header, rows: rows, styles: colour ? styles : [])
    }
    rows += platformSummaryRows(result)
    return table(header: header, rows: rows, styles: colour ? styles : []) + platformSummaryLines(result)
  }

  /// Attempts per second of sending: dispatches over first dispatch → sending finished.
  static func throughput(_ c: CampaignResult) -> String {
    let dispatches = c.attempts.enumerated().reduce(0) { $0 + $1.offset * $1.element }
    guard let start = c.firstDispatchAt, let end = c.sendingFinishedAt, end > start else { return "-" }
    return Format.fixed(Double(dispatches) / Format.seconds(end - start), 1)
  }

  /// Left-aligned first column, right-aligned numbers. `styles[row][column]`
  /// colours a cell after padding, so escape codes never upset the alignment.
  public static func table(header: [String], rows: [[String]], styles: [[ANSIStyle?]] = []) -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    func line(_ cells: [String], _ style: [ANSIStyle?]) -> String {
      cells.enumerated().map { i, cell in
        let pad = String(repeating: " ", count: widths[i] - cell.count)
        let text = i < style.count ? style[i].map { $0.wrap(cell) } ?? cell : cell
        return i == 0 ? text + pad : pad + text
      }.joined(separator: "  ")
    }
    var out = line(header, []) + "\n"
    out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
    for (r, row) in rows.enumerated() { out += line(row, r < styles.count ? styles[r] : []) + "\n" }
    return out
  }

  /// A Markdown report fit for pasting into a pull request.
  public static func markdown(_ result: RunResult, engine: EngineStats?) -> String {
    let scenario = result.scenario
    var out = "# Campaign report: \(scenario.name)\n\n"
    out += "Seed \(result.seed), replication \(result.replication). "
    out +=
      "Messaging limit \(scenario.messagingLimit.map(Format.count) ?? "unlimited"), pacing \(scenario.pacing.rawValue), "
    out += "horizon \(Format.human(result.horizon)), run ended at \(Format.human(result.endedAt)).\n\n"
    for c in result.campaigns {
      let reached = { (states: [MessageState]) in
        Format.percent(states.reduce(0) { $0 + c.count($1) }, of: c.audience)
      }
      out +=
        "- **\(c.id)** (\(Format.count(c.audience)) messages on \(c.sender)): \(c.state.rawValue), sending finished "
      out += c.sendingFinishedAt.map { "at \(Format.human($0))" } ?? "not by the horizon"
      out += "; delivered \(reached([.delivered, .read, .responded])), read \(reached([.read, .responded])), "
      out += "responded \(reached([.responded])).\n"
    }
    out += "\nDelivered, read and responded count messages that got at least that far. "
    out += "Charts: `report.html` beside this file; figures for scripts: `report.json`, `timeseries.csv`, "
    out += "`outcomes.csv`.\n\n"
    out += "## Final states\n\n"
    out += markdownTable(
      header: ["state"] + result.campaigns.map(\.id),
      rows: MessageState.allCases.map { state in
        ["`\(state)`"]
          + result.campaigns.map {
            "\(Format.count($0.count(state))) (\(Format.percent($0.count(state), of: $0.audience)))"
          }
      })
    out += "\n## Campaigns\n\n"
    out += markdownTable(
      header: ["campaign", "sender", "state", "messages", "sending started", "sending finished", "sends/s"],
      textColumns: [1, 2],
      rows: result.campaigns.map { c in
        [
          c.id, c.sender, c.state.rawValue, Format.count(c.audience), c.firstDispatchAt.map(Format.human) ?? "-",
          c.sendingFinishedAt.map(Format.human) ?? "not by horizon", throughput(c),
        ]
      })
    out += "\n## Failure reasons\n\n"
    out += markdownTable(
      header: ["reason"] + result.campaigns.map(\.id),
      rows: result.reportedFailureReasons.map { reason in
        ["`\(reason)`"] + result.campaigns.map { Format.count($0.count(reason)) }
      })
    out += "\n## Errors by code\n\n"
    out += markdownTable(
      header: ["code", "meaning"] + result.campaigns.map(\.id), textColumns: [1],
      rows: ErrorCode.reportOrder.map { code in
        ["\(code.rawValue)", code.meaning] + result.campaigns.map { Format.count($0.errorCount(code)) }
      })
    if scenario.usesPlatformDynamics { out += platformMarkdown(result) }
    out += "\n## Latency (p50 / p90 / p99 / max)\n\n"
    out += markdownTable(
      header: ["span"] + result.campaigns.map(\.id),
      rows: LatencySpan.allCases.map { span in
        ["\(span)"] + result.campaigns.map { latencyCell($0.latency(span)) }
      })
    out += "\n## Attempts per message\n\n"
    let maxAttempts = result.campaigns.map { $0.attempts.count }.max() ?? 0
    out += markdownTable(
      header: ["attempts"] + result.campaigns.map(\.id),
      rows: (0..<maxAttempts).map { k in ["\(k)"] + result.campaigns.map { Format.count($0.attempts[k]) } })
    if let engine {
      out += "\n## Engine\n\n"
      out += "\(Format.count(engine.messages)) messages, \(Format.count(engine.events)) events in "
      out += "\(Format.fixed(engine.wallSeconds, 3)) s: \(Format.count(Int(engine.messagesPerSecond))) messages/s, "
      out += "peak RSS \(Format.count(engine.peakRSSBytes / 1_048_576)) MiB.\n"
    }
    return out
  }

  static func latencyCell(_ h: Histogram<UInt64>) -> String {
    guard h.totalCount > 0 else { return "-" }
    let values = [h.valueAtPercentile(50), h.valueAtPercentile(90), h.valueAtPercentile(99), h.max]
    return values.map { Format.human(SimTime($0)) }.joined(separator: " / ")
  }

  /// The first column and `textColumns` are left-aligned, the rest (numbers) right-aligned.
  static func markdownTable(header: [String], textColumns: Set<Int> = [], rows: [[String]]) -> String {
    var out = "| " + header.joined(separator: " | ") + " |\n"
    out += "|" + header.indices.map { $0 == 0 || textColumns.contains($0) ? " --- |" : " ---: |" }.joined() + "\n"
    for row in rows { out += "| " + row.joined(separator: " | ") + " |\n" }
    return out
  }
}
