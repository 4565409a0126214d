import CampaignModel
import SimKernel

/// How a scenario value may be written. The parser opens each mapping with its `KeyTable` and reads
/// the scalars a table declares through it (`Fields.count`, `Fields.number`, …), and
/// `scenarioJSONSchema()` is generated from the same tables, so the two cannot disagree on a key,
/// a type, a range or a choice. What a schema cannot say (ids that must exist, sums, ascending
/// tiers, a duration's upper bound) stays in the parser alone.
indirect enum ValueShape: Sendable {
  /// Any string; `nonEmpty` for secrets, which are compared byte for byte.
  case string(nonEmpty: Bool)
  /// A non-empty string without control characters, at most `NodeReader.maximumIdentifierBytes`.
  case identifier
  /// `[A-Za-z0-9._-]+`, not `.` or `..`: it names a folder.
  case scenarioName
  /// A non-negative integer up to `UInt64.max`, or one written as a decimal string.
  case seed
  /// A plain YAML integer (no count shorthand).
  case integer(ClosedRange<Int>, expected: String)
  /// An integer or a `CountShorthand` such as `10K`.
  case count(ClosedRange<Int>, expected: String)
  /// A positive count, or `unlimited`.
  case limit
  case number(NumberBounds, expected: String)
  /// An exact decimal in [0, 1], or (0, 1] when `positive`.
  case fraction(positive: Bool)
  case duration(positive: Bool)
  case choice([String])
  case bool
  /// `512MiB`, `2GiB`, `1.5GB` or a number of bytes.
  case byteSize
  /// One literal string standing for a special value (`auto`).
  case word(String)
  case null
  case list(ValueShape, minItems: Int = 0, maxItems: Int? = nil, unique: Bool = false)
  case mapping(KeyTable)
  /// Any of these; the parser tells them apart by the node's kind.
  case either([ValueShape])
  /// A mapping whose keys are names the parser resolves (figures, parameter paths), each to `value`.
  case dictionary(of: ValueShape, keys: String)
  /// `OP VALUE`, the value in the figure's unit.
  case condition
  /// `FIGURE OP VALUE [and …]`.
  case conjunction
  /// A number or a string: a sweep value, checked by applying it to the scenario.
  case scalar
  case ipAddress
  case url

  static let probability = ValueShape.number(NumberBounds(0...1), expected: "a probability in [0, 1]")
  static let sendRate = ValueShape.number(
    NumberBounds(above: 0, upTo: ScenarioSchema.maximumMPS), expected: "a number of sends per second in (0, 1000000]")
  static let delay = ValueShape.duration(positive: false)
  static let length = ValueShape.duration(positive: true)
  /// A latency: a fixed duration or one named distribution.
  static let distribution = ValueShape.either([.delay, .mapping(ScenarioKeys.distribution)])
  /// One wait, or a list indexed by the retries used so far.
  static let backoffs = ValueShape.either([.delay, .list(.delay, minItems: 1)])
}

/// `[lower, upper]`, or `(lower, upper]` when `lowerOpen`.
struct NumberBounds: Sendable {
  let lower: Double
  let lowerOpen: Bool
  let upper: Double

  init(_ range: ClosedRange<Double>) {
    (lower, lowerOpen, upper) = (range.lowerBound, false, range.upperBound)
  }

  init(above lower: Double, upTo upper: Double) { (self.lower, lowerOpen, self.upper) = (lower, true, upper) }

  func contains(_ value: Double) -> Bool { (lowerOpen ? value > lower : value >= lower) && value <= upper }
}

/// One key of a mapping: what it holds and, for the schema, what it means.
struct ScenarioKey: Sendable {
  let name: String
  let shape: ValueShape
  let summary: String
  var required = false
  /// False where the default is not one value (derived from the file or other keys), so the
  /// schema must not show one.
  var fixedDefault = true

  init(_ name: String, _ shape: ValueShape, _ summary: String, required: Bool = false, fixedDefault: Bool = true) {
    self.name = name
    self.shape = shape
    self.summary = summary
    self.required = required
    self.fixedDefault = fixedDefault
  }
}

/// The keys a mapping allows, in the order the effective scenario writes them.
struct KeyTable: Sendable {
  let keys: [ScenarioKey]
  /// Exactly one of the keys (a distribution names one).
  var exactlyOne = false

  init(_ keys: [ScenarioKey], exactlyOne: Bool = false) {
    self.keys = keys
    self.exactlyOne = exactlyOne
  }

  var names: [String] { keys.map(\.name) }

