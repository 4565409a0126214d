import CampaignModel
import RunPlan
import SimKernel
import Yams

/// The scenario as it will actually run, every default written out, in MODEL.md §7 key order.
///
/// Reports embed it so that a result can be traced to its exact inputs, and it is itself a valid
/// scenario file: `ScenarioLoader.parse(effectiveDocument(f).json(), …)` gives `f` back (with the
/// horizon made explicit). Durations are written with `formatDuration`, which is exact, and
/// numbers with `Document`'s shortest round-trip form, so nothing is lost on the way.
public func effectiveDocument(_ file: ScenarioFile) -> Document {
  .object(modelSections(file.scenario) + analysisSections(file))
}

/// The effective scenario of the model alone (no thresholds, no sweep).
public func effectiveDocument(_ scenario: Scenario) -> Document { effectiveDocument(ScenarioFile(scenario)) }

/// MODEL.md §7, key by key, with the §9 keys the scenario uses. `complete` also writes the §9
/// scalars that are at values meaning "off" (they read back to the same scenario), so that sweeps
/// can find and vary them.
func modelSections(_ scenario: Scenario, complete: Bool = false) -> [(String, Document)] {
  [
    ("name", .string(scenario.name)),
    // Document has no UInt64; seeds beyond Int.max are written as a decimal string, which the
    // loader accepts for `seed` for that reason.
    ("seed", scenario.seed <= UInt64(Int.max) ? .int(Int(scenario.seed)) : .string(String(scenario.seed))),
    ("replications", .int(scenario.replications)),
    ("horizon", durationDocument(scenario.effectiveHorizon)),
    ("business", businessDocument(scenario, complete: complete)),
    ("pacing", .string(scenario.pacing.rawValue)),
    (
      "senders",
      .array(
        scenario.senders.map {
          .object([("id", .string($0.id)), ("throughput_mps", .double($0.throughputMPS))] + upgradeSection($0))
        })
    ),
    ("campaigns", .array(scenario.campaigns.map { campaignDocument($0, complete: complete) })),
    (
      "faults",
      .object([
        ("transient_error_rate", .double(scenario.faults.transientErrorRate)),
        (
          "outages",
          .array(
            scenario.faults.outages.map {
              .object([
                ("sender", .string($0.sender)), ("start", durationDocument($0.start)),
                ("duration", durationDocument($0.duration)),
              ])
            })
        ),
        (
          "throttles",
          .array(
            scenario.faults.throttles.map {
              .object([
                ("sender", .string($0.sender)), ("start", durationDocument($0.start)),
                ("duration", durationDocument($0.duration)),
                ("mps", .double($0.mps)),
              ])
            })
        ),
      ])
    ),
    ("retry", retryDocument(scenario.retry, complete: complete)),
    (
      "report",
      // memory_budget only when set, so reports of scenarios without it keep their bytes.
      .object(
        [("bucket", scenario.bucket.map(durationDocument) ?? .string("auto"))]
          + (scenario.memoryBudget.map { [("memory_budget", Document.string(ByteSize.format($0)))] } ?? []))
    ),
  ]
}

func durationDocument(_ t: SimTime) -> Document { .string(formatDuration(t)) }

private func campaignDocument(_ campaign: Campaign, complete: Bool) -> Document {
  let v2 = campaignPlatformKeys(campaign, complete: complete)
  return .object(
    [
      ("id", .string(campaign.id)),
      ("sender", .string(campaign.sender)),
      ("start", durationDocument(campaign.start)),
      ("window", durationDocument(campaign.window)),
      ("audience", .int(campaign.audience)),
      (
        "contacts",
        .object(
          [
            ("invalid", .double(campaign.contacts.invalid)),
            ("blocked", .double(campaign.contacts.blocked)),
            ("offline", .double(campaign.contacts.offline)),
            ("read_receipts_off", .double(campaign.contacts.readReceiptsOff)),
          ] + v2.contacts)
      ),
      ("blocked_signal", .string(campaign.blockedSignal.rawValue)),
      (
        "engagement",
        .object(
          [("read", .double(campaign.engagement.read)), ("respond", .double(campaign.engagement.respond))]
            + v2.engagement)
      ),
      (
        "latency",
        .object(
          [
            ("api", distributionDocument(campaign.latency.api)),
            ("deliver", distributionDocument(campaign.latency.deliver)),
            ("read", distributionDocument(campaign.latency.read)),
            ("respond", distributionDocument(campaign.latency.respond)),
          ] + v2.latency)
      ),
    ] + v2.campaign)
}

