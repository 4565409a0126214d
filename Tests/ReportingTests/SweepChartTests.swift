import Foundation
import RunPlan
import Testing

@testable import Analysis
@testable import Reporting

/// sweep.html on report.html's chart engine (issue 11, item 5). Pixel values are derived from
/// `SweepChart.frame` with short y labels: left 80, top 30, 1040 × 350, so x = 80 + 1040 · share and
/// y = 380 − 350 · share.
@Suite struct SweepChartTests {
  static func sweep(_ axes: [SweepAxis], figure: String, values: [Double?]) -> SweepResult {
    let points = Sweep.grid(axes)
    precondition(points.count == values.count)
    let tables = values.map { FigureTable(names: [figure], statistics: [FigureStatistics(values: [$0])]) }
    return SweepResult(axes: axes, points: points, figures: tables, runs: points.count)
  }

  static func view(_ sweep: SweepResult, figure: String) -> ChartView {
    SweepChart.view(
      SweepReport.plot(
        busyScenario(), id: "sweep", title: "t", axes: sweep.axes, points: sweep.points,
        values: sweep.figures.map { $0[figure]?.mean ?? nil }, lowerBounds: [],
        unit: Figures.kind(ofName: figure)?.unit, yTitle: figure, full: { Format.figure($0, name: figure) },
        missing: "-"))
  }

  static let outage = SweepAxis(
    path: "faults.outages[0].duration", values: ["0s", "30m", "1h", "2h", "4h"].map { .string($0) })

  @Test func durationsArePlacedToScaleWithHumanTicks() {
    let sweep = Self.sweep([Self.outage], figure: "promo.drained_at", values: [600, 1200, 1800, 3600, 7200])
    let view = Self.view(sweep, figure: "promo.drained_at")
    // 0 … 4 h in eight 30 m steps (Ticks.time): 30 m is 1040 / 8 = 130 px from the left edge.
    #expect(view.markers.map(\.markerX) == ["80", "210", "340", "600", "1120"])
    #expect(view.xTicks.map(\.label) == ["0", "30m", "1h", "1h 30m", "2h", "2h 30m", "3h", "3h 30m", "4h"])
    // y: 0 … 2 h in 30 m steps (at most six); 1 h is half way up, 2 h at the top.
    #expect(view.yTicks.map(\.label) == ["0", "30m", "1h", "1h 30m", "2h"])
    #expect(view.markers.map(\.markerY).suffix(2) == ["205", "30"])
    #expect(view.xTitle == "duration of outage 1")
    #expect(view.bars.isEmpty && view.lines.count == 1)
  }

  @Test func logScaleOnlyWhenValuesSpanDecades() {
    let tiers = SweepChart.axis([250, 2000, 10000, 100_000], quantity: .count, maxTicks: 8)
    #expect(tiers.log)
    #expect((tiers.low, tiers.high) == (200, 100_000))
    #expect(tiers.ticks.map(tiers.label) == ["200", "500", "1K", "2K", "5K", "10K", "20K", "50K", "100K"])
    // 2 000 is log10(2000/200) = 1 of log10(100000/200) ≈ 2.699 decades along.
    let x = tiers.scale(from: 80, to: 1120)
    #expect(SVGNumber.format(x(2000)) == SVGNumber.format(80 + 1040 / log10(500.0)))
    #expect(SVGNumber.format(x(2000)) == "465.3")

    let rates = SweepChart.axis([40, 80, 160, 1000], quantity: .count, maxTicks: 8)
    #expect(!rates.log, "25× is not decades")
    #expect(rates.ticks == [0, 200, 400, 600, 800, 1000])

    // Error rates 0 … 0.1 in 2.5 % steps would read 0.03, 0.05, 0.08 with two decimals.
    let errorRates = SweepChart.axis([0, 0.1], quantity: .count, maxTicks: 4)
    #expect(errorRates.ticks.map(errorRates.label) == ["0", "0.025", "0.05", "0.075", "0.1"])

    let shares = SweepChart.axis([0.01, 0.9], quantity: .fraction, maxTicks: 6)
    #expect(!shares.log, "shares are read against 0 % and 100 %")

    let times = SweepChart.axis([1, 86_400], quantity: .seconds, maxTicks: 6)
    #expect(times.log)
    #expect(times.ticks.map(times.label) == ["1s", "10s", "1m", "10m", "1h", "6h", "1d"])
  }

