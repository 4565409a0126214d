import CampaignModel
import Foundation
import Histogram
import SimKernel

/// Charts of how a campaign ended: final states, failure reasons, attempts, latency.
extension HTMLReport {
  static let halfWidth = 570.0

  struct BarRow {
    var label: String
    var value: Spread
    var fill: String
    var hatched: Bool
  }

  /// Horizontal bars as a share of `whole`, each labelled with its count and percentage.
  static func horizontalBars(id: String, title: String, summary: String, rows: [BarRow], whole: Int) -> ChartView {
    let rowHeight = 26.0
    let height = 40 + rowHeight * Double(rows.count) + 44
    let frame = PlotFrame(left: 128, top: 30, width: halfWidth - 128 - 132, height: rowHeight * Double(rows.count))
    var view = ChartView(id: id, title: title, summary: summary, width: halfWidth, height: height, frame: frame)
    let x = LinearScale(low: 0, high: Double(max(whole, 1)), from: frame.left, to: frame.right)
    for share in [0.0, 0.25, 0.5, 0.75, 1] {
      let px = x(share * Double(whole))
      view.xTicks.append(
        .init(
          x1: f(px), y1: f(frame.top), x2: f(px), y2: f(frame.bottom), labelX: f(px), labelY: f(frame.bottom + 18),
          label: "\(Int(share * 100))%"))
    }
    view.xTitle = "share of \(Format.count(whole)) messages"
    for (i, row) in rows.enumerated() {
      let top = frame.top + rowHeight * Double(i)
      let middle = top + rowHeight / 2
      let end = x(row.value.mean)
      // A share of a few in a thousand is still a bar one can see and point at.
      let width = row.value.mean > 0 ? max(end - frame.left, 3) : 0
      let text = "\(Format.count(Int(row.value.mean.rounded()))) · \(percent(row.value.mean, of: whole))"
      view.bars.append(
        .init(
          barX: f(frame.left), barY: f(top + 4), barWidth: f(width), barHeight: f(rowHeight - 8), barFill: row.fill,
          barTip: "\(row.label): \(text)", hatchedBar: row.hatched, valueText: text,
          valueX: f(max(end, x(row.value.high)) + 6), valueY: f(middle), valueAnchor: "start"))
      view.labels.append(.init(text: row.label, textX: f(frame.left - 8), textY: f(middle), anchor: "end"))
      if row.value.hasRange {
        let (lo, hi) = (x(row.value.low), x(row.value.high))
        view.whiskers.append(
          "M\(f(lo)),\(f(middle))L\(f(hi)),\(f(middle))M\(f(lo)),\(f(middle - 5))L\(f(lo)),\(f(middle + 5))"
            + "M\(f(hi)),\(f(middle - 5))L\(f(hi)),\(f(middle + 5))")
      }
    }
    return view
  }

  static func outcomesChart(_ results: [RunResult], campaign index: Int, id: String) -> ChartView {
    let c = results[0].campaigns[index]
    let rows = MessageState.allCases.compactMap { state -> BarRow? in
      let value = Spread(results.map { Double($0.campaigns[index].count(state)) })
      // Work in progress is empty at the end unless the horizon cut the run short.
      if state.isInProgress && value.high == 0 { return nil }
      return BarRow(label: "\(state)", value: value, fill: Palette.state(state), hatched: state.isTerminal)
    }
    var view = horizontalBars(
      id: id, title: "Final states: \(c.id)",
      summary: "Where the \(Format.count(c.audience)) messages ended, as counts and shares of the audience.",
      rows: rows, whole: c.audience)
    if results.count > 1 { view.notes.append("Bars: mean of \(results.count) replications; whiskers: min–max.") }
    return view
  }