  /// A key the parser reads but no table declares is a bug in this file; failing here keeps
  /// the schema from silently missing it.
  subscript(name: String) -> ScenarioKey {
    guard let key = keys.first(where: { $0.name == name }) else {
      preconditionFailure("'\(name)' is read but not declared in its ScenarioKeys table (\(names))")
    }
    return key
  }

  static func + (lhs: KeyTable, rhs: KeyTable) -> KeyTable { KeyTable(lhs.keys + rhs.keys) }
}

/// Every mapping of MODEL.md §7, §9 and §10 (docs/scenario.md describes them for people).
enum ScenarioKeys {
  static let top = KeyTable([
    ScenarioKey(
      "name", .scenarioName, "Names the report folder Reports/<name>/; default: the file name without extension.",
      fixedDefault: false),
    ScenarioKey("seed", .seed, "Root of every random stream; `run --seed N` overrides it."),
    ScenarioKey(
      "replications",
      .count(
        1...ScenarioSchema.maximumReplications, expected: "an integer in 1...\(ScenarioSchema.maximumReplications)"),
      "Independent runs, seeds derived from (seed, r)."),
    ScenarioKey(
      "horizon", .length, "Nothing happens after it; default: the last start + window, plus 1d.", fixedDefault: false),
    ScenarioKey("business", .mapping(business), "The business's messaging limit and how it scales."),
    ScenarioKey(
      "pacing", .choice(Pacing.allCases.map(\.rawValue)),
      "limit_aware senders wait instead of sending into a full messaging limit."),
    ScenarioKey(
      "senders", .list(.mapping(sender + emulatorSender), minItems: 1), "Phone numbers that send.", required: true),
    ScenarioKey(
      "campaigns",
      .list(.mapping(campaign + emulatorCampaign), minItems: 1, maxItems: ScenarioSchema.maximumCampaigns),
      "One message per contact of each campaign's audience.", required: true),
    ScenarioKey("faults", .mapping(faults), "Transient errors, outages and throttles."),
    ScenarioKey("retry", .mapping(retry), "The sender's retry policy."),
    ScenarioKey("report", .mapping(report), "How the report is built."),
    ScenarioKey(
      "thresholds", .dictionary(of: threshold, keys: "figure"),
      "Figure → condition(s), checked after `run`; a failing one exits 99. Example: promo.delivered_fraction: \">= 0.95\"."
    ),
    ScenarioKey("sweep", .mapping(sweep), "What `campaign-sim sweep` varies or searches."),
    ScenarioKey("emulator", .mapping(emulator), "Settings of `campaign-sim serve` (MODEL.md §10); `run` ignores them."),
  ])

  static let business = KeyTable([
    ScenarioKey(
      "messaging_limit", .limit,
      "Unique contacts per rolling limit_window, shared by all senders; with scaling, the starting limit."),
    ScenarioKey("limit_window", .length, "The rolling window of the messaging limit."),
    ScenarioKey(
      "scaling", .mapping(scaling), "Present: the limit scales by itself (MODEL.md §9.1); absent: it never changes."),
    ScenarioKey("quality", .mapping(quality), "The quality rating (MODEL.md §9.2)."),
  ])

  static let scaling = KeyTable([
    ScenarioKey("tiers", .list(.limit, minItems: 1), "Ascending limits; unlimited may only end the list."),
    ScenarioKey(
      "used_fraction", .fraction(positive: true), "Share of the limit in force that must be used to upgrade."),
    ScenarioKey("lookback", .length, "The trailing window used_fraction is measured over."),
    ScenarioKey("delay", .delay, "From earning an upgrade to its taking effect."),
    ScenarioKey(
      "min_quality", .choice(Quality.allCases.reversed().map(\.description)), "No upgrade below this quality."),
  ])

  static let quality = KeyTable([
    ScenarioKey("window", .length, "Reports per delivery are counted over this trailing window."),
    ScenarioKey("medium_at", .fraction(positive: false), "Reports per delivery from which quality is medium."),
    ScenarioKey("low_at", .fraction(positive: false), "Reports per delivery from which quality is low (≥ medium_at)."),
  ])

  static let sender = KeyTable([
    ScenarioKey("id", .identifier, "Unique; campaigns, faults and sweeps refer to it.", required: true),
    ScenarioKey("throughput_mps", .sendRate, "Dispatch interval floor(1e6 / mps) µs."),
    ScenarioKey("upgrade", .mapping(upgrade), "Throughput upgrade once the limit is unlimited (MODEL.md §9.3)."),
  ])

  static let upgrade = KeyTable([
    ScenarioKey("throughput_mps", .sendRate, "The throughput after the upgrade; above the sender's."),
    ScenarioKey("pause", .delay, "The outage while the number moves to the higher throughput."),
  ])