  @Test func linesCloseInOnValuesFarFromZeroButBarsDoNot() {
    // 1d 12h 0m 52s and 1d 12h 20m 52s: 20 minutes apart, a day and a half from zero. Ticks
    // 5 m apart (20 m / 5 m = 4 intervals, the first step giving at most 6) around them.
    let values = [129_652.0, 130_852]
    let lines = SweepChart.axis(values, quantity: .seconds, maxTicks: 6, fromZero: false)
    #expect(
      lines.ticks.map(lines.label) == ["1d 12h", "1d 12h 5m", "1d 12h 10m", "1d 12h 15m", "1d 12h 20m", "1d 12h 25m"])
    // Ten characters at 7 px and 34 px for the gap and the axis title: 104 px, not 80.
    #expect(SweepChart.frame(yLabels: lines.ticks.map(lines.label)).left == 104)
    #expect(SweepChart.frame(yLabels: ["1h 30m"]).left == 80)
    let bars = SweepChart.axis(values, quantity: .seconds, maxTicks: 6)
    #expect(bars.low == 0)
    // An x axis the same: 1000 … 1200 in 25s (200 / 25 = 8 intervals, the first 1-2-2.5-5 step
    // giving at most 8), not crowded at the right of 0 … 1200.
    let x = SweepChart.axis([1000, 1100, 1200], quantity: .count, maxTicks: 8, fromZero: false)
    #expect((x.low, x.high, x.ticks.count) == (1000, 1200, 9))
    // Spread wide compared with the distance from zero: the axis keeps its zero.
    #expect(SweepChart.axis([600, 7200], quantity: .seconds, maxTicks: 6, fromZero: false).low == 0)
  }

  @Test func categoricalParameterDrawsGroupedBars() {
    let axes = [
      SweepAxis(path: "pacing", values: [.string("naive"), .string("limit_aware")]),
      SweepAxis(path: "senders.fast.throughput_mps", values: [.int(80), .int(1000)]),
    ]
    let sweep = Self.sweep(axes, figure: "promo.delivered_fraction", values: [0.5, 0.75, 1, 1])
    let view = Self.view(sweep, figure: "promo.delivered_fraction")
    #expect(view.lines.isEmpty && view.markers.isEmpty)
    #expect(view.bars.count == 4)
    // Two groups of 520 px; two bars of min(520 · 0.8 / 2, 120) = 120 px centred in each,
    // 1 px apart from each side.
    #expect(view.bars.map(\.barX) == ["221", "341", "741", "861"])
    #expect(view.bars.map(\.barWidth) == ["118", "118", "118", "118"])
    #expect(view.bars.map(\.valueText) == ["50.0%", "75.0%", "100.0%", "100.0%"])
    #expect(view.bars[0].barFill != view.bars[1].barFill)
    #expect(view.labels.map(\.text) == ["naive", "limit_aware"])
    #expect(
      view.legend.first?.items.map(\.key) == [
        "throughput (msg/s) of sender fast = 80", "throughput (msg/s) of sender fast = 1000",
      ])
    #expect(view.xTitle == "pacing")
  }

  @Test func onePointIsOneBar() {
    let sweep = Self.sweep([], figure: "promo.delivered_fraction", values: [0.9])
    let view = Self.view(sweep, figure: "promo.delivered_fraction")
    #expect(view.bars.count == 1 && view.lines.isEmpty)
    #expect(view.bars[0].valueText == "90.0%")
  }

  @Test func identicalSeriesStayDistinguishable() {
    let axes = [
      SweepAxis(path: "senders.fast.throughput_mps", values: [.int(40), .int(80)]),
      SweepAxis(path: "faults.transient_error_rate", values: [.int(0), .double(0.1)]),
    ]
    let sweep = Self.sweep(axes, figure: "messages", values: [10, 10, 10, 10])
    let view = Self.view(sweep, figure: "messages")
    #expect(view.lines.count == 2)
    #expect(view.lines[0].linePath == view.lines[1].linePath, "the same values draw the same path")
    #expect(view.lines[0].dash != view.lines[1].dash)
    #expect(view.lines[0].stroke != view.lines[1].stroke)
    // Markers come series by series: 40 and 80 of the first, then of the second.
    #expect(view.markers.count == 4)
    #expect(view.markers[0].markerShape != view.markers[2].markerShape)
    #expect(view.markers[0].markerX == view.markers[2].markerX && view.markers[0].markerY == view.markers[2].markerY)
    #expect(view.markers[0].markerTip == "transient error rate = 0, throughput (msg/s) of sender fast = 40: 10")
    #expect(
      view.notes == [
        "Identical at every point, drawn over each other: transient error rate = 0; transient error rate = 0.1."
      ])
    let keys = view.legend.first?.items ?? []
    #expect(keys.count == 2 && keys[0].keyMarker != keys[1].keyMarker && keys[0].keyDash != keys[1].keyDash)
  }

  @Test func notesUnderAChartListAFewPointsNotAThousand() {
    #expect(SweepChart.listed(["a", "b", "c"], limit: 2) == "a; b and 1 more")
    #expect(SweepChart.listed(["a", "b"], limit: 2) == "a; b")
  }

  @Test func parameterPathsReadAsWords() {
    #expect(ParameterLabel.text("senders.main.throughput_mps") == "throughput (msg/s) of sender main")
    #expect(ParameterLabel.text("business.messaging_limit") == "messaging limit")
    #expect(ParameterLabel.text("campaigns.promo.audience") == "audience of campaign promo")
    #expect(ParameterLabel.text("pacing") == "pacing")
    #expect(ParameterLabel.text("faults.outages[0].duration") == "duration of outage 1")
    #expect(ParameterLabel.text("campaigns.promo.contacts.invalid") == "invalid contacts of campaign promo")
    #expect(ParameterLabel.text("retry.max_retries") == "max retries")
    // Ids may contain dots: the scenario's ids are matched first.
    #expect(
      ParameterLabel.text("campaigns.eu.promo.audience", campaigns: ["eu.promo"]) == "audience of campaign eu.promo")
    #expect(ParameterLabel.text("campaigns.eu.promo.audience") == "audience promo of campaign eu")
    // Anything else is shown as written.
    #expect(ParameterLabel.text("a..b") == "a..b")
    #expect(ParameterLabel.text("faults.outages[x].duration") == "faults.outages[x].duration")
    #expect(ParameterLabel.text("senders.") == "senders.")
    #expect(ParameterLabel.figure("promo.delivered_fraction") == "delivered fraction (campaign promo)")
    #expect(ParameterLabel.figure("promo.drained_at") == "drained at (campaign promo)")
    #expect(ParameterLabel.figure("messages") == "messages")
  }

  /// Checks a sweep page the way report.html is checked: a real XML parser, nothing fetched,
  /// the one stylesheet, no trace of the old hand-written SVG.
  static func checkPage(_ html: String) throws -> Element {
    let root = try parseXML(html)
    #expect(root.name == "html")
    #expect(!html.contains("<polyline") && !html.contains("SVGChart"))
    #expect(html.contains(HTMLTemplate.style), "report.html's stylesheet, byte for byte")
    #expect(!root.all.contains { ["script", "link", "img", "iframe"].contains($0.name) })
    #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("@import"))
    var rest = html[...]
    while let url = rest.range(of: "url(") {
      #expect(rest[url.upperBound...].hasPrefix("#"), "only patterns defined on the page")
      rest = rest[url.upperBound...]
    }
    return root
  }

  @Test func sweepPageIsWellFormedSelfContainedAndReadable() throws {
    let axes = [
      SweepAxis(path: "senders.fast.throughput_mps", values: [.int(40), .int(80)]),
      SweepAxis(path: "faults.transient_error_rate", values: [.int(0), .double(0.1)]),
    ]
    let sweep = Self.sweep(axes, figure: "promo.delivered_fraction", values: [0.9, 0.96, 0.97, 0.99])
    let html = SweepReport.html(
      sweep, scenario: busyScenario(),
      thresholds: [Threshold(figure: "promo.delivered_fraction", comparison: .greaterOrEqual, value: 0.95)],
      figure: "promo.delivered_fraction")
    let root = try Self.checkPage(html)
    let figure = try #require(root.first(id: "sweep"))
    #expect(figure.all.filter { $0.classes.contains("marker") }.count == 4)
    let heads = try #require(root.first(id: "points")).all.filter { $0.name == "th" }
    #expect(heads.map(\.text).first == "throughput (msg/s) of sender fast")
    #expect(heads.first?.attributes["title"] == "senders.fast.throughput_mps")
    let cells = try #require(root.first(id: "points")).all.filter { $0.name == "td" }
    // Four points of four cells; the first point misses 95 %.
    #expect(cells.count == 16)
    #expect(cells[3].classes == ["bad"] && cells[7].classes == ["good"])
    #expect(cells[0].classes == ["num"] && cells[2].classes == ["num"])
    #expect(html.contains("<code>senders.fast.throughput_mps</code>"))
  }

  @Test func capacityPageShowsLowerBoundsAndNoneApart() throws {
    let axes = [SweepAxis(path: "business.messaging_limit", values: [.int(250), .int(2000), .int(100_000)])]
    let points = Sweep.grid(axes)
    let table = FigureTable(names: ["promo.delivered_fraction"], statistics: [FigureStatistics(values: [1])])
    func answer(_ p: Int, _ status: CapacityAnswer.Status, _ value: Int?) -> CapacityAnswer {
      CapacityAnswer(
        point: points[p], status: status, value: value, figures: table, firstFailing: nil, failedConditions: [],
        probes: [(1, status != .none)])
    }
    let capacity = CapacityResult(
      axes: axes, search: FindMax(parameter: "campaigns.promo.audience", until: [], high: 1_000_000),
      answers: [answer(0, .none, nil), answer(1, .found, 4210), answer(2, .atLeast, 1_000_000)], runs: 3)
    let html = SweepReport.html(capacity, scenario: busyScenario(), figure: "promo.delivered_fraction")
    let root = try Self.checkPage(html)
    let figure = try #require(root.first(id: "capacity"))
    let markers = figure.all.filter { $0.classes.contains("marker") }
    // `none` has nothing to draw; `≥ 1,000,000` is hollow.
    #expect(markers.count == 2)
    #expect(markers.map { $0.attributes["fill"] } == [Palette.series[0], "#ffffff"])
    #expect(markers.last?.children.first?.text.hasSuffix(": ≥ 1,000,000") == true)
    let bounds = figure.all.filter { $0.classes.contains("category") && $0.text == "≥" }
    // 100 000 is the log axis's top (200 … 100 000): the plot's right edge, 80 + 1040.
    #expect(bounds.map { $0.attributes["x"] } == ["1120"])
    #expect(html.contains("none (nothing to draw) at: messaging limit = 250."))
    #expect(html.contains("max audience of campaign promo (log scale)"))
    let cells = try #require(root.first(id: "points")).all.filter { $0.name == "td" }
    // One parameter, then max, first failing, fails there, the figure and probes.
    #expect(cells.count == 3 * 6)
    #expect([cells[1], cells[7], cells[13]].map(\.text) == ["none ≥ 1", "4,210", "≥ 1,000,000"])
    // Whole-number parameters are grouped like the answers beside them.
    #expect([cells[0], cells[6], cells[12]].map(\.text) == ["250", "2,000", "100,000"])
    #expect([cells[1], cells[7], cells[13]].map(\.classes) == [["num", "bad"], ["num"], ["num", "partial"]])
  }
}