  static func reasonsChart(_ results: [RunResult], campaign index: Int, id: String) -> ChartView {
    let c = results[0].campaigns[index]
    let rows = results[0].reportedFailureReasons.map { reason in
      BarRow(
        label: "\(reason)", value: Spread(results.map { Double($0.campaigns[index].count(reason)) }),
        fill: Palette.reason(reason), hatched: true)
    }
    var view = horizontalBars(
      id: id, title: "Failure reasons: \(c.id)",
      summary: "Why messages ended in failed, invalid_contact or blocked_or_spam.", rows: rows, whole: c.audience)
    if rows.allSatisfy({ $0.value.high == 0 }) { view.notes.append("No message failed.") }
    if results.count > 1 { view.notes.append("Bars: mean of \(results.count) replications; whiskers: min–max.") }
    return view
  }

  static func attemptsChart(_ results: [RunResult], campaign index: Int, id: String) -> ChartView {
    let c = results[0].campaigns[index]
    let counts = c.attempts.indices.map { k in Spread(results.map { Double($0.campaigns[index].attempts[k]) }) }
    let height = 300.0
    let frame = PlotFrame(left: 72, top: 30, width: halfWidth - 72 - 24, height: height - 30 - 48)
    var view = ChartView(
      id: id, title: "Attempts per message: \(c.id)",
      summary: "How many times messages were dispatched: 0 means it expired in the queue, 1 went through first time.",
      width: halfWidth, height: height, frame: frame)
    let ticks = Ticks.linear(upTo: max(counts.map(\.high).max() ?? 0, 1) * 1.1)
    let y = LinearScale(low: 0, high: ticks.last!, from: frame.bottom, to: frame.top)
    valueTicks(&view, frame: frame, y: y, values: ticks) { Ticks.compact($0) }
    view.yTitle = "messages"
    view.xTitle = "dispatches per message"
    let slot = frame.width / Double(counts.count)
    for (k, count) in counts.enumerated() {
      let left = frame.left + slot * Double(k)
      let middle = left + slot / 2
      let top = y(count.mean)
      view.bars.append(
        .init(
          barX: f(left + slot * 0.15), barY: f(top), barWidth: f(slot * 0.7), barHeight: f(frame.bottom - top),
          barFill: Palette.attempts, barTip: "\(k) attempts: \(Format.count(Int(count.mean.rounded())))",
          hatchedBar: false, valueText: Format.count(Int(count.mean.rounded())), valueX: f(middle),
          valueY: f(y(count.high) - 6), valueAnchor: "middle"))
      view.labels.append(.init(text: "\(k)", textX: f(middle), textY: f(frame.bottom + 16), anchor: "middle"))
      if count.hasRange {
        let (lo, hi) = (y(count.low), y(count.high))
        view.whiskers.append(
          "M\(f(middle)),\(f(lo))L\(f(middle)),\(f(hi))M\(f(middle - 5)),\(f(lo))L\(f(middle + 5)),\(f(lo))"
            + "M\(f(middle - 5)),\(f(hi))L\(f(middle + 5)),\(f(hi))")
      }
    }
    if results.count > 1 { view.notes.append("Bars: mean of \(results.count) replications; whiskers: min–max.") }
    return view
  }

  // MARK: latency

  /// Percentiles drawn on a "nines" axis: `x = log10(1 / (1 − q))`, so p50, p90,
  /// p99 and p99.9 are evenly spaced and the tail gets the room it deserves. The
  /// axis starts at p10: below it lie a few extreme draws that would only stretch
  /// the time axis.
  static let latencyTicks: [(nines: Double, label: String)] = [
    (log10(1 / 0.9), "p10"), (log10(2), "p50"), (1, "p90"), (2, "p99"), (3, "p99.9"),
  ]
  static let latencyNines: [Double] = (Set((1...60).map { Double($0) * 0.05 }).union(latencyTicks.map(\.nines)))
    .filter { $0 >= latencyTicks[0].nines }.sorted()

  static func quantile(nines: Double) -> Double { 100 * (1 - pow(10, -nines)) }

  /// The table's percentiles, after the curve's in `LatencyValues`.
  static let tablePercentiles: [Double] = [50, 90, 99, 99.9]

