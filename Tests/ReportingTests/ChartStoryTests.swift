import CampaignModel
import SimKernel
import Testing

@testable import Reporting

/// report.html's charts tell the run's story (issue 11 item 4): each test fails on the
/// charts as they were before.
@Suite struct ChartStoryTests {
  /// `a` sends 800 at 80 msg/s in the first 10 s; `b`, on its own sender, sends 80 in one
  /// second from 2 h. Fixed latencies of 0 and 1 s buckets make every edge exact.
  static func twoCampaigns() -> Scenario {
    Scenario(
      name: "apart", seed: 1, senders: [Sender(id: "s", throughputMPS: 80), Sender(id: "t", throughputMPS: 80)],
      campaigns: [
        Campaign(id: "a", sender: "s", audience: 800),
        Campaign(id: "b", sender: "t", start: 2 * Time.hour, audience: 80),
      ],
      bucket: Time.second)
  }

  /// `a` settles at the end of its tenth 1 s bucket: the window is [0, 10 s + max(10 s / 20, 1 s)].
  /// `b` starts at 2 h, so an axis from 0 would be idle for all but a sliver: its window starts at
  /// 2 h (a whole 200 ms step, the step for a 1 s span) and ends 1 s after it settles at 2 h 1 s.
  /// Before, both charts ran over the whole run, past 2 h.
  @Test func eachCampaignsChartsShareOneWindowZoomedToItsActivity() throws {
    let result = Simulation(scenario: Self.twoCampaigns()).run()
    let native = NativeSeries([result])
    let a = HTMLReport.timeWindow([result], native, campaign: 0)
    #expect(a == .init(start: 0, end: 11 * Time.second, lastChange: nil))
    let b = HTMLReport.timeWindow([result], native, campaign: 1)
    #expect(b == .init(start: 2 * Time.hour, end: 2 * Time.hour + 2 * Time.second, lastChange: nil))

    let flow = HTMLReport.flowChart([result], HTMLReport.windowSet(native, a, result.scenario), a, campaign: 0, id: "f")
    let throughput = HTMLReport.throughputChart(
      [result], HTMLReport.windowSet(native, a, result.scenario), a, campaign: 0, id: "t")
    #expect(flow.xTicks.map(\.label) == ["0", "2s", "4s", "6s", "8s", "10s"])
    #expect(flow.xTicks.map(\.x1) == throughput.xTicks.map(\.x1))
    #expect(flow.xTicks.map(\.label) == throughput.xTicks.map(\.label))
    let later = HTMLReport.flowChart(
      [result], HTMLReport.windowSet(native, b, result.scenario), b, campaign: 1, id: "g")
    // 2h, 2h 0.5s … all read "2h" in whole units: past the first, ticks count from it.
    #expect(later.xTicks.map(\.label) == ["2h", "+500ms", "+1s", "+1.500s", "+2s"])
    // The page uses these windows.
    let root = try parseXML(HTMLReport.render(result, engine: nil))
    let labels = try #require(root.first(id: "c0-flow")).all.filter { $0.name == "text" }.map(\.text)
    #expect(labels.contains("10s") && !labels.contains("1h"))
  }

  /// A tail of late reads does not stretch the axis: the window stops when 99.9 % of the
  /// sending changes had happened and a note says where the last change lies.
  @Test func aLongTailIsNamedNotDrawn() throws {
    let result = HTMLReportTests.result
    let native = NativeSeries([result])
    let window = HTMLReport.timeWindow([result], native, campaign: 0)
    let last = try #require(window.lastChange)
    #expect(window.end < last && last <= native.span)
    let flow = HTMLReport.flowChart(
      [result], HTMLReport.windowSet(native, window, result.scenario), window, campaign: 0, id: "f")
    #expect(flow.notes.contains { $0.contains("go on until \(Format.human(last)), past the right edge") })
  }

  /// 80 msg/s for 10 s in a 1-minute bucket averages 13.3 msg/s: the busiest second (80) is
  /// drawn, and the y axis reaches the sender's maximum, which is then marked.
  @Test func throughputShowsTheBusiestSecondOfEachBucket() throws {
    var scenario = Self.twoCampaigns()
    scenario.bucket = Time.minute
    let result = Simulation(scenario: scenario).run()
    let native = NativeSeries([result])
    let window = HTMLReport.timeWindow([result], native, campaign: 0)
    let chart = HTMLReport.throughputChart(
      [result], HTMLReport.windowSet(native, window, result.scenario), window, campaign: 0, id: "t")
    let peak = try #require(chart.lines.first { $0.lineName == "busiest second" })
    let mean = try #require(chart.lines.first { $0.lineName == "attempts" })
    #expect(peak.dash != mean.dash)
    // y runs from the frame's bottom (0) to its top (the last tick): 80 sits at its share.
    let frame = HTMLReport.timeFrame()
    let top = try #require(Double(chart.yTicks.last!.label))
    let y80 = HTMLReport.f(frame.bottom - 80 / top * frame.height)
    #expect(peak.linePath.hasPrefix("M\(HTMLReport.f(frame.left)),\(y80)"), "\(peak.linePath)")
    #expect(chart.rules.contains { $0.ruleText == "sender s max 80 msg/s" })
  }

