import CampaignModel
import Foundation
import ScenarioFormat
import SimKernel

/// What a run will need in memory, estimated from the scenario before it
/// starts, so that a run too big for the machine is refused with the key that
/// makes it big instead of dying inside malloc (issue 10).
///
/// The estimate covers what grows with the scenario: the time series
/// (campaigns × buckets), the per-campaign counters and histograms, every
/// replication kept for the HTML and CSV bands, and messages waiting out a
/// messaging-limit backoff. It errs high; the base is the binary and runtime.
public struct MemoryEstimate: Sendable {
  public struct Part: Sendable {
    public let bytes: Double
    /// The scenario key that drives this part, as the error names it.
    public let key: String
    public let explanation: String
    public let advice: String
  }

  public let parts: [Part]
  public var bytes: Double { Self.baseBytes + parts.reduce(0) { $0 + $1.bytes } }

  static let baseBytes = 48.0 * 1_048_576
  /// Counters, four latency recorders (312 bytes each until a span passes 128 values) and results.
  static let bytesPerCampaign = 16.0 * 1024
  /// Per message and span, while a span keeps slot indices (up to `sparseCeiling`): the 2-byte
  /// index, the doubling buffer's slack, and at most one 6-byte (slot, count) in the result.
  static let bytesPerLatencyValue = 12.0
  /// A span past `sparseCeiling` values: its 434 KB of slots and its result.
  static let bytesPerDenseSpan = 600.0 * 1024
  /// A retry-queue entry, doubled for the array's growth.
  static let bytesPerWaitingMessage = 32.0

  /// `concurrent` runs at once (the thread count, at most the replications); `keptRuns` results kept.
  public init(_ scenario: Scenario, concurrent: Int, keptRuns: Int) {
    let campaigns = Double(scenario.campaigns.count)
    let horizon = scenario.effectiveHorizon
    let series = TimeSeries.estimatedBytes(
      campaignCount: scenario.campaigns.count, width: scenario.bucket, horizon: horizon)
    let buckets = TimeSeries.capacity(campaignCount: scenario.campaigns.count, width: scenario.bucket, horizon: horizon)
    let running = Double(max(1, concurrent))
    let kept = Double(max(0, keptRuns - concurrent))
    var parts: [Part] = []
    if let width = scenario.bucket {
      parts.append(
        Part(
          bytes: series * running, key: "report.bucket",
          explanation:
            "the time series: \(buckets) buckets of \(formatDuration(width)) over the horizon × \(scenario.campaigns.count) campaigns",
          advice: "choose a wider report.bucket (or auto)"))
    } else {
      parts.append(
        Part(
          bytes: series * running, key: "campaigns",
          explanation: "the time series: \(buckets) buckets × \(scenario.campaigns.count) campaigns",
          advice: "run fewer campaigns at once"))
    }
    // Four spans per campaign, each at most its audience of values or the dense slots.
    let latency = scenario.campaigns.reduce(0.0) { total, campaign in
      let raw = Double(campaign.audience) * Self.bytesPerLatencyValue
      return total + 4 * min(raw, Self.bytesPerDenseSpan)
    }
    parts.append(
      Part(
        bytes: (Self.bytesPerCampaign * campaigns + latency) * running, key: "campaigns",
        explanation: "\(scenario.campaigns.count) campaigns' counters and latency histograms",
        advice: "run fewer campaigns at once"))
    if kept > 0 {
      parts.append(
        Part(
          bytes: (series / 2 + Self.bytesPerCampaign * campaigns) * kept, key: "replications",
          explanation: "\(keptRuns) replications kept whole for the HTML and CSV bands",
          advice: "use fewer replications, or --format json,md (which keeps only the first)"))
    }
    if scenario.messagingLimit != nil, let wait = scenario.retry.limitBackoff.max() {
      // Naive pacing sends into a full window: every refused message waits out the backoff.
      let rate = scenario.senders.reduce(0.0) { $0 + $1.throughputMPS }
      let waiting = min(Double(scenario.totalAudience), rate * Double(wait) / Double(Time.second))
      parts.append(
        Part(
          bytes: waiting * Self.bytesPerWaitingMessage * running, key: "business.messaging_limit",
          explanation: "up to \(Int(waiting)) messages refused by the messaging limit waiting out retry.limit_backoff",
          advice: "use pacing: limit_aware, a shorter retry.limit_backoff, or a smaller audience"))
    }
    self.parts = parts
  }

  /// The part that weighs most, which the error names.
  public var largest: Part? { parts.max { $0.bytes < $1.bytes } }

  /// 80 % of physical memory.
  public static var defaultBudget: Int {
    let pages = sysconf(Int32(_SC_PHYS_PAGES))
    let size = sysconf(Int32(_SC_PAGESIZE))
    guard pages > 0, size > 0 else { return Int.max }
    return Int(Double(pages) * Double(size) * 0.8)
  }

  /// Nil when the run fits `budget`, else the message that says why not and what to change.
  public func refusal(budget: Int, budgetSource: String) -> String? {
    guard bytes > Double(budget) else { return nil }
    var message =
      "this run would need about \(ByteSize.human(bytes)) of memory, over the budget of "
      + "\(ByteSize.human(Double(budget))) (\(budgetSource))"
    if let largest {
      message =
        "at '\(largest.key)': " + message + "; most of it is \(largest.explanation) (\(ByteSize.human(largest.bytes)))."
        + " To run it, \(largest.advice), or raise the budget with --memory-budget or report.memory_budget"
    }
    return message
  }
}
