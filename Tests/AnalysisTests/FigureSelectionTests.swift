import RunPlan
import Testing

@testable import Analysis

/// `compare --figures`, `--tolerance FIGURE=X` and the one-campaign listing.
@Suite struct FigureSelectionTests {
  @Test func globsMatchWholeNamesWithStarAcrossDots() {
    let pattern = FigurePattern("promo.*_fraction")
    #expect(pattern.matches("promo.delivered_fraction"))
    #expect(pattern.matches("promo._fraction"))
    #expect(!pattern.matches("promo.delivered"))
    #expect(!pattern.matches("other.delivered_fraction"))
    #expect(!pattern.matches("delivered_fraction"))
    #expect(FigurePattern("*_fraction").matches("a.b.failed_fraction"), "* crosses the dots of campaign ids")
    #expect(FigurePattern("errors_13104?").matches("errors_131049"))
    #expect(!FigurePattern("errors_13104?").matches("errors_1310490"))
    #expect(FigurePattern("failed_fraction").matches("failed_fraction"))
    #expect(!FigurePattern("failed_fraction").matches("promo.failed_fraction"), "a plain name is exact")
    #expect(FigurePattern("*").matches(""))
    #expect(FigurePattern("a*b*c").matches("aXXbYYbZc"))
    #expect(!FigurePattern("a*b*c").matches("aXXbYYbZ"))
  }

  @Test func figureListsSplitAtCommasAndRefuseEmptyItems() throws {
    let list = try FigurePattern.parseList("promo.*_fraction, failed_fraction").get()
    #expect(list.map(\.text) == ["promo.*_fraction", "failed_fraction"])
    #expect(throws: CompareOptionError.self) { try FigurePattern.parseList("a,,b").get() }
    #expect(throws: CompareOptionError.self) { try FigurePattern.parseList("").get() }
  }

  @Test func tolerancesTakeADefaultAndPerFigureValuesTheLastMatchWinning() throws {
    let tolerances = try Tolerances.parse(["2%", "*_fraction=0.1", "dispatches=5%", "promo.*=1%"]).get()
    #expect(tolerances.defaultValue == 0.02)
    #expect(tolerances.value(for: ["messages"]) == 0.02)
    #expect(tolerances.value(for: ["delivered_fraction"]) == 0.1)
    #expect(tolerances.value(for: ["dispatches"]) == 0.05)
    #expect(tolerances.value(for: ["promo.delivered_fraction"]) == 0.01, "the later promo.* wins")
    #expect(tolerances.value(for: ["dispatches", "promo.dispatches"]) == 0.01, "either name of a figure")
    #expect(try Tolerances.parse([]).get() == Tolerances())
    #expect(try Tolerances.parse(["dispatches=5%"]).get().defaultValue == 0)
    for bad in [["-1%"], ["lots"], ["=5%"], ["dispatches=x"], ["1%", "2%"], ["nan"], ["inf%"]] {
      let outcome = Tolerances.parse(bad)
      #expect(throws: CompareOptionError.self, "\(bad)") { try outcome.get() }
    }
  }

  func table(_ pairs: [(String, Double?)]) -> FigureTable {
    FigureTable(names: pairs.map(\.0), statistics: pairs.map { FigureStatistics(values: [$0.1]) })
  }

  @Test func oneCampaignsFiguresAreListedOnceUnderTheOverallName() throws {
    let baseline = table([
      ("messages", 100), ("dispatches", 120), ("delivered_fraction", 0.9),
      ("promo.messages", 100), ("promo.dispatches", 120), ("promo.delivered_fraction", 0.9),
    ])
    let current = table([
      ("messages", 100), ("dispatches", 126), ("delivered_fraction", 0.8),
      ("promo.messages", 100), ("promo.dispatches", 126), ("promo.delivered_fraction", 0.8),
    ])
    let rows = try Compare.compare(
      baseline: baseline, current: current, figures: nil,
      tolerances: try Tolerances.parse(["promo.dispatches=5%"]).get())
    #expect(rows.map(\.name) == ["messages", "dispatches", "delivered_fraction"])
    #expect(rows.map(\.aliases) == [["promo.messages"], ["promo.dispatches"], ["promo.delivered_fraction"]])
    #expect(rows.map(\.verdict) == [.same, .withinTolerance, .regressed])
    #expect(rows.map(\.tolerance) == [0, 0.05, 0])
    #expect(rows.map(\.campaign) == [nil, nil, nil])

    let picked = try Compare.compare(
      baseline: baseline, current: current, figures: [FigurePattern("promo.*_fraction")], tolerances: Tolerances())
    #expect(picked.map(\.name) == ["delivered_fraction"], "a pattern may use the campaign's name")
  }

  @Test func twoCampaignsOrDifferingValuesKeepEveryName() throws {
    let two = table([("messages", 2), ("a.messages", 1), ("b.messages", 1)])
    #expect(
      try Compare.compare(baseline: two, current: two, figures: nil, tolerances: Tolerances()).map(\.name)
        == ["messages", "a.messages", "b.messages"])
    // One campaign, but a figure the campaign does not share with the whole: both stay.
    let odd = table([("completed", 1), ("promo.completed", 0)])
    #expect(
      try Compare.compare(baseline: odd, current: odd, figures: nil, tolerances: Tolerances()).map(\.name)
        == ["completed", "promo.completed"])
  }

  @Test func aPatternMatchingNothingIsRefused() {
    let figures = table([("messages", 1), ("failed_fraction", 0)])
    #expect(throws: CompareOptionError.self) {
      try Compare.compare(
        baseline: figures, current: figures, figures: [FigurePattern("faild_fraction")], tolerances: Tolerances())
    }
    #expect(throws: CompareOptionError.self) {
      try Compare.compare(
        baseline: figures, current: figures, figures: nil,
        tolerances: Tolerances(overrides: [.init(pattern: FigurePattern("dispatchs"), value: 0.05)]))
    }
    let only = try? Compare.compare(
      baseline: figures, current: figures, figures: [FigurePattern("*_fraction")], tolerances: Tolerances())
    #expect(only?.map(\.name) == ["failed_fraction"])
  }
}
