import CampaignModel
import SimKernel

/// Charts over simulated time: states (cumulative flow), throughput, the 24 h window.
extension HTMLReport {
  static let fullWidth = 1160.0
  static let fullHeight = 380.0

  static func f(_ value: Double) -> String { SVGNumber.format(value) }

  static func timeFrame(width: Double = fullWidth, height: Double = fullHeight) -> PlotFrame {
    PlotFrame(left: 72, top: 40, width: width - 72 - 72, height: height - 40 - 48)
  }

  /// Vertical grid lines with human time labels (`6h`, `1d 6h`) along the bottom.
  static func timeTicks(_ view: inout ChartView, frame: PlotFrame, x: LinearScale, end: SimTime) {
    for t in Ticks.time(upTo: end) {
      let px = x(Format.seconds(t))
      view.xTicks.append(
        .init(
          x1: f(px), y1: f(frame.top), x2: f(px), y2: f(frame.bottom), labelX: f(px), labelY: f(frame.bottom + 18),
          label: t == 0 ? "0" : Format.human(t)))
    }
    view.xTitle = "simulated time"
  }

  /// Horizontal grid lines labelled on the left (or, for `right`, on the right only).
  static func valueTicks(
    _ view: inout ChartView, frame: PlotFrame, y: LinearScale, values: [Double], right: Bool = false,
    label: (Double) -> String
  ) {
    for value in values {
      let py = y(value)
      let tick = ChartView.Tick(
        x1: f(frame.left), y1: f(py), x2: f(frame.right), y2: f(py),
        labelX: f(right ? frame.right + 6 : frame.left - 6),
        labelY: f(py), label: label(value))
      if right { view.y2Ticks.append(tick) } else { view.yTicks.append(tick) }
    }
  }

  /// Outage and throttle windows of `sender` (of every sender when `nil`), shaded behind the data.
  static func faultShades(
    _ scenario: Scenario, sender: String?, frame: PlotFrame, x: LinearScale, end: Double
  ) -> [ChartView.Shade] {
    let named = sender == nil && scenario.senders.count > 1
    var windows: [(kind: String, start: SimTime, end: SimTime, label: String, tip: String)] = []
    for o in scenario.faults.outages where sender == nil || o.sender == sender {
      let label = "outage" + (named ? " (\(o.sender))" : "")
      windows.append(
        ("outage", o.start, o.end, label, "outage on \(o.sender): \(Format.human(o.start)) to \(Format.human(o.end))"))
    }
    for t in scenario.faults.throttles where sender == nil || t.sender == sender {
      let rate = Ticks.decimal(t.mps, 2)
      let label = "throttle \(rate)/s" + (named ? " (\(t.sender))" : "")
      windows.append(
        (
          "throttle", t.start, t.end, label,
          "throttle on \(t.sender) to \(rate) msg/s: \(Format.human(t.start)) to \(Format.human(t.end))"
        ))
    }
    return windows.compactMap { w in
      let x0 = x(Format.seconds(w.start))
      let x1 = x(min(Format.seconds(w.end), end))
      guard Format.seconds(w.start) < end, x1 > x0 else { return nil }
      // A window thinner than a pixel is still drawn, so a short outage on a long axis shows.
      let width = max(x1 - x0, 1.5)
      // A label wider than its window would sit on its neighbours and the axis;
      // such windows are named in a note under the chart instead.
      let fits = width >= Double(w.label.count) * 7 + 6
      return .init(
        kind: w.kind, shadeX: f(x0), shadeY: f(frame.top), shadeWidth: f(width), shadeHeight: f(frame.height),
        shadeRight: f(x0 + width), shadeBottom: f(frame.bottom),
        shadeLabel: fits ? w.label : nil, shadeLabelX: f(x0 + width / 2), shadeLabelY: f(frame.top + 13), tip: w.tip)
    }
  }

  /// `Narrow windows: …` for shades drawn without a label, or `nil`.
  static func narrowShadesNote(_ shades: [ChartView.Shade]) -> String? {
    let narrow = shades.filter { $0.shadeLabel == nil }.map(\.tip)
    return narrow.isEmpty ? nil : "Dashed windows too narrow to label: " + narrow.joined(separator: "; ") + "."
  }