func distributionDocument(_ distribution: Distribution) -> Document {
  switch distribution {
  case .fixed(let value): durationDocument(value)
  case .exponential(let mean): .object([("exponential", durationDocument(mean))])
  case .lognormal(let median, let p90):
    .object([("lognormal", .object([("median", durationDocument(median)), ("p90", durationDocument(p90))]))])
  case .uniform(let low, let high): .object([("uniform", .array([durationDocument(low), durationDocument(high)]))])
  }
}

/// The effective scenario as block YAML, for people: the same content as `effectiveDocument`,
/// laid out like the MODEL.md §7 example (small leaves inline) so it can be copied into a new file.
public func effectiveYAML(_ file: ScenarioFile) -> String {
  var out = ""
  YAMLWriter.block(effectiveDocument(file), indent: 0, topLevel: true, into: &out)
  return out
}

/// The model alone as block YAML (no thresholds, no sweep).
public func effectiveYAML(_ scenario: Scenario) -> String { effectiveYAML(ScenarioFile(scenario)) }

enum YAMLWriter {
  /// Flow values longer than this are broken into block form.
  static let inlineWidth = 80

  /// Writes an object or array as indented lines, each ending with a newline.
  static func block(_ value: Document, indent: Int, topLevel: Bool = false, into out: inout String) {
    let pad = String(repeating: " ", count: indent)
    switch value {
    case .object(let pairs):
      for (key, item) in pairs {
        out += pad + scalar(key) + ":"
        if let flow = inline(item, allowCollections: !topLevel) {
          out += " " + flow + "\n"
        } else {
          out += "\n"
          block(item, indent: indent + 2, into: &out)
        }
      }
    case .array(let items):
      for item in items {
        if let flow = inline(item, allowCollections: true) {
          out += pad + "- " + flow + "\n"
        } else {
          // Render at the item's indent, then turn the first line's indent into the dash.
          var nested = ""
          block(item, indent: indent + 2, into: &nested)
          out += pad + "- " + nested.dropFirst(indent + 2)
        }
      }
    default:
      out += pad + (inline(value, allowCollections: true) ?? "") + "\n"
    }
  }

  /// The flow form of `value`, or nil when it should be a block (too long, or a top-level section).
  static func inline(_ value: Document, allowCollections: Bool) -> String? {
    let flow: String
    switch value {
    case .object(let pairs):
      if pairs.isEmpty { return "{}" }
      guard allowCollections else { return nil }
      var parts: [String] = []
      for (key, item) in pairs {
        guard let text = inline(item, allowCollections: true) else { return nil }
        parts.append(scalar(key) + ": " + text)
      }
      flow = "{" + parts.joined(separator: ", ") + "}"
    case .array(let items):
      if items.isEmpty { return "[]" }
      guard allowCollections else { return nil }
      var parts: [String] = []
      for item in items {
        guard let text = inline(item, allowCollections: true) else { return nil }
        parts.append(text)
      }
      flow = "[" + parts.joined(separator: ", ") + "]"
    case .string(let text): return scalar(text)
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .int(let number): return String(number)
    case .double(let number): return Document.format(number)
    }
    return flow.count <= inlineWidth ? flow : nil
  }

  /// A string plain when YAML would read it back as the same string, JSON-quoted otherwise
  /// (a JSON string is a valid YAML double-quoted scalar).
  /// YAML words that resolve to a bool or null although they start with a letter.
  static let reservedWords: Set<String> = ["y", "n", "yes", "no", "true", "false", "on", "off", "null"]

  /// A letter-initial `[A-Za-z0-9._-]` text that is no bool or null word: Yams' resolver says
  /// `str` for it (its int, float, timestamp, merge and value forms start otherwise), so the
  /// regex walk — most of `validate`'s time on a file of 4 000 campaigns — is skipped (tested
  /// against the resolver).
  static func plainWord(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, ("A"..."Z").contains(first) || ("a"..."z").contains(first)
    else { return false }
    return !reservedWords.contains(text.lowercased())
  }

  static func scalar(_ text: String) -> String {
    let safe =
      !text.isEmpty
      && text.unicodeScalars.allSatisfy { scalar in
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": true
        default: false
        }
      }
      && !text.hasPrefix("-")
      && (plainWord(text) || Resolver.default.resolveTag(of: Node(text)) == .str)
    if safe { return text }
    var quoted = ""
    Document.writeString(text, to: &quoted)
    return quoted
  }
}