  static let campaign = KeyTable([
    ScenarioKey("id", .identifier, "Unique; also keys the campaign's random streams.", required: true),
    ScenarioKey("sender", .identifier, "The id of the sender that sends it.", required: true),
    ScenarioKey("start", .delay, "First attempts are ready then."),
    ScenarioKey("window", .length, "Nothing is dispatched at or after start + window."),
    ScenarioKey(
      "audience",
      .count(0...(ScenarioSchema.audienceLimit - 1), expected: "an integer in 0...\(ScenarioSchema.audienceLimit - 1)"),
      "Contacts, one message each; required by `run` (and so here), while `serve` ignores it.", required: true),
    ScenarioKey(
      "contacts", .mapping(contacts),
      "Probabilities per contact; invalid + blocked + offline ≤ 1, the other two are independent draws."),
    ScenarioKey(
      "blocked_signal", .choice(BlockedSignal.allCases.map(\.rawValue)),
      "error: 131048 and blocked_or_spam; silent: accepted, stays sent."),
    ScenarioKey("engagement", .mapping(engagement), "What contacts do with a message."),
    ScenarioKey("latency", .mapping(latency), "Each a duration or a distribution."),
    ScenarioKey(
      "cap_duration", .distribution, "How long a capped contact stays capped from the campaign's start (MODEL.md §9.4)."
    ),
  ])

  static let contacts = KeyTable([
    ScenarioKey("invalid", .probability, "Not on WhatsApp: error 131026."),
    ScenarioKey("blocked", .probability, "Blocked the business (see blocked_signal)."),
    ScenarioKey("offline", .probability, "Never online: accepted, stays sent."),
    ScenarioKey("read_receipts_off", .probability, "Reads are not reported."),
    ScenarioKey("marketing_capped", .probability, "At the per-user marketing cap: error 131049."),
  ])

  static let engagement = KeyTable([
    ScenarioKey("read", .probability, "A delivered message is read."),
    ScenarioKey("respond", .probability, "A read message is answered."),
    ScenarioKey("report", .probability, "A delivered message is reported (blocked), lowering quality."),
  ])

  static let latency = KeyTable([
    ScenarioKey("api", .distribution, "Dispatch to the API's answer."),
    ScenarioKey("deliver", .distribution, "Accepted to delivered."),
    ScenarioKey("read", .distribution, "Delivered to read."),
    ScenarioKey("respond", .distribution, "Read to responded."),
    ScenarioKey("report", .distribution, "Delivered to the report."),
  ])

  static let distribution = KeyTable(
    [
      ScenarioKey("exponential", .delay, "Exponential with this mean."),
      ScenarioKey("lognormal", .mapping(lognormal), "Lognormal through its median and 90th percentile."),
      ScenarioKey("uniform", .list(.delay, minItems: 2, maxItems: 2), "Uniform over [LOW, HIGH], LOW ≤ HIGH."),
    ], exactlyOne: true)

  static let lognormal = KeyTable([
    ScenarioKey("median", .length, "The median.", required: true),
    ScenarioKey("p90", .length, "The 90th percentile, ≥ median.", required: true),
  ])

  static let faults = KeyTable([
    ScenarioKey("transient_error_rate", .probability, "Error 131000 per attempt."),
    ScenarioKey("outages", .list(.mapping(outage)), "Attempts in [start, start + duration) get 131016."),
    ScenarioKey(
      "throttles", .list(.mapping(throttle)),
      "Attempts closer than floor(1e6 / mps) µs to the last one that passed get 130429; windows of a sender may not overlap."
    ),
  ])

  static let outage = KeyTable([
    ScenarioKey("sender", .identifier, "The sender's id.", required: true),
    ScenarioKey("start", .delay, "From the run's start.", required: true),
    ScenarioKey("duration", .delay, "0 is an empty window.", required: true),
  ])

  static let throttle = outage + KeyTable([ScenarioKey("mps", .sendRate, "The rate let through.", required: true)])

  static let retry = KeyTable([
    ScenarioKey("max_retries", .count(0...100, expected: "an integer in 0...100"), "Retries over all error kinds."),
    ScenarioKey(
      "transient_backoff", .list(.delay, minItems: 1), "Wait after the k-th transient error; the last entry repeats."),
    ScenarioKey("limit_backoff", .backoffs, "Wait after a messaging-limit error 131049."),
    ScenarioKey(
      "cap_backoff", .backoffs, "Wait after a per-user cap error 131049; default: limit_backoff.", fixedDefault: false),
    ScenarioKey(
      "jitter", .number(NumberBounds(0...1), expected: "a number in [0, 1]"),
      "A backoff b becomes b − floor(jitter · u · b)."),
    ScenarioKey(
      "retry_on", .list(.choice(ErrorKind.allCases.map(\.description)), unique: true),
      "Error kinds retried; a kind not listed ends the message at its first error."),
  ])