  /// `values[span][replication]`: the curve's percentiles then the table's, in
  /// microseconds, from one pass over each histogram; `nil` for a span that
  /// some replication never saw.
  typealias LatencyValues = [[[UInt64]]?]

  static func latencyValues(_ results: [RunResult], campaign index: Int) -> LatencyValues {
    let percentiles = latencyNines.map(quantile(nines:)) + tablePercentiles
    return LatencySpan.allCases.map { span in
      let histograms = results.map { $0.campaigns[index].latency(span) }
      guard histograms.allSatisfy({ $0.totalCount > 0 }) else { return nil }
      return histograms.map { Percentiles.values($0, at: percentiles) }
    }
  }

  static func latencyChart(_ results: [RunResult], _ latency: LatencyValues, campaign index: Int, id: String)
    -> ChartView
  {
    let c = results[0].campaigns[index]
    let frame = timeFrame(height: 360)
    var view = ChartView(
      id: id, title: "Latency percentiles: \(c.id)",
      summary:
        "How long each step took, by percentile: start to sent (queueing included), sent to delivered, "
        + "delivered to read, read to responded. Logarithmic time axis.",
      width: fullWidth, height: 360, frame: frame)
    // curves[span][point] over replications, in microseconds; `nil` when the span never happened.
    let curves: [[Spread]?] = latency.map { values in
      values.map { values in latencyNines.indices.map { k in Spread(values.map { Double($0[k]) }) } }
    }
    let values = curves.compactMap { $0 }.flatMap { $0.flatMap { [$0.low, $0.high] } }
    let positive = values.filter { $0 > 0 }
    let low = Double(Ticks.latencySteps.last { Double($0) <= (positive.min() ?? 1) } ?? 1)
    var high = Double(Ticks.latencySteps.first { Double($0) >= (positive.max() ?? 1) } ?? Ticks.latencySteps.last!)
    if high <= low { high = low * 10 }
    let x = LinearScale(low: latencyTicks[0].nines, high: 3, from: frame.left, to: frame.right)
    let y = LogScale(low: low, high: high, from: frame.bottom, to: frame.top)
    for tick in latencyTicks {
      let px = x(tick.nines)
      view.xTicks.append(
        .init(
          x1: f(px), y1: f(frame.top), x2: f(px), y2: f(frame.bottom), labelX: f(px), labelY: f(frame.bottom + 18),
          label: tick.label))
    }
    view.xTitle = "percentile (more nines to the right)"
    var steps = Ticks.latencySteps.filter { Double($0) >= low && Double($0) <= high }
    if steps.count > 9 { steps = steps.enumerated().filter { $0.offset % 2 == 0 }.map(\.element) }
    for step in steps {
      let py = y(Double(step))
      view.yTicks.append(
        .init(
          x1: f(frame.left), y1: f(py), x2: f(frame.right), y2: f(py), labelX: f(frame.left - 6), labelY: f(py),
          label: Format.human(step)))
    }
    view.yTitle = "latency (log scale)"
    var items: [ChartView.LegendItem] = []
    var zeroNotes: [String] = []
    for span in LatencySpan.allCases {
      let style = Palette.span(span)
      guard let curve = curves[span.rawValue] else {
        items.append(
          .init(key: "\(span): none", swatch: style.colour, isLine: true, keyDash: style.dash, keyHatched: false))
        continue
      }
      // A log axis has no place for 0 s: the curve starts at the first
      // percentile above it, and a note says how many took no time at all.
      let drawn = zip(latencyNines, curve).filter { $0.1.mean > 0 }
      func points(_ value: (Spread) -> Double) -> [Point] {
        drawn.map { Point(x: x($0.0), y: y(max(value($0.1), low))) }
      }
      let zeros = Spread(
        results.map { r in
          let h = r.campaigns[index].latency(span)
          return Double(h.countForValue(0)) / Double(h.totalCount)
        })
      if zeros.mean > 0 {
        zeroNotes.append(
          "\(span): \(Format.percent(fraction: zeros.mean, decimals: 1)) took 0 s"
            + (drawn.isEmpty ? " (all of them)" : ""))
      }
      if results.count > 1 && drawn.contains(where: \.1.hasRange) {
        view.bands.append(
          .init(bandPath: SVGPath.band(upper: points(\.high), lower: points(\.low)), bandFill: style.colour))
      }
      if !drawn.isEmpty {
        view.lines.append(
          .init(
            linePath: SVGPath.line(points(\.mean)), stroke: style.colour, dash: style.dash, strokeWidth: "2.2",
            lineName: "\(span)"))
      }
      let median = Spread(latency[span.rawValue]!.map { Double($0[latencyNines.count]) }).mean
      items.append(
        .init(
          key: "\(span) (median \(Format.human(SimTime(median.rounded()))))", swatch: style.colour, isLine: true,
          keyDash: style.dash, keyHatched: false))
    }
    view.legend = [.init(groupTitle: nil, items: items)]
    if curves.allSatisfy({ $0 == nil }) { view.notes.append("No message was sent, so there is no latency to show.") }
    let sent = Spread(results.map { Double($0.campaigns[index].latency(.startToSent).totalCount) }).mean
    if c.audience > 0 && sent < Double(c.audience) {
      let never = Double(c.audience) - sent
      view.notes.append(
        "\(Format.count(Int(never.rounded()))) of \(Format.count(c.audience)) messages "
          + "(\(percent(never, of: c.audience))) never reached sent and have no latency; each curve is over the "
          + "messages that completed its step (counts in the table below).")
    }
    if !zeroNotes.isEmpty {
      view.notes.append(
        "Not on the log axis: " + zeroNotes.joined(separator: "; ")
          + ". Those curves start at the first percentile above 0 s.")
    }
    if results.count > 1 { view.notes.append("Curves: mean of \(results.count) replications; bands: min–max.") }
    return view
  }

