import CampaignModel
import Foundation
import ScenarioFormat
import SimKernel
import Testing

@testable import Reporting

@Suite struct HTMLReportTests {
  static let result = Simulation(scenario: busyScenario()).run()
  static let html = HTMLReport.render(result, engine: nil)

  static let chartKinds = ["flow", "throughput", "outcomes", "reasons", "attempts", "latency"]

  @Test func theWholePageIsWellFormedAndEveryChartIsThere() throws {
    let root = try parseXML(Self.html)
    #expect(root.name == "html")
    #expect(root.first(id: "limit") != nil, "the 24 h limit chart")
    #expect(root.first(id: "campaigns") != nil, "the campaign table in the header")
    #expect(root.first(id: "scenario") != nil)
    let senders = try #require(root.first(id: "senders"))
    #expect(senders.all.filter { $0.name == "tr" }.count == 1 + Self.result.senders.count)
    for index in Self.result.campaigns.indices {
      for kind in Self.chartKinds {
        let figure = try #require(root.first(id: "c\(index)-\(kind)"), "c\(index)-\(kind)")
        let svg = try #require(figure.children.first { $0.name == "svg" }, "c\(index)-\(kind) has an SVG")
        #expect(svg.attributes["viewBox"] != nil)
        #expect(svg.attributes["role"] == "img")
        let marks = svg.all.filter { ($0.name == "path" || $0.name == "rect") && !$0.classes.contains("stripes") }
        #expect(!marks.isEmpty, "c\(index)-\(kind) draws something")
        #expect(svg.all.contains { $0.name == "title" && !$0.text.isEmpty }, "accessible title")
      }
      let errors = try #require(root.first(id: "c\(index)-errors"))
      #expect(errors.all.filter { $0.name == "tr" }.count == 1 + ErrorCode.allCases.count)
    }
    // Each chart's id is unique on the page.
    let ids = root.all.compactMap { $0.attributes["id"] }
    #expect(Set(ids).count == ids.count, "duplicate ids")
  }

  @Test func everySVGFragmentParsesOnItsOwn() throws {
    let fragments = svgFragments(Self.html)
    // Hidden pattern definitions, the limit chart, six per campaign, plus legend swatches.
    #expect(fragments.count > 1 + 6 * Self.result.campaigns.count)
    for fragment in fragments {
      #expect(throws: Never.self) { try parseXML(fragment) }
    }
  }

  @Test func nothingIsFetchedFromAnywhere() throws {
    let root = try parseXML(Self.html)
    #expect(!root.all.contains { $0.name == "script" || $0.name == "link" || $0.name == "img" || $0.name == "iframe" })
    for element in root.all {
      for key in ["src", "href", "xlink:href", "srcset", "action"] {
        if let value = element.attributes[key] {
          #expect(value.hasPrefix("#"), "<\(element.name) \(key)=\"\(value)\">")
        }
      }
    }
    #expect(!Self.html.contains("http://") && !Self.html.contains("https://"))
    #expect(!Self.html.contains("@import"))
    // CSS and SVG may only refer to patterns defined on the page.
    var rest = Self.html[...]
    while let url = rest.range(of: "url(") {
      #expect(rest[url.upperBound...].hasPrefix("#"))
      rest = rest[url.upperBound...]
    }
  }

  @Test func sameRunSameBytesAndOnlyTheEngineSectionDiffers() {
    let again = HTMLReport.render(Simulation(scenario: busyScenario()).run(), engine: nil)
    #expect(again == Self.html)
    let a = HTMLReport.render(
      Self.result, engine: EngineStats(wallSeconds: 1, events: 10, messages: 5, peakRSSBytes: 1))
    let b = HTMLReport.render(
      Self.result, engine: EngineStats(wallSeconds: 2, events: 10, messages: 5, peakRSSBytes: 2))
    #expect(a != b)
    let engine = #"<section id="engine">"#
    #expect(a.components(separatedBy: engine)[0] == b.components(separatedBy: engine)[0])
    #expect(!Self.html.contains(engine), "no engine section without engine figures")
  }