  /// A vertical marker at `seconds` with a caption above the plot; `row` staggers captions.
  static func moment(
    _ seconds: Double, text: String, kind: String, row: Int, frame: PlotFrame, x: LinearScale
  ) -> ChartView.Rule {
    let px = x(seconds)
    let anchor = px > frame.left + frame.width * 0.75 ? "end" : "start"
    return .init(
      kind: kind, rx1: f(px), ry1: f(frame.top - 4 - Double(row) * 14), rx2: f(px), ry2: f(frame.bottom),
      ruleText: text, ruleTextX: f(anchor == "end" ? px - 4 : px + 4), ruleTextY: f(frame.top - 8 - Double(row) * 14),
      ruleAnchor: anchor)
  }

  /// A horizontal level across the plot with its caption just above, at the right.
  static func level(_ py: Double, text: String, kind: String, frame: PlotFrame) -> ChartView.Rule {
    .init(
      kind: kind, rx1: f(frame.left), ry1: f(py), rx2: f(frame.right), ry2: f(py), ruleText: text,
      ruleTextX: f(frame.right - 4), ruleTextY: f(py - 5), ruleAnchor: "end")
  }

  static func stepPoints(_ set: SeriesSet, _ values: [Double], x: LinearScale, y: LinearScale) -> [Point] {
    SVGPath.steps(values.indices.map { (x(set.start($0)), x(set.end($0)), y(values[$0])) })
  }

  // MARK: cumulative flow

  static func flowChart(_ results: [RunResult], _ set: SeriesSet, campaign index: Int, id: String) -> ChartView {
    let first = results[0]
    let c = first.campaigns[index]
    let frame = timeFrame()
    var view = ChartView(
      id: id, title: "Message states over time: \(c.id)",
      summary:
        "Stacked areas: how many of the \(Format.count(c.audience)) messages are in each state at each moment of "
        + "\(Format.human(set.width * SimTime(set.buckets))) of simulated time.",
      width: fullWidth, height: fullHeight, frame: frame)
    let x = LinearScale(low: 0, high: set.endSeconds, from: frame.left, to: frame.right)
    let y = LinearScale(low: 0, high: Double(max(c.audience, 1)), from: frame.bottom, to: frame.top)
    timeTicks(&view, frame: frame, x: x, end: set.width * SimTime(set.buckets))
    valueTicks(
      &view, frame: frame, y: y, values: Ticks.linear(upTo: Double(c.audience)).filter { $0 <= Double(c.audience) }
    ) {
      Ticks.compact($0)
    }
    valueTicks(&view, frame: frame, y: y, values: [0, 0.25, 0.5, 0.75, 1].map { $0 * Double(c.audience) }, right: true)
    {
      c.audience > 0 ? "\(Int(($0 / Double(c.audience) * 100).rounded()))%" : ""
    }
    view.yTitle = "messages"
    view.y2Title = "% of audience"
    view.shades = faultShades(first.scenario, sender: c.sender, frame: frame, x: x, end: set.endSeconds)
    if let note = narrowShadesNote(view.shades) { view.notes.append(note) }

    // Every state starts the run with the whole audience queued.
    let xs = [frame.left] + (0..<set.buckets).map { x(set.end($0)) }
    func series(_ state: MessageState) -> [Double] {
      [state == .queued ? Double(c.audience) : 0]
        + set.spread(campaign: index) { Double($0[set.column(state)]) }.map(\.mean)
    }
    var lower = Array(repeating: 0.0, count: xs.count)
    for state in Palette.stackOrder {
      let values = series(state)
      let upper = zip(lower, values).map(+)
      if values.contains(where: { $0 > 0 }) {
        let top = zip(xs, upper).map { Point(x: $0, y: y($1)) }
        let bottom = zip(xs, lower).map { Point(x: $0, y: y($1)) }
        view.areas.append(
          .init(
            d: SVGPath.band(upper: top, lower: bottom), fill: Palette.state(state), name: "\(state)",
            hatched: state.isTerminal))
      }
      lower = upper
    }
    // Over replications, each boundary between two stacked states wanders: show its min–max.
    if set.replications > 1 {
      for depth in 1..<Palette.stackOrder.count {
        let states = Palette.stackOrder.prefix(depth)
        let spread = set.spread(campaign: index) { row in Double(states.reduce(0) { $0 + row[set.column($1)] }) }
        let initial = states.contains(.queued) ? Double(c.audience) : 0
        guard spread.contains(where: \.hasRange) else { continue }
        let high = zip(xs, [initial] + spread.map(\.high)).map { Point(x: $0, y: y($1)) }
        let low = zip(xs, [initial] + spread.map(\.low)).map { Point(x: $0, y: y($1)) }
        view.bands.append(.init(bandPath: SVGPath.band(upper: high, lower: low), bandFill: "#000000"))
      }
    }

    var row = 0
    let campaign = first.scenario.campaigns[index]
    if campaign.start > 0 {
      view.rules.append(
        moment(
          Format.seconds(campaign.start), text: "start \(Format.human(campaign.start))", kind: "moment", row: row,
          frame: frame, x: x))
      row += 1
    }
    let finished = results.map { $0.campaigns[index].sendingFinishedAt }
    if finished.allSatisfy({ $0 != nil }) {
      let mean = finished.map { Format.seconds($0!) }.reduce(0, +) / Double(finished.count)
      view.rules.append(
        moment(
          mean, text: "sending finished \(Format.human(SimTime(mean * 1e6)))", kind: "moment", row: row % 2,
          frame: frame, x: x))
      row += 1
    }
    if Format.seconds(campaign.windowEnd) < set.endSeconds {
      view.rules.append(
        moment(
          Format.seconds(campaign.windowEnd), text: "window ends \(Format.human(campaign.windowEnd))",
          kind: "moment", row: row % 2, frame: frame, x: x))
    }

    let states = (0..<MessageState.allCases.count).map { s in
      Spread(results.map { Double($0.campaigns[index].finalStates[s]) })
    }
    func item(_ state: MessageState) -> ChartView.LegendItem {
      let mean = states[state.rawValue].mean
      return .init(
        key: "\(state) \(Format.count(Int(mean.rounded()))) (\(percent(mean, of: c.audience)))",
        swatch: Palette.state(state), isLine: false, keyDash: "none", keyHatched: state.isTerminal)
    }
    view.legend = [
      .init(groupTitle: "success", items: [.sent, .delivered, .read, .responded].map(item)),
      .init(groupTitle: "in progress", items: [.queued, .sending, .retrying].map(item)),
      .init(groupTitle: "failure", items: [.failed, .invalidContact, .blockedOrSpam].map(item)),
    ]
    view.notes.append("Legend counts are at the end of the run.")
    if set.replications > 1 {
      view.notes.append(
        "Areas: mean of \(set.replications) replications; grey bands: min–max of each boundary between states.")
    }
    return view
  }

