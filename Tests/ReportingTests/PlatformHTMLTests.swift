import CampaignModel
import Foundation
import SimKernel
import Testing

@testable import Reporting

/// report.html on §9 scenarios: the limit in force as a labelled staircase, the quality strip,
/// the throughput upgrade on the throughput chart; none of it without §9 keys.
@Suite struct PlatformHTMLTests {
  static let scaling = HTMLReport.render(Simulation(scenario: scalingScenario()).run(), engine: nil)

  /// The points of an `M…L…` path.
  func points(_ d: String) -> [(x: Double, y: Double)] {
    d.split(whereSeparator: { $0 == "M" || $0 == "L" }).compactMap { pair in
      let xy = pair.split(separator: ",").compactMap { Double($0) }
      return xy.count == 2 ? (xy[0], xy[1]) : nil
    }
  }

  @Test func theLimitInForceIsAStaircaseWithEachUpgradeLabelled() throws {
    let root = try parseXML(Self.scaling)
    let limit = try #require(root.first(id: "limit"))
    let step = try #require(
      limit.all.first {
        $0.name == "path" && $0.children.contains { $0.name == "title" && $0.text == "messaging limit in force" }
      })
    #expect(step.attributes["stroke"] == HTMLReport.limitStepColour)
    // No flat ceiling: the limit moved.
    #expect(!limit.all.contains { $0.classes.contains("ceiling") })
    // One marker per upgrade, labelled with both tiers and the time (derived in PlatformJSONTests).
    let labels = limit.all.filter { $0.name == "text" && $0.classes.contains("rule-label") }.map(\.text)
    #expect(labels == ["250 → 500 at 1h 2m", "500 → unlimited at 2h 2m"])
    let markers = limit.all.filter { $0.name == "line" && $0.classes.contains("rule") && $0.classes.contains("limit") }
    let xs = markers.compactMap { $0.attributes["x1"].flatMap(Double.init) }
    #expect(xs.count == 2)
    // The staircase: 250 from the left edge, up to 500 at the first marker, then off the top of
    // the plot (unlimited) at the second.
    let p = points(try #require(step.attributes["d"]))
    #expect(p.count == 5)
    #expect(p[0].x == 72 && p[1].x == xs[0] && p[2].x == xs[0] && p[3].x == xs[1] && p[4].x == xs[1])
    #expect(p[0].y == p[1].y && p[2].y < p[1].y && p[3].y == p[2].y && p[4].y == 40, "250, 500, then the top (40)")
    // 500 sits twice as high above the axis (bottom 320 − 48) as 250.
    let bottom = 320.0 - 48
    #expect(abs((bottom - p[2].y) - 2 * (bottom - p[0].y)) < 0.02)
    #expect(Self.scaling.contains("Automatic scaling is on (tiers 250, 500, unlimited)"))
    let facts = root.all.filter { $0.name == "dd" }.map(\.text)
    #expect(facts.contains("unlimited (from 2h 2m)"))
  }

  @Test func closeUpgradesStackTheirLabelsSoNoLineCrossesOne() throws {
    // Tiers 250 → 500 → 1000 → unlimited, 5 min delay: 500 at 424 s (124 s + 300 s), 1000 at
    // 724 s, unlimited at 1024 s, all inside the first hour bucket (x = 72 + 1016 · t / 3600).
    var scenario = scalingScenario(audience: 3_000)
    scenario.scaling = ScalingPolicy(tiers: [250, 500, 1000, nil], delay: 5 * Time.minute)
    let root = try parseXML(HTMLReport.render(Simulation(scenario: scenario).run(), engine: nil))
    let limit = try #require(root.first(id: "limit"))
    let labels = limit.all.filter { $0.name == "text" && $0.classes.contains("rule-label") }
    #expect(labels.map(\.text) == ["250 → 500 at 7m 4s", "500 → 1K at 12m 4s", "1K → unlimited at 17m 4s"])
    // Each label (~7 px a character) spans the next marker, so it sits a row above it: rows 2, 1,
    // 0, and the plot moves down two rows (top 40 + 28) to make room.
    #expect(labels.map { $0.attributes["y"] } == ["32", "46", "60"])
    let svg = try #require(limit.children.first { $0.name == "svg" })
    #expect(svg.attributes["viewBox"] == "0 0 1160 348")
  }