  @Test func userTextIsEscaped() {
    #expect(Self.html.contains("busy, &quot;quoted&quot; &lt;name&gt;"))
    #expect(!Self.html.contains("<name>"))
  }

  @Test func theLimitIsDrawnWhereItBites() throws {
    let root = try parseXML(Self.html)
    let limit = try #require(root.first(id: "limit"))
    #expect(limit.all.contains { $0.classes.contains("ceiling") && $0.text.contains("messaging limit 3,000") })
    let throughput = try #require(root.first(id: "c0-throughput"))
    #expect(throughput.all.contains { $0.name == "text" && $0.text.hasPrefix("business 24 h limit full (3,000)") })
    // The outage of `fast` is shaded on its campaign only; the throttle of `slow` on the other.
    #expect(throughput.all.contains { $0.classes.contains("outage") })
    #expect(!throughput.all.contains { $0.classes.contains("throttle") })
    let vip = try #require(root.first(id: "c1-throughput"))
    #expect(vip.all.contains { $0.classes.contains("throttle") })
    // Labelled in place when wide enough, else named under the chart.
    #expect(
      vip.all.contains { $0.name == "text" && $0.text == "throttle 2/s" }
        || vip.all.contains {
          $0.classes.contains("note") && $0.text.contains("throttle on slow to 2 msg/s: 10s to 40s")
        })
  }

  @Test func twoReplicationsDrawTheMeanWithABand() throws {
    let scenario = busyScenario()
    let runs = [
      Simulation(scenario: scenario, replication: 0).run(), Simulation(scenario: scenario, replication: 1).run(),
    ]
    #expect(runs[0].campaigns[0].finalStates != runs[1].campaigns[0].finalStates, "replications differ")
    let html = HTMLReport.render(runs, engine: nil)
    let root = try parseXML(html)
    #expect(html.contains("2 replications of this scenario"))
    for id in ["c0-flow", "c0-throughput", "c0-latency", "c1-flow", "c1-latency"] {
      let chart = try #require(root.first(id: id))
      #expect(chart.all.contains { $0.classes.contains("band") }, "\(id) has a min–max band")
    }
    for id in ["c0-outcomes", "c0-attempts"] {
      let chart = try #require(root.first(id: id))
      #expect(chart.all.contains { $0.classes.contains("whisker") }, "\(id) has min–max whiskers")
    }
    // A single run has no band to draw.
    #expect(!Self.html.contains(#"class="band""#))
    #expect(!Self.html.contains(#"class="whisker""#))
  }

  @Test func theMeanOfTwoIdenticalRunsIsThatRunMarkForMark() throws {
    func marks(_ html: String) throws -> [String] {
      try parseXML(html).all.filter {
        $0.classes.contains("area") || $0.classes.contains("line") || $0.classes.contains("bar")
      }
      .map { "\($0.attributes["d"] ?? "")|\($0.attributes["width"] ?? "")|\($0.attributes["y"] ?? "")" }
    }
    let one = try marks(Self.html)
    #expect(!one.isEmpty)
    #expect(try marks(HTMLReport.render([Self.result, Self.result], engine: nil)) == one)
  }
}