  static let report = KeyTable([
    ScenarioKey(
      "bucket", .either([.length, .word("auto")]),
      "Width of the throughput time series; auto keeps ≤ 240 buckets."),
    ScenarioKey(
      "memory_budget", .byteSize,
      "A run estimated to need more is refused before it starts; default: 80 % of physical memory.",
      fixedDefault: false),
  ])

  /// A condition, `{condition, strict}`, or a non-empty list of either.
  static let threshold = ValueShape.either([
    .condition, .mapping(strictCondition),
    .list(.either([.condition, .mapping(strictCondition)]), minItems: 1),
  ])

  static let strictCondition = KeyTable([
    ScenarioKey(
      "condition", .either([.condition, .list(.condition, minItems: 1)]), "OP VALUE, quoted, like \">= 0.95\".",
      required: true),
    ScenarioKey("strict", .bool, "Checked on the whole 95 % confidence interval, not the mean."),
  ])

  static let sweep = KeyTable([
    ScenarioKey(
      "vary", .dictionary(of: .either([.scalar, .list(.scalar, minItems: 1)]), keys: "parameter path"),
      "Parameter path (any scalar of the effective scenario) → values; the grid of `campaign-sim sweep`."),
    ScenarioKey("figure", .identifier, "The figure charted against the varied parameters.", fixedDefault: false),
    ScenarioKey("find_max", .mapping(findMax), "Capacity search: the largest value that meets `until`."),
  ])

  static let findMax = KeyTable([
    ScenarioKey("parameter", .identifier, "An integer parameter path, like campaigns.promo.audience.", required: true),
    ScenarioKey(
      "until", .conjunction, "Conditions joined by `and`, like \"promo.drained_at <= 3d\".", required: true),
    ScenarioKey("low", .count(0...Int(Int32.max), expected: "an integer ≥ 0"), "Where the search starts."),
    ScenarioKey(
      "high", .either([.count(0...Int(Int32.max), expected: "an integer ≥ 0 or null"), .null]),
      "The largest value tried; null: none."),
    ScenarioKey("strict", .bool, "Every condition on its confidence bound."),
  ])

  static let emulatorSender = KeyTable([
    ScenarioKey(
      "phone_number_id", .identifier, "The {phone-number-id} of the messages endpoint; default: the sender's id.",
      fixedDefault: false)
  ])

  static let emulatorCampaign = KeyTable([
    ScenarioKey(
      "template", .identifier, "The template.name that selects the campaign; default: the campaign's id.",
      fixedDefault: false)
  ])

  static let emulator = KeyTable([
    ScenarioKey(
      "port", .integer(0...65_535, expected: "a port number in 0...65535"), "0: any free port; --port overrides."),
    ScenarioKey("bind", .ipAddress, "An IP address; --bind overrides."),
    ScenarioKey(
      "access_token", .string(nonEmpty: true),
      "The bearer token senders must present; default: CAMPAIGNSIM_ACCESS_TOKEN.", fixedDefault: false),
    ScenarioKey(
      "app_secret", .string(nonEmpty: true), "Signs webhooks; default: CAMPAIGNSIM_APP_SECRET.", fixedDefault: false),
    ScenarioKey(
      "duration", .length, "Stop and report after this long; default: run until stopped.", fixedDefault: false),
    ScenarioKey("webhook", .mapping(webhook), "Where and how statuses are posted."),
  ])

  static let webhook = KeyTable([
    ScenarioKey("url", .url, "Where statuses are posted; default: nowhere.", fixedDefault: false),
    ScenarioKey("verify_token", .identifier, "Sent in the subscribe handshake at start.", fixedDefault: false),
    ScenarioKey("max_age", .length, "Failed posts are redelivered until a status is this old."),
    ScenarioKey("duplicates", .probability, "Chaos: a status is posted a second time."),
    ScenarioKey("delay", .distribution, "Chaos: extra delay per post."),
    ScenarioKey("batch", .count(1...1000, expected: "an integer in 1...1000"), "Statuses per post, at most."),
    ScenarioKey(
      "backlog", .count(1...100_000_000, expected: "an integer in 1...100000000"),
      "Statuses waiting at most; beyond, new ones are dropped and counted."),
    ScenarioKey("timeout", .length, "A post unanswered after this long is failed and redelivered."),
  ])
}
