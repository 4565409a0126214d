import ArgumentParser
import CampaignModel
import Foundation
import Reporting
import ScenarioFormat
import SimKernel

/// `run --trace`: the histories of some messages, as NDJSON (README, "Explaining a message").
struct TraceOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Write the history of every message (or those --trace-sample or --trace-messages pick) to this NDJSON file.",
      valueName: "file"))
  var trace: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Trace each message with this probability, chosen by a hash of its campaign id and index (the same messages for every seed).",
      valueName: "p"))
  var traceSample: Double?

  @Option(
    name: .long,
    help: ArgumentHelp("Trace only these messages: a comma-separated list of CAMPAIGN:INDEX.", valueName: "list"))
  var traceMessages: String?

  /// Measured in a debug build: a history held until the end (about 3 KB) plus its NDJSON line,
  /// for a message with four attempts; rounded up so the check errs on the safe side.
  static let bytesPerTrace = 6_000

  /// What to trace, or `nil` without `--trace`; exit 2 for a bad value, before anything runs.
  func selection(
    for scenario: Scenario, folder: ReportFolder, budget: (bytes: Int, source: String)
  ) throws -> TraceSelection? {
    guard let selection = try parsedSelection(for: scenario, folder: folder) else { return nil }
    // Every history stays in memory until the run ends (the file is sorted and atomic), so a
    // whole-run trace of a big scenario would exhaust memory long after the run started.
    let traced: Double
    switch selection.kind {
    case .all: traced = Double(scenario.totalAudience)
    case .sample(let fraction): traced = Double(scenario.totalAudience) * fraction
    case .messages(let keys): traced = Double(keys.count)
    }
    let bytes = traced * Double(Self.bytesPerTrace)
    if bytes > Double(budget.bytes) {
      let fitting = Double(budget.bytes) / Double(Self.bytesPerTrace) / Double(max(1, scenario.totalAudience))
      throw badOption(
        "--trace of about \(Format.count(rounding: traced)) messages would need about \(ByteSize.human(bytes)) of memory, "
          + "over the budget of \(ByteSize.human(Double(budget.bytes))) (\(budget.source)); "
          + "sample them with --trace-sample \(Format.fixed(max(fitting, 0.0001), 4)) or less, or list some with --trace-messages"
      )
    }
    return selection
  }

  func parsedSelection(for scenario: Scenario, folder: ReportFolder) throws -> TraceSelection? {
    guard let trace else {
      if traceSample != nil || traceMessages != nil {
        throw badOption("--trace-sample and --trace-messages need --trace FILE")
      }
      return nil
    }
    if traceSample != nil && traceMessages != nil {
      throw badOption("give --trace-sample or --trace-messages, not both")
    }
    do {
      try AtomicFile.check(trace, what: "--trace")
    } catch {
      printError(error.description)
      throw ExitCode(badInput)
    }
    // The report folder is replaced as a whole and refuses files it does not know: a trace in
    // it would be lost on the next run, or make that run refuse the folder.
    let folderPath = URL(fileURLWithPath: folder.path).standardizedFileURL.path
    let tracePath = URL(fileURLWithPath: trace).standardizedFileURL.path
    if tracePath.hasPrefix(folderPath + "/") {
      throw badOption(
        "--trace \(trace) is inside the report folder \(folder.path), which is replaced as a whole; put it beside it")
    }
    if scenario.replications != 1 {
      throw badOption(
        "--trace follows one run; add --replications 1 (explain --replication I shows a message of another replication)"
      )
    }
    if let traceSample {
      guard traceSample > 0, traceSample <= 1 else {
        throw badOption("--trace-sample must be in (0, 1], found \(traceSample)")
      }
      return .sample(traceSample)
    }
    if let traceMessages { return .messages(try parseMessages(traceMessages, scenario: scenario)) }
    return .all
  }
}

/// `promo:17,promo:18` → message keys; the campaign id is everything before the last colon, so
/// ids with colons work.
func parseMessages(_ list: String, scenario: Scenario) throws -> Set<TracedMessage> {
  var keys = Set<TracedMessage>()
  for item in list.split(separator: ",", omittingEmptySubsequences: false) {
    let text = item.trimmingCharacters(in: .whitespaces)
    guard let colon = text.lastIndex(of: ":"), let index = Int(text[text.index(after: colon)...]) else {
      throw badOption("--trace-messages: '\(text)' is not CAMPAIGN:INDEX")
    }
    keys.insert(try messageKey(campaign: String(text[..<colon]), message: index, scenario: scenario))
  }
  return keys
}

/// The key of message `message` of campaign `campaign`, or exit 2 naming what exists.
func messageKey(campaign: String, message: Int, scenario: Scenario) throws -> TracedMessage {
  guard let c = scenario.campaigns.firstIndex(where: { $0.id == campaign }) else {
    let ids = scenario.campaigns.map(\.id).prefix(10).joined(separator: ", ")
    throw badOption("no campaign '\(campaign)' in \(scenario.name) (campaigns: \(ids))")
  }
  let audience = scenario.campaigns[c].audience
  guard message >= 0, message < audience else {
    throw badOption("campaign \(campaign) has messages 0...\(audience - 1); \(message) is not one of them")
  }
  return TracedMessage(campaign: c, message: message)
}
