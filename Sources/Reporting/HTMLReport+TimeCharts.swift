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
  static func timeTicks(
    _ view: inout ChartView, frame: PlotFrame, x: LinearScale, from start: SimTime = 0, end: SimTime
  ) {
    let times = Ticks.time(from: start, to: end)
    var labels = times.map { $0 == 0 ? "0" : Format.human($0) }
    // Human times drop seconds past an hour: a few seconds late in a run would
    // all read `2h`, so ticks after the first say how far past it they are.
    if Set(labels).count < labels.count {
      labels = times.map { $0 == times[0] ? labels[0] : "+" + Format.human($0 - times[0]) }
    }
    for (t, label) in zip(times, labels) {
      let px = x(Format.seconds(t))
      view.xTicks.append(
        .init(
          x1: f(px), y1: f(frame.top), x2: f(px), y2: f(frame.bottom), labelX: f(px), labelY: f(frame.bottom + 18),
          label: label))
    }
    view.xTitle = "simulated time"
  }

  /// Horizontal grid lines labelled on the left (or, for `right`, on the right only).
  static func valueTicks(
    _ view: inout ChartView, frame: PlotFrame, y: some ChartScale, values: [Double], right: Bool = false,
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
    _ scenario: Scenario, sender: String?, frame: PlotFrame, x: LinearScale, from start: Double = 0, end: Double
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
      let x0 = x(max(Format.seconds(w.start), start))
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

  static func stepPoints(_ set: SeriesSet, _ values: [Double], x: LinearScale, y: some ChartScale) -> [Point] {
    SVGPath.steps(values.indices.map { (x(set.start($0)), x(set.end($0)), y(values[$0])) })
  }

  /// The stretch of simulated time a campaign's states and throughput charts
  /// share, so the two line up: from 0 — or, for a campaign whose idle lead-in
  /// would fill over a third of the axis, a round time before its start — to a
  /// little after its states settled (`NativeSeries.settled`).
  struct TimeWindow: Equatable {
    var start: SimTime
    var end: SimTime
    /// The end of the bucket of the campaign's last change, when that lies past `end`.
    var lastChange: SimTime?

    var startSeconds: Double { Format.seconds(start) }
    var endSeconds: Double { Format.seconds(end) }
  }

  static func timeWindow(_ results: [RunResult], _ native: NativeSeries, campaign index: Int) -> TimeWindow {
    let begins = results[0].scenario.campaigns[index].start
    let coarsest = native.widths.max()!
    guard let activity = native.settled(campaign: index) else {
      return TimeWindow(start: 0, end: max(native.span, coarsest), lastChange: nil)
    }
    let busy = max(activity.settled, begins + coarsest)
    var start: SimTime = 0
    if begins > (busy - begins) / 2 {
      let step = Ticks.timeStep(span: busy - begins)
      start = begins / step * step
    }
    let end = busy + max((busy - start) / 20, coarsest)
    return TimeWindow(start: start, end: end, lastChange: activity.last > end ? activity.last : nil)
  }

  /// The series a campaign's time charts draw: as fine as the runs recorded, up to the window's
  /// end. Built once per campaign and shared by its charts: each build merges every campaign's rows.
  static func windowSet(_ native: NativeSeries, _ window: TimeWindow, _ scenario: Scenario) -> SeriesSet {
    SeriesSet(native, span: window.end, window: scenario.limitWindow)
  }

  /// Buckets of `set` that reach into `window`, each with its edges clamped to the window.
  static func visibleBuckets(_ set: SeriesSet, _ window: TimeWindow) -> [(bucket: Int, x0: Double, x1: Double)] {
    (0..<set.buckets).compactMap { b in
      guard set.end(b) > window.startSeconds, set.start(b) < window.endSeconds else { return nil }
      return (b, max(set.start(b), window.startSeconds), min(set.end(b), window.endSeconds))
    }
  }

  // MARK: cumulative flow

  static func flowChart(
    _ results: [RunResult], _ set: SeriesSet, _ window: TimeWindow, campaign index: Int, id: String
  ) -> ChartView {
    let first = results[0]
    let c = first.campaigns[index]
    let frame = timeFrame()
    let visible = visibleBuckets(set, window)
    var view = ChartView(
      id: id, title: "Message states over time: \(c.id)",
      summary:
        "Stacked areas: how many of the \(Format.count(c.audience)) messages are in each state at each moment from "
        + "\(window.start == 0 ? "0" : Format.human(window.start)) to \(Format.human(window.end)) of simulated time.",
      width: fullWidth, height: fullHeight, frame: frame)
    let x = LinearScale(low: window.startSeconds, high: window.endSeconds, from: frame.left, to: frame.right)
    let y = LinearScale(low: 0, high: Double(max(c.audience, 1)), from: frame.bottom, to: frame.top)
    timeTicks(&view, frame: frame, x: x, from: window.start, end: window.end)
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
    view.shades = faultShades(
      first.scenario, sender: c.sender, frame: frame, x: x, from: window.startSeconds, end: window.endSeconds)
    if let note = narrowShadesNote(view.shades) { view.notes.append(note) }

    // The window starts no later than the campaign, so every message is still queued there.
    let xs = [x(window.startSeconds)] + visible.map { x($0.x1) }
    func series(_ state: MessageState) -> [Double] {
      let spread = set.spread(campaign: index) { Double($0[set.column(state)]) }
      return [state == .queued ? Double(c.audience) : 0] + visible.map { spread[$0.bucket].mean }
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
        guard visible.contains(where: { spread[$0.bucket].hasRange }) else { continue }
        let high = zip(xs, [initial] + visible.map { spread[$0.bucket].high }).map { Point(x: $0, y: y($1)) }
        let low = zip(xs, [initial] + visible.map { spread[$0.bucket].low }).map { Point(x: $0, y: y($1)) }
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
      // (The window always reaches past a campaign's last send.)
      view.rules.append(
        moment(
          mean, text: "sending finished \(Format.human(SimTime(mean * 1e6)))", kind: "moment", row: row % 2,
          frame: frame, x: x))
      row += 1
    }
    if campaign.windowEnd < window.end {
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
    if let last = window.lastChange {
      view.notes.append(
        "Shown until sending and delivery had settled (99.9 % of their changes), as the throughput chart is; "
          + "reads, responses and the last stragglers go on until \(Format.human(last)), past the right edge.")
    }
    if set.replications > 1 {
      view.notes.append(
        "Areas: mean of \(set.replications) replications; grey bands: min–max of each boundary between states.")
    }
    return view
  }

  // MARK: throughput

  /// On the campaign's shared time window, on buckets as fine as the runs
  /// recorded. Bucket means hide bursts (a sender at 80 msg/s that idles
  /// between bursts averages 28), so a line also marks each bucket's busiest second.
  static func throughputChart(
    _ results: [RunResult], _ set: SeriesSet, _ window: TimeWindow, campaign index: Int, id: String
  ) -> ChartView {
    let first = results[0]
    let c = first.campaigns[index]
    let scenario = first.scenario
    let frame = timeFrame()
    let visible = visibleBuckets(set, window)
    let peakWindow = set.width >= Time.second ? "second" : "\(Format.human(set.width)) bucket"
    var view = ChartView(
      id: id, title: "Throughput: \(c.id)",
      summary:
        "Attempts, acceptances and errors per second, averaged over each \(Format.human(set.width)) bucket, "
        + "the busiest \(peakWindow) of each bucket, "
        + "with outage and throttle windows of sender \(c.sender) shaded, from "
        + "\(window.start == 0 ? "0" : Format.human(window.start)) to \(Format.human(window.end)).",
      width: fullWidth, height: fullHeight, frame: frame)
    let x = LinearScale(low: window.startSeconds, high: window.endSeconds, from: frame.left, to: frame.right)
    func rate(_ column: TimeSeries.Column) -> [Spread] {
      let all = set.spread(campaign: index) { Double($0[column.rawValue]) / set.widthSeconds }
      return visible.map { all[$0.bucket] }
    }
    let sends = rate(.sends)
    let accepted = rate(.acceptances)
    let errors = rate(.errors)
    let peaks = visible.map { v in Spread(set.peaks.map { $0[index][v.bucket] }) }
    let dataTop = (sends + accepted + errors + peaks).map(\.high).max() ?? 0
    let mps = scenario.senders.first { $0.id == c.sender }?.throughputMPS
    let showsSenderMax = mps.map { dataTop > 0 && $0 <= 2 * dataTop } ?? false
    let upgradedMPS = upgradedRate(first, sender: c.sender)
    let showsUpgradedMax = upgradedMPS.map { dataTop > 0 && $0 <= 2 * dataTop } ?? false
    let top = max(dataTop, showsSenderMax ? mps! : 0, showsUpgradedMax ? upgradedMPS! : 0, 1e-9)
    let ticks = Ticks.linear(upTo: top * 1.08)
    let y = LinearScale(low: 0, high: ticks.last!, from: frame.bottom, to: frame.top)
    timeTicks(&view, frame: frame, x: x, from: window.start, end: window.end)
    valueTicks(&view, frame: frame, y: y, values: ticks) { Ticks.compact($0) }
    view.yTitle = "messages per second"
    view.shades = faultShades(
      scenario, sender: c.sender, frame: frame, x: x, from: window.startSeconds, end: window.endSeconds)
    if let note = narrowShadesNote(view.shades) { view.notes.append(note) }

    // Every attempt is accepted or refused at its dispatch, so acceptances and
    // errors stack up to the attempts: an outage turns a column from blue to red.
    let floor = Array(repeating: 0.0, count: visible.count)
    let acceptedTop = accepted.map(\.mean)
    let errorsTop = zip(acceptedTop, errors).map { $0 + $1.mean }
    func steps(_ values: [Double]) -> [Point] {
      SVGPath.steps(zip(visible, values).map { (x($0.x0), x($0.x1), y($1)) })
    }
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
    // Where the busiest second equals the mean (steady sending) the two lines
    // coincide; the peak's dashes keep the mean's solid line visible through it.
    let showsPeaks = set.width > Time.second
    if showsPeaks {
      view.lines.append(
        .init(
          linePath: SVGPath.line(steps(peaks.map(\.mean))), stroke: Palette.sends, dash: "5 3",
          strokeWidth: "1.6", lineName: "busiest second"))
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
        &view, results, sender: c.sender, frame: frame, x: x, y: y, from: window.startSeconds,
        end: window.endSeconds, showLevel: showsUpgradedMax)
    }
    var row = 0
    // With automatic scaling the limit that fills is the one in force in that bucket (replication 0's).
    func limit(_ b: Int) -> Int? {
      scenario.usesPlatformDynamics ? first.limit(at: set.width * SimTime(b + 1) - 1) : scenario.messagingLimit
    }
    if let rolling = set.rolling,
      let full = visible.first(where: { v in
        limit(v.bucket).map { l in rolling.contains { $0[v.bucket] >= l } } ?? false
      }),
      let limit = limit(full.bucket)
    {
      view.rules.append(
        moment(
          full.x1,
          text: "business \(windowText(scenario)) limit full (\(Format.count(limit))) by "
            + Format.human(set.width * SimTime(full.bucket + 1)),
          kind: "limit", row: row, frame: frame, x: x))
      row += 1
    }
    let campaign = scenario.campaigns[index]
    if campaign.windowEnd < window.end {
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
        key: "attempts (sends) = accepted + errors, bucket mean", swatch: Palette.sends, isLine: true,
        keyDash: "none", keyHatched: false),
    ]
    if showsPeaks {
      items.append(
        .init(
          key: "attempts in the bucket's busiest second", swatch: Palette.sends, isLine: true, keyDash: "5 3",
          keyHatched: false))
    }
    let kinds = Set(view.shades.map(\.kind))
    if kinds.contains("outage") {
      items.append(.init(key: "outage", swatch: Palette.outageShade, isLine: false, keyDash: "none", keyHatched: false))
    }
    if kinds.contains("throttle") {
      items.append(
        .init(key: "throttle", swatch: Palette.throttleShade, isLine: false, keyDash: "none", keyHatched: false))
    }
    view.legend = [.init(groupTitle: nil, items: items)]
    view.notes.append(
      "Areas and the solid line: mean rate over each \(Format.human(set.width)) bucket"
        + (showsPeaks ? "; dashed line: the most attempts in one second of it" : "")
        + "; attempts count at their dispatch time.")
    if visible.count < 10 {
      let span = window.end - window.start
      let finer = TimeSeries.ladder.last { $0 <= span / 100 } ?? TimeSeries.ladder[0]
      view.notes.append(
        "This campaign spans only \(visible.count) bucket\(visible.count == 1 ? "" : "s") of \(Format.human(set.width)) "
          + "here: for a finer picture set report: {bucket: \(Format.human(finer))} in the scenario.")
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
    // Scaling climbs tiers tenfold apart: on a linear axis reaching 1M, the
    // 2K and 10K steps (and the data running along them) lie flat on the floor.
    let smallest = ([scenario.messagingLimit] + results[0].limitChanges.map(\.to)).compactMap { $0 }.min()
    let ticks: [Double]
    let y: any ChartScale
    if let smallest, smallest > 0, top / Double(smallest) >= 50 {
      ticks = Ticks.logarithmic(below: Double(smallest), upTo: top * 1.08)
      y = LogScale(low: ticks.first!, high: ticks.last!, from: frame.bottom, to: frame.top)
      view.notes.append(
        "Logarithmic scale, so that every tier shows: counts under \(Ticks.compact(ticks.first!)) sit on the "
          + "bottom edge.")
    } else {
      ticks = Ticks.linear(upTo: top * 1.08)
      y = LinearScale(low: 0, high: ticks.last!, from: frame.bottom, to: frame.top)
    }
    timeTicks(&view, frame: frame, x: x, end: set.width * SimTime(set.buckets))
    valueTicks(&view, frame: frame, y: y, values: ticks) { value in
      // A log axis' last tick (2M) sits a fraction of a decade above the one before (1M):
      // its label would print over its neighbour's.
      let crowded = ticks.count > 1 && value == ticks.last! && abs(y(value) - y(ticks[ticks.count - 2])) < 18
      return crowded ? "" : Ticks.compact(value)
    }
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
          key: "messaging limit (\(scenario.pacing.rawValue) pacing)", swatch: Palette.limitBand, isLine: true,
          keyDash: "none", keyHatched: false))
    } else {
      // Nothing caps the line; the tiers it climbed past say which limit this run needed.
      let peak = spread.map(\.high).max() ?? 0
      let tiers = ScalingPolicy().tiers.compactMap { $0 }
      // Tiers in the bottom fifteenth of the axis would stack their labels on one another.
      let drawn = tiers.filter { Double($0) <= ticks.last! && Double($0) >= ticks.last! / 15 }
      for tier in drawn {
        view.backRules.append(
          level(y(Double(tier)), text: "\(Ticks.compact(Double(tier))) tier", kind: "tier", frame: frame))
      }
      if !drawn.isEmpty {
        items.append(
          .init(
            key: "tier limits, for reference", swatch: Palette.tierReference, isLine: true, keyDash: "2 4",
            keyHatched: false))
      }
      let needed = tiers.first { Double($0) >= peak }
      view.notes.append(
        "Unlimited tier: no limit caps this line. It peaks at \(Format.count(Int(peak.rounded()))) contacts in "
          + "a rolling \(window); "
          + (needed.map { "the \(Format.count($0)) tier would have carried this run without a refusal." }
            ?? "more than the \(Format.count(tiers.last ?? 0)) tier allows: only unlimited carries it."))
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