  // MARK: throughput

  /// Drawn up to a little past the campaign's last attempt, on buckets as fine
  /// as the runs recorded: days of reads after sending would otherwise squeeze
  /// the sending into a sliver.
  static func throughputChart(_ results: [RunResult], _ native: NativeSeries, campaign index: Int, id: String)
    -> ChartView
  {
    let first = results[0]
    let c = first.campaigns[index]
    let scenario = first.scenario
    let frame = timeFrame()
    let active = native.lastActivity(campaign: index)
    let set = SeriesSet(native, span: active.map { $0 + max($0 / 20, native.widths.max()!) })
    let buckets = set.buckets
    let end = set.end
    var view = ChartView(
      id: id, title: "Throughput: \(c.id)",
      summary:
        "Attempts, acceptances and errors per second, averaged over each \(Format.human(set.width)) bucket, "
        + "with outage and throttle windows of sender \(c.sender) shaded, until \(Format.human(end)).",
      width: fullWidth, height: fullHeight, frame: frame)
    let x = LinearScale(low: 0, high: Format.seconds(end), from: frame.left, to: frame.right)
    func rate(_ column: TimeSeries.Column) -> [Spread] {
      set.spread(campaign: index) { Double($0[column.rawValue]) / set.widthSeconds }
    }
    let sends = rate(.sends)
    let accepted = rate(.acceptances)
    let errors = rate(.errors)
    let dataTop = (sends + accepted + errors).map(\.high).max() ?? 0
    let mps = scenario.senders.first { $0.id == c.sender }?.throughputMPS
    let showsSenderMax = mps.map { dataTop > 0 && $0 <= 2 * dataTop } ?? false
    let upgradedMPS = upgradedRate(first, sender: c.sender)
    let showsUpgradedMax = upgradedMPS.map { dataTop > 0 && $0 <= 2 * dataTop } ?? false
    let top = max(dataTop, showsSenderMax ? mps! : 0, showsUpgradedMax ? upgradedMPS! : 0, 1e-9)
    let ticks = Ticks.linear(upTo: top * 1.08)
    let y = LinearScale(low: 0, high: ticks.last!, from: frame.bottom, to: frame.top)
    timeTicks(&view, frame: frame, x: x, end: end)
    valueTicks(&view, frame: frame, y: y, values: ticks) { Ticks.compact($0) }
    view.yTitle = "messages per second"
    view.shades = faultShades(scenario, sender: c.sender, frame: frame, x: x, end: Format.seconds(end))
    if let note = narrowShadesNote(view.shades) { view.notes.append(note) }

    // Every attempt is accepted or refused at its dispatch, so acceptances and
    // errors stack up to the attempts: an outage turns a column from blue to red.
    let floor = Array(repeating: 0.0, count: buckets)
    let acceptedTop = accepted.map(\.mean)
    let errorsTop = zip(acceptedTop, errors).map { $0 + $1.mean }
    func steps(_ values: [Double]) -> [Point] { stepPoints(set, values, x: x, y: y) }
    view.areas.append(
      .init(
        d: SVGPath.band(upper: steps(acceptedTop), lower: steps(floor)), fill: Palette.acceptances,
        name: "accepted", hatched: false))
    view.areas.append(
      .init(
        d: SVGPath.band(upper: steps(errorsTop), lower: steps(acceptedTop)), fill: Palette.errors, name: "errors",
        hatched: true))
    if set.replications > 1 {
      for (spread, colour) in [(sends, Palette.sends), (accepted, Palette.acceptances)]
      where spread.contains(where: \.hasRange) {
        view.bands.append(
          .init(
            bandPath: SVGPath.band(upper: steps(spread.map(\.high)), lower: steps(spread.map(\.low))),
            bandFill: colour))
      }
    }
    view.lines.append(
      .init(
        linePath: SVGPath.line(steps(sends.map(\.mean))), stroke: Palette.sends, dash: "none", strokeWidth: "1.4",
        lineName: "attempts"))
    if showsSenderMax, let mps {
      view.rules.append(
        level(y(mps), text: "sender \(c.sender) max \(Ticks.decimal(mps, 2)) msg/s", kind: "level", frame: frame))
    }
    if scenario.usesPlatformDynamics {
      throughputUpgradeMarks(
        &view, results, sender: c.sender, frame: frame, x: x, y: y, end: Format.seconds(end),
        showLevel: showsUpgradedMax)
    }
    var row = 0
    // With automatic scaling the limit that fills is the one in force in that bucket (replication 0's).
    func limit(_ b: Int) -> Int? {
      scenario.usesPlatformDynamics ? first.limit(at: set.width * SimTime(b + 1) - 1) : scenario.messagingLimit
    }
    if let rolling = set.rolling,
      let full = (0..<buckets).first(where: { b in limit(b).map { l in rolling.contains { $0[b] >= l } } ?? false }),
      let limit = limit(full)
    {
      view.rules.append(
        moment(
          set.end(full),
          text: "business \(windowText(scenario)) limit full (\(Format.count(limit))) by "
            + Format.human(set.width * SimTime(full + 1)),
          kind: "limit", row: row, frame: frame, x: x))
      row += 1
    }
    let campaign = scenario.campaigns[index]
    if campaign.windowEnd < end {
      view.rules.append(
        moment(
          Format.seconds(campaign.windowEnd), text: "window ends \(Format.human(campaign.windowEnd))",
          kind: "moment", row: row, frame: frame, x: x))
    }

    var items = [
      ChartView.LegendItem(
        key: "accepted", swatch: Palette.acceptances, isLine: false, keyDash: "none", keyHatched: false),
      .init(key: "refused with an error", swatch: Palette.errors, isLine: false, keyDash: "none", keyHatched: true),
      .init(
        key: "attempts (sends) = accepted + errors", swatch: Palette.sends, isLine: true, keyDash: "none",
        keyHatched: false),
    ]
    let kinds = Set(view.shades.map(\.kind))
    if kinds.contains("outage") {
      items.append(.init(key: "outage", swatch: "#f6d5c0", isLine: false, keyDash: "none", keyHatched: false))
    }
    if kinds.contains("throttle") {
      items.append(.init(key: "throttle", swatch: "#f8e6bf", isLine: false, keyDash: "none", keyHatched: false))
    }
    view.legend = [.init(groupTitle: nil, items: items)]
    view.notes.append(
      "Mean rate over each \(Format.human(set.width)) bucket; attempts count at their dispatch time. "
        + (end < native.span ? "Shown until shortly after the last attempt (\(Format.human(end)))." : ""))
    if buckets < 10 {
      let span = set.width * SimTime(buckets)
      let finer = TimeSeries.ladder.last { $0 <= span / 100 } ?? TimeSeries.ladder[0]
      view.notes.append(
        "Sending spans only \(buckets) bucket\(buckets == 1 ? "" : "s") of \(Format.human(set.width)) here: for a finer "
          + "picture set report: {bucket: \(Format.human(finer))} in the scenario.")
    }
    if set.replications > 1 { view.notes.append("Mean of \(set.replications) replications; bands: min–max.") }
    return view
  }

