import CampaignModel
import Histogram
import SimKernel

/// The terminal summary and `report.md`.
public enum TextReport {
  /// Final states per campaign with percentages, the failure reasons under their state, what
  /// reached delivery, when sending finished (and whether the window or the horizon cut it), the
  /// dispatch rates and the error codes. With `colour` (see `Terminal.wantsColour`), success states
  /// are green and failures red, and the campaign's state is coloured by `Outcome`, not by the
  /// word: a campaign `completed` with 1 % delivered is red.
  /// Campaign columns the terminal summary shows: past a few, a table wider than any terminal
  /// (10 000 campaigns printed 10 000 columns); report.md and outcomes.csv have them all.
  static let summaryColumns = 8

  public static func summary(_ result: RunResult, colour: Bool = false) -> String {
    let campaigns = Array(result.campaigns.prefix(summaryColumns))
    var header = ["state"]
    header += campaigns.map(\.id)
    var rows: [[String]] = []
    var styles: [[ANSIStyle?]] = []
    func style(_ state: MessageState) -> ANSIStyle? {
      state.isTerminal ? .red : state.isSuccess ? .green : state.isInProgress ? .yellow : nil
    }
    func share(_ n: Int, _ c: CampaignResult) -> String { "\(Format.count(n)) (\(Format.percent(n, of: c.audience)))" }
    for state in MessageState.allCases {
      let counts = campaigns.map { $0.count(state) }
      if counts.allSatisfy({ $0 == 0 }) && state.isInProgress { continue }
      rows.append(["\(state)"] + campaigns.map { share($0.count(state), $0) })
      // The label always shows the kind of state; a count only when there is something to see.
      styles.append([style(state)] + counts.map { $0 > 0 ? style(state) : nil })
      // Why, under the state: `blocked_or_spam` after a limit refusal says "messaging limit".
      for reason in Self.reasons(of: state) where campaigns.contains(where: { $0.count(reason) > 0 }) {
        rows.append(["  " + Self.reasonLabel(reason)] + campaigns.map { share($0.count(reason), $0) })
        styles.append([])
      }
    }
    let outcomes = campaigns.map(Outcome.init)
    rows.append(["reached delivery"] + zip(campaigns, outcomes).map { share($1.reached, $0) })
    styles.append([nil] + outcomes.map(\.style))
    rows.append(["campaign state"] + campaigns.map { $0.state.rawValue })
    styles.append([nil] + zip(campaigns, outcomes).map { $0.state == .failed ? .red : $1.style })
    rows.append(["messages"] + campaigns.map { Format.count($0.audience) })
    rows.append(["sending finished"] + campaigns.map(finishedText))
    rows.append(
      ["dispatches/s, peak \(Format.human(result.timeSeries.bucketWidth))"]
        + campaigns.indices.map {
          peakRate(result, campaign: $0)
        })
    rows.append(["dispatches/s, average"] + campaigns.map(throughput))
    for code in ErrorCode.reportOrder where campaigns.contains(where: { $0.errorCount(code) > 0 }) {
      rows.append(["error \(code.rawValue) \(code.shortName)"] + campaigns.map { Format.count($0.errorCount(code)) })
      styles.append([])
    }
    var out = ""
    if result.scenario.usesPlatformDynamics {
      rows += platformSummaryRows(result)
      out = table(header: header, rows: rows, styles: colour ? styles : []) + platformSummaryLines(result)
    } else {
      out = table(header: header, rows: rows, styles: colour ? styles : [])
    }
    let hidden = result.campaigns.count - campaigns.count
    if hidden > 0 {
      out += "… and \(Format.count(hidden)) more campaigns: every campaign is in report.md and outcomes.csv\n"
    }
    return out + cutWarnings(result)
  }

  /// The failure reasons that end a message in `state`, when they say more than the state does.
  static func reasons(of state: MessageState) -> [FailureReason] {
    switch state {
    case .failed: [.retriesExhausted, .expired]
    case .blockedOrSpam: [.blocked, .messagingLimit, .marketingCap]
    default: []
    }
  }

  static func reasonLabel(_ reason: FailureReason) -> String {
    switch reason {
    case .retriesExhausted: "retries exhausted"
    case .expired: "window expired"
    case .messagingLimit: "messaging limit"
    case .invalid: "invalid contact"
    case .blocked: "contact blocked"
    case .marketingCap: "marketing cap"
    }
  }

  /// `3d 0h` when the campaign drained; `3d, window cut` when it ended because the window did.
  static func finishedText(_ c: CampaignResult) -> String {
    guard let finished = c.sendingFinishedAt else { return "not by horizon" }
    return c.drainedAt == nil ? Format.human(finished) + ", window cut" : Format.human(finished)
  }

  /// Warnings past this many are counted in one line.
  static let warningLimit = 10