  /// 0 s cannot sit on a log axis: a span that always took 0 s draws no curve and says so,
  /// and messages that never reached sent are counted.
  @Test func latencyNamesZerosAndTheUnsent() throws {
    let scenario = Scenario(
      name: "cut", seed: 3, senders: [Sender(id: "s", throughputMPS: 80)],
      campaigns: [
        Campaign(
          id: "c", sender: "s", window: 5 * Time.second, audience: 800,
          latency: Latencies(api: .fixed(Time.second), deliver: .fixed(0)))
      ])
    let result = Simulation(scenario: scenario).run()
    let sent = Int(result.campaigns[0].latency(.startToSent).totalCount)
    #expect(sent > 0 && sent < 800)
    let chart = HTMLReport.latencyChart(
      [result], HTMLReport.latencyValues([result], campaign: 0), campaign: 0, id: "l")
    #expect(!chart.lines.contains { $0.lineName == "sent_to_delivered" })
    #expect(chart.lines.contains { $0.lineName == "start_to_sent" })
    #expect(chart.notes.contains { $0.contains("sent_to_delivered: 100.0% took 0 s (all of them)") })
    #expect(chart.notes.contains { $0.hasPrefix("\(Format.count(800 - sent)) of 800 messages") })

    let all = Simulation(scenario: Self.twoCampaigns()).run()
    let everyone = HTMLReport.latencyChart([all], HTMLReport.latencyValues([all], campaign: 0), campaign: 0, id: "m")
    #expect(!everyone.notes.contains { $0.contains("never reached sent") })
  }

  /// One colour per meaning: no colour stands for two things, and a failure reason wears the
  /// colour of the state it ends messages in.
  @Test func oneColourPerMeaning() {
    var seen: [String: String] = [:]
    for (meaning, colour) in Palette.meanings {
      #expect(seen[colour.lowercased()] == nil, "\(colour) means \(seen[colour.lowercased()] ?? "") and \(meaning)")
      seen[colour.lowercased()] = meaning
    }
    #expect(Palette.reason(.expired) == Palette.state(.failed))
    #expect(Palette.reason(.messagingLimit) == Palette.state(.blockedOrSpam))
    #expect(Palette.reason(.invalid) == Palette.state(.invalidContact))
  }
}

extension ChartStoryTests {
  /// With no limit there is no line to meet: the chart says so, draws the tiers the count
  /// climbed past for reference, and names the smallest tier that would have carried the run.
  /// 800 contacts: the 2 000 tier would have (250 did not), and the axis (to 1 000) shows 250.
  @Test func anUnlimitedLimitChartSaysWhichTierWouldHaveDone() throws {
    let result = Simulation(scenario: Self.twoCampaigns()).run()
    let chart = try #require(HTMLReport.limitChart([result], SeriesSet([result]), id: "limit"))
    #expect(chart.backRules.map(\.ruleText) == ["250 tier"])
    #expect(
      chart.notes.contains {
        $0.hasPrefix("Unlimited tier: no limit caps this line. It peaks at 880 contacts")
          && $0.contains("the 2,000 tier would have carried this run")
      })
  }
}

extension ChartStoryTests {
  @Test func logCountTicksAreDecadesFromBelowTheFloor() {
    #expect(Ticks.logarithmic(below: 2000, upTo: 1_058_400) == [100, 1000, 10000, 100_000, 1_000_000, 2_000_000])
    #expect(Ticks.logarithmic(below: 250, upTo: 1000) == [10, 100, 1000])
    #expect(Ticks.logarithmic(below: 1, upTo: 3) == [1, 5])
  }

  /// Scaling from 250 to unlimited, 20 000 contacts at 1 msg/s: the count climbs past 20 000,
  /// eighty times the first tier. On a linear axis 250 and 500 would lie under 3 px apart on
  /// the floor; on the log axis the step between them is a visible stair.
  @Test func aLimitClimbingTiersIsDrawnOnALogAxis() throws {
    let result = Simulation(scenario: scalingScenario(audience: 20_000)).run()
    let chart = try #require(HTMLReport.limitChart([result], SeriesSet([result]), id: "limit"))
    #expect(chart.notes.contains { $0.hasPrefix("Logarithmic scale") })
    #expect(chart.yTicks.map(\.label).prefix(4) == ["10", "100", "1K", "10K"])
    let step = try #require(chart.backLines.first { $0.lineName == "messaging limit in force" })
    let ys = step.linePath.split(whereSeparator: { $0 == "M" || $0 == "L" }).compactMap {
      $0.split(separator: ",").last.flatMap { Double($0) }
    }
    // 250 then 500: log10(2) of the axis' decades apart.
    #expect(ys.count >= 3 && ys[0] - ys[2] > 15, "\(ys)")
  }
}

extension ChartStoryTests {
  /// One message in ten thousand is 0.03 px of a 310 px bar: it is drawn 3 px wide so it can be
  /// seen and hovered, and labelled with its count and a share that is not rounded to nothing.
  @Test func aSmallShareIsStillAVisibleBar() throws {
    let rows = [
      HTMLReport.BarRow(label: "delivered", value: Spread(exactly: 9_999), fill: "#000000", hatched: false),
      HTMLReport.BarRow(label: "failed", value: Spread(exactly: 1), fill: "#000000", hatched: true),
      HTMLReport.BarRow(label: "expired", value: Spread(exactly: 0), fill: "#000000", hatched: true),
    ]
    let chart = HTMLReport.horizontalBars(id: "o", title: "t", summary: "s", rows: rows, whole: 10_000)
    #expect(chart.bars.map(\.barWidth) == ["310", "3", "0"])
    #expect(chart.bars[1].valueText == "1 · <0.1%")
  }
}