  // MARK: the 24 h messaging limit

  /// The business's rolling 24 h count of accepted messages (unique contacts)
  /// against its messaging limit; `nil` when buckets are too coarse to tell.
  static func limitChart(_ results: [RunResult], _ set: SeriesSet, id: String) -> ChartView? {
    guard let rolling = set.rolling else { return nil }
    let scenario = results[0].scenario
    // Upgrade labels stack in rows above the plot (§9); the plot keeps its height.
    let labelRows = limitLabelRows(results[0], end: set.endSeconds)
    let extra = 14.0 * Double(max(0, (labelRows.max() ?? 0)))
    let height = 320 + extra
    let frame = PlotFrame(left: 72, top: 40 + extra, width: fullWidth - 72 - 72, height: 320 - 40 - 48)
    let limitText = scenario.messagingLimit.map { Format.count($0) } ?? "unlimited"
    let window = windowText(scenario)
    var view = ChartView(
      id: id, title: "\(window) messaging limit",
      summary:
        "Contacts the business reached in the rolling \(window == "24 h" ? "24 hours" : window) before each moment, "
        + "all senders and campaigns together, against the messaging limit (\(limitText)).",
      width: fullWidth, height: height, frame: frame)
    let x = LinearScale(low: 0, high: set.endSeconds, from: frame.left, to: frame.right)
    let spread = (0..<set.buckets).map { b in Spread(rolling.map { Double($0[b]) }) }
    let top = max(spread.map(\.high).max() ?? 0, Double(largestFiniteLimit(results[0])), 1)
    let ticks = Ticks.linear(upTo: top * 1.08)
    let y = LinearScale(low: 0, high: ticks.last!, from: frame.bottom, to: frame.top)
    timeTicks(&view, frame: frame, x: x, end: set.width * SimTime(set.buckets))
    valueTicks(&view, frame: frame, y: y, values: ticks) { Ticks.compact($0) }
    view.yTitle = "contacts in last \(window)"
    view.shades = faultShades(scenario, sender: nil, frame: frame, x: x, end: set.endSeconds)
    if let note = narrowShadesNote(view.shades) { view.notes.append(note) }
    if set.replications > 1 && spread.contains(where: \.hasRange) {
      view.bands.append(
        .init(
          bandPath: SVGPath.band(
            upper: stepPoints(set, spread.map(\.high), x: x, y: y),
            lower: stepPoints(set, spread.map(\.low), x: x, y: y)),
          bandFill: Palette.acceptances))
    }
    view.lines.append(
      .init(
        linePath: SVGPath.line(stepPoints(set, spread.map(\.mean), x: x, y: y)), stroke: Palette.acceptances,
        dash: "none", strokeWidth: "2", lineName: "accepted in the last \(window)"))
    var items = [
      ChartView.LegendItem(
        key: "accepted in the rolling \(window) (unique contacts)", swatch: Palette.acceptances, isLine: true,
        keyDash: "none", keyHatched: false)
    ]
    if !results[0].limitChanges.isEmpty {
      limitSteps(&view, results, rows: labelRows, frame: frame, x: x, y: y, end: set.endSeconds)
      items.append(
        .init(
          key: "messaging limit in force (automatic scaling, \(scenario.pacing.rawValue) pacing)",
          swatch: limitStepColour, isLine: true, keyDash: "none", keyHatched: false))
    } else if let limit = scenario.messagingLimit {
      // Behind the data: a full window runs along the limit and must stay visible.
      view.backRules.append(
        level(
          y(Double(limit)), text: "messaging limit \(Format.count(limit)) per \(window)", kind: "ceiling", frame: frame)
      )
      items.append(
        .init(
          key: "messaging limit (\(scenario.pacing.rawValue) pacing)", swatch: "#e3b5cf", isLine: true,
          keyDash: "none", keyHatched: false))
    } else {
      view.notes.append("Unlimited tier: no messaging limit applies.")
    }
    view.legend = [.init(groupTitle: nil, items: items)]
    view.notes.append(
      "Largest count within each \(Format.human(set.width)) bucket; acceptances count from their dispatch time.")
    if set.replications > 1 { view.notes.append("Line: mean of \(set.replications) replications; band: min–max.") }
    return view
  }

  static func percent(_ part: Double, of whole: Int) -> String {
    whole > 0 ? Format.percent(fraction: part / Double(whole), decimals: 1) : "-"
  }
}