  @Test func theQualityStripNamesEachRating() throws {
    let html = HTMLReport.render(Simulation(scenario: reportingScenario()).run(), engine: nil)
    let root = try parseXML(html)
    let quality = try #require(root.first(id: "quality"))
    let titles = quality.all.filter { $0.name == "path" && $0.classes.contains("area") }.compactMap {
      $0.children.first { $0.name == "title" }?.text
    }
    #expect(
      titles == [
        "high from 0s: report rate 0.000% (0 of 0 deliveries)", "low from 1s: report rate 100.000% (1 of 1 deliveries)",
      ])
    let areas = quality.all.filter { $0.name == "path" && $0.classes.contains("area") }
    #expect(areas.map { $0.attributes["fill"] } == [HTMLReport.qualityFill(.high), HTMLReport.qualityFill(.low)])
    // Low is hatched too, and named on the strip: the colours need not be told apart.
    #expect(quality.all.contains { $0.name == "path" && $0.classes.contains("hatch") })
    #expect(quality.all.contains { $0.name == "text" && $0.classes.contains("category") && $0.text == "low" })
    let keys = quality.all.filter { $0.name == "span" && $0.classes.contains("key") }.map(\.text)
    #expect(keys == ["high", "medium", "low"])
    // Scaling tracks quality; it stays high there, one segment, then "not rated" once unlimited.
    let scaling = try #require(try parseXML(Self.scaling).first(id: "quality"))
    let segments = scaling.all.filter { $0.name == "path" && $0.classes.contains("area") }
    #expect(segments.map { $0.attributes["fill"] } == [HTMLReport.qualityFill(.high), "#eeeeee"])
  }

  @Test func theQualityStripSaysWhereRatingStopped() throws {
    // 250 → 500 → unlimited, unlimited at 7 324 s; the acceptance at that second is the first
    // with no rule left to read quality, so rating stops there (and the run goes on to 7 823 s).
    let result = Simulation(scenario: scalingScenario()).run()
    #expect(result.qualityTrackedUntil == 7_324 * Time.second)
    let html = HTMLReport.render(result, engine: nil)
    #expect(html.contains("not rated from 2h 2m 4s: no rule reads quality any more"))
    #expect(html.contains(">not rated<"))
    // A scenario whose limit can still grow is rated to the end: no such band. (100K → unlimited
    // would need 50 000 acceptances in the look-back; the audience is 1 000.)
    var stuck = scalingScenario()
    stuck.scaling = ScalingPolicy(tiers: [250, 100_000, nil], delay: Time.hour)
    #expect(!HTMLReport.render(Simulation(scenario: stuck).run(), engine: nil).contains("not rated"))
  }

  @Test func aThroughputUpgradeIsShadedAndMarked() throws {
    let root = try parseXML(HTMLReport.render(Simulation(scenario: upgradeScenario()).run(), engine: nil))
    let chart = try #require(root.first(id: "c0-throughput"))
    let shade = try #require(
      chart.all.first { $0.name == "g" && $0.classes.contains("shade") && $0.classes.contains("outage") })
    #expect(shade.children.first { $0.name == "title" }?.text == "throughput upgrade pause on s: 0s to 10s")
    #expect(chart.all.contains { $0.name == "text" && $0.text == "throughput 1 → 2 msg/s at 0s" })
    let senders = try #require(root.first(id: "senders"))
    #expect(senders.all.contains { $0.name == "td" && $0.text == "1 → 2 msg/s from 10s" })
  }

  @Test func noneOfItWithoutPlatformKeys() throws {
    let html = HTMLReportTests.html
    #expect(!html.contains("messaging limit in force"))
    #expect(!html.contains(#"id="quality""#))
    #expect(!html.contains("Automatic scaling"))
    #expect(!html.contains("final limit"))
    #expect(!html.contains("upgrade pause"))
  }
}
