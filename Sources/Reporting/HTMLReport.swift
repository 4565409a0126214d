import CampaignModel
import Mustache
import RunPlan
import ScenarioFormat
import SimKernel

/// `report.html`: one self-contained page (inline SVG and CSS, nothing fetched)
/// with a campaign's states over time, throughput, the 24 h limit, outcomes and
/// latency. Geometry is computed here; layout and words live in `HTMLTemplate`.
///
/// Given several replications of one scenario, every chart draws the mean and
/// a min–max band. Like report.json, everything but the engine section is a
/// pure function of the results, so the same runs give the same bytes.
public enum HTMLReport {
  public static func render(_ result: RunResult, file: ScenarioFile? = nil, engine: EngineStats?) -> String {
    render([result], file: file, engine: engine)
  }

  /// Renders replications of one scenario (the first result's scenario heads the page). `file`
  /// adds the scenario file's thresholds and sweep to the scenario shown at the end.
  public static func render(_ results: [RunResult], file: ScenarioFile? = nil, engine: EngineStats?) -> String {
    precondition(!results.isEmpty, "at least one run")
    precondition(
      results.allSatisfy { $0.scenario == results[0].scenario }, "replications must share one scenario")
    return template.render(
      page(results, file: file ?? ScenarioFile(results[0].scenario), engine: engine), library: library)
  }

  static let library: MustacheLibrary = {
    var library = MustacheLibrary()
    do {
      try library.register(HTMLTemplate.style, named: "style")
      try library.register(HTMLTemplate.defs, named: "defs")
      try library.register(HTMLTemplate.chart, named: "chart")
      try library.register(HTMLTemplate.page, named: "page")
      try library.register(HTMLTemplate.sweep, named: "sweep")
    } catch {
      preconditionFailure("the HTML report template does not parse: \(error)")
    }
    return library
  }()

  static var template: MustacheTemplate { library.getTemplate(named: "page")! }

  struct Fact {
    var factName: String
    var factValue: String
  }

  struct CampaignLine {
    /// Its section's anchor; nil past `detailedCampaigns`.
    var anchor: String?
    var campaignId: String
    var sender: String
    var state: String
    /// `good`, `partial` or `bad`: the campaign's state coloured by what reached delivery (`Outcome`).
    var stateClass: String
    var messages: String
    var finished: String
    var delivered: String
    var read: String
    var responded: String
  }

  struct CampaignSection {
    var line: CampaignLine
    var flow: ChartView
    var throughput: ChartView
    var outcomes: ChartView
    var reasons: ChartView
    var attempts: ChartView
    var latency: ChartView
    var errorsId: String
    var errorRows: [ErrorRow]
    var latencyRows: [LatencyRow]
  }

  struct SenderRow {
    var senderId: String
    var rate: String
    var dispatches: String
    var acceptances: String
    var senderErrors: String
    var pauses: String
  }

  struct EngineLine {
    var engineName: String
    var engineValue: String
  }

  struct EngineSection {
    var engineLines: [EngineLine]
  }

  struct Page {
    var name: String
    var facts: [Fact]
    var replicated: String?
    /// Campaigns the window or the horizon cut short (`TextReport.cutWarnings`).
    var warnings: [String]
    var campaignLines: [CampaignLine]
    var limit: ChartView?
    var limitMissing: String?
    /// MODEL.md §9 only: how the limit scales, and the quality strip.
    var scalingNote: String?
    var quality: ChartView?
    var senderRows: [SenderRow]
    var campaigns: [CampaignSection]
    /// Says which campaigns have a section when not all do.
    var sectionsNote: String?
    var scenarioYAML: String
    var engine: EngineSection?
  }

  static func page(_ results: [RunResult], file: ScenarioFile, engine: EngineStats?) -> Page {
    let first = results[0]
    let scenario = first.scenario
    let native = NativeSeries(results)
    let platform = scenario.usesPlatformDynamics
    let set = SeriesSet(native, window: scenario.limitWindow)
    var facts = [
      Fact(factName: "seed", factValue: "\(first.seed)"),
      Fact(factName: "campaigns", factValue: "\(scenario.campaigns.count)"),
      Fact(factName: "messages", factValue: Format.count(first.messages)),
      Fact(
        factName: "messaging limit",
        factValue: (scenario.messagingLimit.map { Format.count($0) + " per \(windowText(scenario))" } ?? "unlimited")
          + ", \(scenario.pacing.rawValue) pacing"),
      Fact(
        factName: "senders",
        factValue: scenario.senders.map { "\($0.id) (\(Ticks.decimal($0.throughputMPS, 2)) msg/s)" }.joined(
          separator: ", ")),
      Fact(factName: "horizon", factValue: Format.human(first.horizon)),
    ]
    if platform {
      let final = first.finalLimit.map(Format.count) ?? "unlimited"
      let since = first.limitChanges.last.map { " (from \(Format.human($0.at)))" } ?? ""
      facts.insert(Fact(factName: "final limit", factValue: final + since), at: 4)
    }
    facts += [
      Fact(factName: "run ended at", factValue: humanSpread(results.map { $0.endedAt }))
    ]
    if results.count > 1 {
      facts.insert(
        Fact(
          factName: "replications",
          factValue: "\(results.count) (\(results.map { "\($0.replication)" }.joined(separator: ", ")))"),
        at: 1)
    }
    let detailed = min(first.campaigns.count, detailedCampaigns)
    let sections = (0..<detailed).map { index in
      let anchor = "c\(index)"
      let latency = latencyValues(results, campaign: index)
      let window = timeWindow(results, native, campaign: index)
      let windowSet = windowSet(native, window, scenario)
      return CampaignSection(
        line: campaignLine(results, campaign: index, anchor: anchor),
        flow: flowChart(results, windowSet, window, campaign: index, id: "\(anchor)-flow"),
        throughput: throughputChart(results, windowSet, window, campaign: index, id: "\(anchor)-throughput"),
        outcomes: outcomesChart(results, campaign: index, id: "\(anchor)-outcomes"),
        reasons: reasonsChart(results, campaign: index, id: "\(anchor)-reasons"),
        attempts: attemptsChart(results, campaign: index, id: "\(anchor)-attempts"),
        latency: latencyChart(results, latency, campaign: index, id: "\(anchor)-latency"),
        errorsId: "\(anchor)-errors",
        errorRows: errorRows(results, campaign: index),
        latencyRows: latencyRows(results, latency, campaign: index))
    }
    let limit = limitChart(results, set, id: "limit")
    return Page(
      name: scenario.name, facts: facts,
      replicated: results.count > 1
        ? "\(results.count) replications of this scenario: figures are means, charts show the mean with a min–max band."
        : nil,
      warnings: TextReport.cutWarnings(first).split(separator: "\n").map(String.init),
      campaignLines: sections.map(\.line)
        + (detailed..<first.campaigns.count).map { campaignLine(results, campaign: $0, anchor: nil) },
      limit: limit,
      limitMissing: limit == nil
        ? "The \(Format.human(set.width)) buckets are too coarse to follow a rolling \(windowText(scenario)) window."
        : nil,
      scalingNote: platform ? scalingNote(first) : nil,
      quality: platform ? qualityChart(results, set, id: "quality") : nil,
      senderRows: senderRows(results),
      campaigns: sections,
      sectionsNote: detailed < first.campaigns.count
        ? "Charts for the first \(detailed) of \(Format.count(first.campaigns.count)) campaigns, in scenario order."
          + " Every campaign is in the table above, in report.json and in outcomes.csv."
        : nil,
      scenarioYAML: effectiveYAML(file),
      engine: engine.map { EngineSection(engineLines: engineLines($0)) })
  }