  struct LatencyRow {
    var span: String
    var samples: String
    var p50, p90, p99, p999, pmax: String
  }

  static func latencyRows(_ results: [RunResult], _ latency: LatencyValues, campaign index: Int) -> [LatencyRow] {
    LatencySpan.allCases.map { span in
      let histograms = results.map { $0.campaigns[index].latency(span) }
      let count = Spread(histograms.map { Double($0.totalCount) })
      let table = zip(latency[span.rawValue] ?? [], histograms).map {
        Array($0.suffix(tablePercentiles.count)) + [$1.max]
      }
      func cell(_ k: Int) -> String {
        guard count.low > 0 else { return "-" }
        return Format.human(SimTime(Spread(table.map { Double($0[k]) }).mean.rounded()))
      }
      return LatencyRow(
        span: "\(span)", samples: Format.count(Int(count.mean.rounded())), p50: cell(0), p90: cell(1), p99: cell(2),
        p999: cell(3), pmax: cell(4))
    }
  }

  // MARK: errors

  struct ErrorRow {
    var code: String
    var meaning: String
    var errorCount: String
    var share: String
    var retryable: String
    var zero: Bool
  }

  static func errorRows(_ results: [RunResult], campaign index: Int) -> [ErrorRow] {
    let dispatches = Spread(
      results.map { r in Double(r.campaigns[index].attempts.enumerated().reduce(0) { $0 + $1.offset * $1.element }) })
    let counts = ErrorCode.reportOrder.map { code in
      Spread(results.map { Double($0.campaigns[index].errorCount(code)) })
    }
    return zip(ErrorCode.reportOrder, counts).map { code, count in
      var text = Format.count(Int(count.mean.rounded()))
      if count.hasRange { text += " (\(Format.count(Int(count.low)))–\(Format.count(Int(count.high))))" }
      return ErrorRow(
        code: "\(code.rawValue)", meaning: code.meaning, errorCount: text,
        share: dispatches.mean > 0 ? Format.fixed(100 * count.mean / dispatches.mean, 2) + "%" : "-",
        retryable: code.isRetryable ? "(retried)" : "(final)", zero: count.high == 0)
    }
  }
}