@Suite struct ChartHelperTests {
  @Test func onePassPercentilesEqualValueAtPercentile() {
    let result = HTMLReportTests.result
    let percentiles = [0, 0.001, 1, 10, 25, 50, 50.0001, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100]
    var checked = 0
    for campaign in result.campaigns {
      for span in LatencySpan.allCases {
        let histogram = campaign.latency(span)
        guard histogram.totalCount > 0 else { continue }
        #expect(
          Percentiles.values(histogram, at: percentiles) == percentiles.map { histogram.valueAtPercentile($0) },
          "\(campaign.id) \(span)")
        checked += 1
      }
    }
    #expect(checked >= 4)
  }

  @Test func numbersInSVGAreFixedAndLocaleFree() {
    #expect(SVGNumber.format(0) == "0")
    #expect(SVGNumber.format(12.34) == "12.3")
    #expect(SVGNumber.format(12.35) == "12.4")
    #expect(SVGNumber.format(-0.04) == "0")
    #expect(SVGNumber.format(-1.25) == "-1.3")
    #expect(SVGNumber.format(1_160) == "1160")
    #expect(SVGNumber.format(.nan) == "0")
    #expect(Ticks.compact(12_500) == "12.5K")
    #expect(Ticks.compact(1_000_000) == "1M")
    #expect(Ticks.compact(0.25) == "0.25")
    #expect(Ticks.decimal(80, 2) == "80")
  }

  @Test func axesUseWholeHumanSteps() {
    #expect(
      Ticks.time(upTo: 4 * Time.day).map(Format.human) == [
        "0s", "12h", "1d", "1d 12h", "2d", "2d 12h", "3d", "3d 12h", "4d",
      ])
    #expect(Ticks.time(upTo: 72 * Time.minute).count <= 9)
    #expect(Ticks.linear(upTo: 50_000) == [0, 10_000, 20_000, 30_000, 40_000, 50_000])
    #expect(Ticks.linear(upTo: 0.9).count <= 6)
  }

  @Test func linesDropPointsThatDrawNothing() {
    let points = [Point(x: 0, y: 5), Point(x: 1, y: 5), Point(x: 2, y: 5), Point(x: 2, y: 5), Point(x: 2, y: 9)]
    #expect(SVGPath.line(points) == "M0,5L2,5L2,9")
  }

  @Test func mergingBucketsIsExact() throws {
    // Replications on different automatic widths land on the wider one: flows
    // add up to the same totals and the last bucket holds the final states.
    let results = (0..<2).map { Simulation(scenario: busyScenario(), replication: $0).run() }
    let set = SeriesSet(results)
    #expect(results.allSatisfy { set.width % $0.timeSeries.bucketWidth == 0 })
    for (r, result) in results.enumerated() {
      for (c, campaign) in result.campaigns.enumerated() {
        let rows = set.rows[r][c]
        #expect(rows.count == set.buckets)
        #expect(
          rows.reduce(0) { $0 + $1[0] } == campaign.attempts.enumerated().reduce(0) { $0 + $1.offset * $1.element })
        #expect(Array(rows.last!.dropFirst(3)) == campaign.finalStates)
        for row in rows { #expect(row.dropFirst(3).reduce(0, +) == campaign.audience) }
      }
    }
    // A chart never gets more buckets than it can draw.
    let fine = SeriesSet(NativeSeries(results), maximumBuckets: 7)
    #expect(fine.buckets <= 7)
    #expect(fine.rows[0][0].reduce(0) { $0 + $1[0] } == set.rows[0][0].reduce(0) { $0 + $1[0] })
  }

  /// Issue 10: 10 000 campaigns made a page of 10 000 chart sections that took 15 minutes and
  /// 585 MiB. Past `detailedCampaigns` a campaign has a table row and no section.
  @Test func manyCampaignsGetTableRowsAndAFewSections() throws {
    let count = HTMLReport.detailedCampaigns + 2
    let result = Simulation(
      scenario: Scenario(
        senders: [Sender(id: "s")],
        campaigns: (0..<count).map { Campaign(id: "k\($0)", sender: "s", audience: 1) })
    ).run()
    let root = try parseXML(HTMLReport.render(result, engine: nil))
    let table = try #require(root.first(id: "campaigns"))
    let rows = table.all.filter { $0.name == "tr" }
    #expect(rows.count == 1 + count)
    #expect(
      root.all.filter { $0.classes.contains("campaign") && $0.name == "section" }.count == HTMLReport.detailedCampaigns)
    #expect(root.first(id: "c\(HTMLReport.detailedCampaigns - 1)-flow") != nil)
    #expect(root.first(id: "c\(HTMLReport.detailedCampaigns)") == nil)
    // Rows past the sections are not links to nothing.
    let links = table.all.filter { $0.name == "a" }.compactMap { $0.attributes["href"] }
    #expect(links == (0..<HTMLReport.detailedCampaigns).map { "#c\($0)" })
    #expect(root.all.contains { $0.text.contains("Charts for the first 50 of 52 campaigns") })
  }
}