  /// A warning line per campaign that the window or the horizon cut short: its "finish" is not a
  /// drain, and `drained_at` is missing.
  static func cutWarnings(_ result: RunResult) -> String {
    var out = ""
    let cut = result.campaigns.filter { $0.audience > 0 && $0.drainedAt == nil }
    for c in cut.prefix(warningLimit) {
      if c.sendingFinishedAt == nil {
        let waiting = MessageState.allCases.filter(\.isInProgress).reduce(0) { $0 + c.count($1) }
        out += "warning: \(c.id): the horizon (\(Format.human(result.horizon))) cut sending short with "
        out += "\(Format.count(waiting)) messages (\(Format.percent(waiting, of: c.audience))) not yet sent; "
        out += "sending_finished_at and drained_at are missing\n"
      } else {
        let expired = c.count(FailureReason.expired)
        out += "warning: \(c.id): the sending window ended before the audience drained: "
        out += "\(Format.count(expired)) messages (\(Format.percent(expired, of: c.audience))) expired; "
        out += "sending finished when the window did, drained_at is missing\n"
      }
    }
    if cut.count > warningLimit {
      out +=
        "warning: … and \(Format.count(cut.count - warningLimit)) more campaigns cut short; outcomes.csv lists every campaign\n"
    }
    return out
  }

  /// Dispatches per second over the campaign's sending, first dispatch to the end of sending
  /// (idle stretches included: a limit-bound campaign averages far below its sender's rate).
  static func throughput(_ c: CampaignResult) -> String {
    let dispatches = c.attempts.enumerated().reduce(0) { $0 + $1.offset * $1.element }
    guard let start = c.firstDispatchAt, let end = c.sendingFinishedAt, end > start else { return "-" }
    return Format.fixed(Double(dispatches) / Format.seconds(end - start), 1)
  }

  /// Dispatches per second in the campaign's busiest time-series bucket.
  static func peakRate(_ result: RunResult, campaign: Int) -> String {
    let peak = result.timeSeries.peakSends(campaign: campaign)
    guard peak > 0 else { return "-" }
    return Format.fixed(Double(peak) / Format.seconds(result.timeSeries.bucketWidth), 1)
  }

  /// Left-aligned first column, right-aligned numbers. `styles[row][column]`
  /// colours a cell after padding, so escape codes never upset the alignment. Not TextTable's:
  /// it counts escape codes in a column's width and puts one space between columns, so it
  /// would misalign coloured cells and change every summary to save a dozen lines.
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
        "- **\(c.id)** (\(Format.count(c.audience)) messages on \(c.sender)): \(c.state.rawValue)"
      if let grade = Outcome(c).grade { out += " (\(grade) outcome)" }
      out += ", sending finished "
      out +=
        c.sendingFinishedAt.map { "at \(Format.human($0))" + (c.drainedAt == nil ? " when its window ended" : "") }
        ?? "not by the horizon"
      out += "; delivered \(reached([.delivered, .read, .responded])), read \(reached([.read, .responded])), "
      out += "responded \(reached([.responded])).\n"
    }
    let warnings = cutWarnings(result)
    if !warnings.isEmpty {
      out += "\n" + warnings.split(separator: "\n").map { "> \($0)" }.joined(separator: "\n>\n") + "\n"
    }
    out += "\nDelivered, read and responded count messages that got at least that far; the outcome is "
    out += "good from 90 % reached delivery, partial from 50 %, poor below. "
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
      header: [
        "campaign", "sender", "state", "messages", "sending started", "sending finished",
        "dispatches/s, peak \(Format.human(result.timeSeries.bucketWidth))", "dispatches/s, average",
      ],
      textColumns: [1, 2],
      rows: result.campaigns.enumerated().map { index, c in
        [
          c.id, c.sender, c.state.rawValue, Format.count(c.audience), c.firstDispatchAt.map(Format.human) ?? "-",
          finishedText(c), peakRate(result, campaign: index), throughput(c),
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
        ["\(span)"] + result.campaigns.map { latencyCell($0.latencyRecords[span.rawValue]) }
      })
    out += "\n## Attempts per message\n\n"
    let maxAttempts = result.campaigns.map { $0.attempts.count }.max() ?? 0
    out += markdownTable(
      header: ["attempts"] + result.campaigns.map(\.id),
      rows: (0..<maxAttempts).map { k in ["\(k)"] + result.campaigns.map { Format.count($0.attempts[k]) } })
    if let engine {
      out += "\n## Engine\n\n"
      out += "\(Format.count(engine.messages)) messages, \(Format.count(engine.events)) events in "
      out += "\(Format.fixed(engine.wallSeconds, 3)) s: \(engine.rateText), "
      out += "peak RSS \(Format.count(engine.peakRSSBytes / 1_048_576)) MiB.\n"
    }
    return out
  }

  static func latencyCell(_ record: LatencyRecord) -> String {
    guard let summary = record.summary(at: [50, 90, 99]) else { return "-" }
    return (summary.values + [summary.max]).map { Format.human(SimTime($0)) }.joined(separator: " / ")
  }

  /// The first column and `textColumns` are left-aligned, the rest (numbers) right-aligned.
  static func markdownTable(header: [String], textColumns: Set<Int> = [], rows: [[String]]) -> String {
    var out = "| " + header.joined(separator: " | ") + " |\n"
    out += "|" + header.indices.map { $0 == 0 || textColumns.contains($0) ? " --- |" : " ---: |" }.joined() + "\n"
    for row in rows { out += "| " + row.joined(separator: " | ") + " |\n" }
    return out
  }
}