  /// Campaigns with a section of charts: past a few dozen the page is too long to read and, at
  /// 10 000 campaigns, too slow and big to render (issue 10).
  static let detailedCampaigns = 50

  static func campaignLine(_ results: [RunResult], campaign index: Int, anchor: String?) -> CampaignLine {
    let campaigns = results.map { $0.campaigns[index] }
    let c = campaigns[0]
    func reached(_ states: [MessageState]) -> String {
      let mean = Spread(campaigns.map { c in Double(states.reduce(0) { $0 + c.count($1) }) }).mean
      return percent(mean, of: c.audience)
    }
    var states: [String] = []
    for state in CampaignState.allCases {
      let n = campaigns.filter { $0.state == state }.count
      if n == campaigns.count {
        states.append(state.rawValue)
      } else if n > 0 {
        states.append("\(state.rawValue) \(n)/\(campaigns.count)")
      }
    }
    let finished = campaigns.map(\.sendingFinishedAt)
    let unfinished = finished.filter { $0 == nil }.count
    let cut = campaigns.filter { $0.sendingFinishedAt != nil && $0.drainedAt == nil }.count
    var finishedText =
      unfinished == 0
      ? humanSpread(finished.map { $0! })
      : "not by the horizon" + (unfinished < finished.count ? " (\(unfinished)/\(finished.count))" : "")
    if cut > 0 { finishedText += ", window cut" + (cut < campaigns.count ? " (\(cut)/\(campaigns.count))" : "") }
    let grades = campaigns.map { Outcome($0).grade }
    let stateClass =
      campaigns.contains { $0.state == .failed } || grades.contains(.poor)
      ? "bad" : grades.contains(.partial) ? "partial" : "good"
    return CampaignLine(
      anchor: anchor, campaignId: c.id, sender: c.sender, state: states.joined(separator: ", "),
      stateClass: stateClass, messages: Format.count(c.audience),
      finished: finishedText, delivered: reached([.delivered, .read, .responded]), read: reached([.read, .responded]),
      responded: reached([.responded]))
  }

  static func senderRows(_ results: [RunResult]) -> [SenderRow] {
    results[0].scenario.senders.indices.map { index in
      func mean(_ value: (SenderResult) -> Int) -> String {
        Format.count(Int(Spread(results.map { Double(value($0.senders[index])) }).mean.rounded()))
      }
      return SenderRow(
        senderId: results[0].senders[index].id,
        rate: results[0].scenario.usesPlatformDynamics
          ? senderRate(results[0], sender: index)
          : Ticks.decimal(results[0].scenario.senders[index].throughputMPS, 2) + " msg/s",
        dispatches: mean(\.dispatches), acceptances: mean(\.acceptances), senderErrors: mean(\.errors),
        pauses: mean(\.limitPauses))
    }
  }

  /// `1d 6h`, or `1d 6h (1d 5h – 1d 7h)` when replications differ.
  static func humanSpread(_ times: [SimTime]) -> String {
    let spread = Spread(times.map { Double($0) })
    let (mean, low, high) = (
      Format.human(SimTime(spread.mean.rounded())), Format.human(SimTime(spread.low)),
      Format.human(SimTime(spread.high))
    )
    return low == high ? mean : "\(mean) (\(low) – \(high))"
  }

  static func engineLines(_ engine: EngineStats) -> [EngineLine] {
    [
      EngineLine(engineName: "wall time", engineValue: Format.fixed(engine.wallSeconds, 3) + " s"),
      EngineLine(engineName: "events", engineValue: Format.count(engine.events)),
      EngineLine(engineName: "rate", engineValue: engine.rateText),
      EngineLine(engineName: "peak RSS", engineValue: Format.count(engine.peakRSSBytes / 1_048_576) + " MiB"),
    ]
  }
}
