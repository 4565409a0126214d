import CampaignModel
import RunPlan
import SimKernel
import Yams

/// MODEL.md §7, key by key. Keys are read in schema order (senders before campaigns and faults,
/// so references can be checked as soon as they are read), but unknown keys are caught first,
/// when each mapping is opened.
struct ScenarioSchema {
  let reader: NodeReader
  let defaultName: String
  /// `campaign-sim serve` (MODEL.md §10): audiences may be left out, the sender under test decides.
  var serving = false

  // The allowed keys of each mapping, with their types and ranges, are in `ScenarioKeys`.

  /// Audiences stop below 2^40: far beyond any real campaign, and a bound under which per-message
  /// counters and random-stream keys (MODEL.md §6) cannot overflow however they are packed.
  static let audienceLimit = 1 << 40
  /// Upper bound on `replications`, a guard against a typo turning into a run of days.
  static let maximumReplications = 1_000_000
  /// Sends per second above which `floor(1_000_000 / mps)` would be 0 µs and mean "no spacing at all".
  static let maximumMPS = 1_000_000.0
  /// Tolerance on `invalid + blocked + offline ≤ 1`, so that `0.1 + 0.2 + 0.7` is not rejected for a
  /// rounding error in its last bit.
  static let categorySlack = 1e-9
  /// A fixed bucket width is allocated for the whole horizon up front; this keeps that allocation sane.
  static let maximumBuckets: Int64 = 1_000_000

  /// The file's scenario, or all its errors (up to `Diagnostics.limit`) thrown as one.
  func scenarioFile(_ root: Node) throws(ScenarioError) -> ScenarioFile {
    var file: ScenarioFile?
    do {
      file = try read(root)
    } catch {
      reader.diagnostics.record(error)
    }
    if let errors = reader.diagnostics.combined() { throw errors }
    guard let file else { throw reader.error(root, "", "cannot read the scenario") }
    return file
  }

  /// Reads every key it can: a bad value is recorded and its default stands in, so that the
  /// keys after it are still checked. What other keys depend on (ids, the lists of senders and
  /// campaigns) is checked only while those are whole, so one mistake is not reported again as
  /// the unknown sender or campaign it leaves behind.
  private func read(_ root: Node) throws(ScenarioError) -> ScenarioFile {
    guard case .mapping = root else {
      throw reader.error(
        root, "", "expected a mapping at the top level (with senders and campaigns), found \(reader.describe(root))")
    }
    let top = try reader.fields(root, "", ScenarioKeys.top)

    let name = try top.read("name", scenarioName) ?? defaultName
    let seed = try top.read("seed", self.seed) ?? 42
    let replications = try top.count("replications") ?? 1
    let horizon = try top.duration("horizon")
    let business = try top.read("business", self.business) ?? Business()
    let pacing =
      try top.read("pacing") { (node, path) throws(ScenarioError) in
        try reader.choice(node, path, as: Pacing.self)
      } ?? .naive

    let senders = try reader.recovering { () throws(ScenarioError) in try self.senders(top.required("senders")) }
    let senderIDs = senders.flatMap { $0.complete ? $0.items.map(\.id) : nil }
    let campaigns = try reader.recovering { () throws(ScenarioError) in
      try self.campaigns(top.required("campaigns"), senderIDs: senderIDs)
    }
    let campaignIDs = campaigns.flatMap { $0.complete ? $0.items.map(\.id) : nil }
    let faults = try top.read(
      "faults", pair: { (found) throws(ScenarioError) in try self.faults(found, senderIDs: senderIDs) })
    let retry = try top.read("retry", pair: self.retry) ?? RetryPolicy()
    var bucket: SimTime?
    var memoryBudget: Int?
    if let (node, path) = top("report") {
      let report = try reader.recovering { () throws(ScenarioError) in
        try reader.fields(node, path, ScenarioKeys.report)
      }
      memoryBudget = try report?.read("memory_budget") { (node, path) throws(ScenarioError) in
        guard case .scalar(let scalar) = node, let bytes = ByteSize.parse(scalar.string) else {
          throw reader.error(
            node, path, "expected a size such as 512MiB, 2GiB or a number of bytes, found \(reader.describe(node))")
        }
        return bytes
      }
      bucket =
        try report?.read("bucket") { (node, path) throws(ScenarioError) -> SimTime? in
          if node.tagName == .str, node.scalar?.string == "auto" { return nil }
          let width = try reader.duration(node, path, positive: true, or: "auto")
          // The count depends on every window: with an error anywhere, it could only mislead.
          guard reader.diagnostics.isEmpty, let senders, let campaigns else { return width }
          let draft = Scenario(horizon: horizon, senders: senders.items, campaigns: campaigns.items)
          let count = draft.effectiveHorizon / width + 1
          guard count <= Self.maximumBuckets else {
            throw reader.error(
              node, path, "\(count) buckets over the horizon; at most \(Self.maximumBuckets): choose a wider bucket")
          }
          return width
        } ?? nil
    }
    var scenario = Scenario(
      name: name, seed: seed, replications: replications, horizon: horizon, messagingLimit: business.messagingLimit,
      pacing: pacing, senders: senders?.items ?? [], campaigns: campaigns?.items ?? [], faults: faults ?? Faults(),
      retry: retry, bucket: bucket)
    scenario.limitWindow = business.limitWindow
    scenario.scaling = business.scaling
    // Quality left out but needed (scaling, an upgrade, reports) runs on the defaults; spelling them
    // out makes the effective scenario show them and read back to this same scenario.
    scenario.quality = business.quality ?? (scenario.tracksQuality ? QualityPolicy() : nil)
    scenario.memoryBudget = memoryBudget
    // Read last: both refer to campaigns, and a sweep's values are checked against the whole scenario.
    var file = ScenarioFile(scenario)
    guard let campaignIDs else { return file }
    file.thresholds =
      try top.read(
        "thresholds",
        pair: { (found) throws(ScenarioError) in
          try thresholds(found, campaignIDs: campaignIDs)
        }) ?? []
    guard senderIDs != nil else { return file }
    file.sweep = try top.read("sweep", pair: { (found) throws(ScenarioError) in try sweep(found, base: scenario) })
    _ = try reader.recovering { () throws(ScenarioError) in try emulatorSettings(root, scenario: scenario) }
    return file
  }

  /// The items of a list that could be read, and whether all could: when one's id could not be
  /// read, references to it cannot be checked.
  struct Items<Item> {
    var items: [Item] = []
    var complete = true
  }

  /// The retry queue packs a campaign's index into 16 bits (RetryQueue.Entry),
  /// so more campaigns would have their retries counted against others.
  static let maximumCampaigns = 65_535

  // MARK: Top-level scalars

  /// The name becomes a folder under the reports directory, so it is restricted to characters that
  /// are safe in a path on every system, and `.`/`..` are refused because they would escape it.
  private func scenarioName(_ node: Node, _ path: String) throws(ScenarioError) -> String {
    let name = try reader.string(node, path)
    guard name.utf8.count <= NodeReader.maximumIdentifierBytes else {
      throw reader.error(
        node, path,
        "expected a name of at most \(NodeReader.maximumIdentifierBytes) characters (it names the report folder), found \(name.utf8.count)"
      )
    }
    guard isValidScenarioName(name) else {
      var quoted = ""
      Document.writeString(name, to: &quoted)
      throw reader.error(
        node, path, "expected a name of letters, digits, '.', '_' and '-' (it names the report folder), found \(quoted)"
      )
    }
    return name
  }

  /// The whole UInt64 range is accepted, and seeds above `Int.max` also as a decimal string,
  /// because `Document` (and so the effective scenario in a report) has only `Int` numbers.
  private func seed(_ node: Node, _ path: String) throws(ScenarioError) -> UInt64 {
    let expected = "a non-negative integer (at most \(UInt64.max))"
    if case .scalar(let scalar) = node {
      let text = scalar.string
      if node.tagName == .int {
        if !text.hasPrefix("-"), let value = UInt64.construct(from: scalar) { return value }
        throw reader.error(node, path, "expected \(expected), found \(text)")
      }
      if node.tagName == .str, !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = UInt64(text) {
        return value
      }
    }
    throw reader.error(node, path, "expected \(expected), found \(reader.describe(node))")
  }

  func messagingLimit(_ node: Node, _ path: String) throws(ScenarioError) -> Int? {
    if node.tagName == .str, node.scalar?.string == "unlimited" { return nil }
    return try reader.count(node, path, in: 1...Int.max, expected: "a positive integer or unlimited")
  }

  // MARK: Senders and campaigns

  private func senders(_ found: (node: Node, path: String)) throws(ScenarioError) -> Items<Sender> {
    let items = try reader.sequence(found.node, found.path, nonEmpty: true, of: "senders")
    var senders = Items<Sender>()
    var firstLine: [String: Int?] = [:]
    for (index, item) in items.enumerated() {
      let path = child(found.path, index)
      let fields: Fields
      let id: String
      do {
        fields = try reader.fields(item, path, ScenarioKeys.sender + ScenarioKeys.emulatorSender)
        let idField = try fields.required("id")
        id = try reader.identifier(idField.node, idField.path)
        if let line = firstLine[id] {
          // The id is known all the same: references to it are not errors.
          try reader.recover(
            reader.error(idField.node, idField.path, "duplicate sender id '\(id)'\(firstAt(line))"))
          continue
        }
        firstLine[id] = .some(idField.node.mark?.line)
      } catch {
        try reader.recover(error)
        senders.complete = false
        continue
      }
      var sender = Sender(id: id)
      let throughput = try fields.number("throughput_mps")
      if let throughput { sender.throughputMPS = throughput }
      // An upgrade is checked against the throughput: against a default standing in for a bad
      // one, it would only report a second, made-up error.
      if throughput != nil || fields("throughput_mps") == nil {
        sender.upgrade = try fields.read(
          "upgrade",
          pair: { (found) throws(ScenarioError) in
            try upgrade(found, sender: sender)
          })
      }
      senders.items.append(sender)
    }
    return senders
  }

  private func campaigns(_ found: (node: Node, path: String), senderIDs: [String]?) throws(ScenarioError)
    -> Items<Campaign>
  {
    let items = try reader.sequence(found.node, found.path, nonEmpty: true, of: "campaigns")
    guard items.count <= Self.maximumCampaigns else {
      throw reader.error(
        found.node, found.path, "expected at most \(Self.maximumCampaigns) campaigns, found \(items.count)")
    }
    var campaigns = Items<Campaign>()
    var firstLine: [String: Int?] = [:]
    for (index, item) in items.enumerated() {
      let path = child(found.path, index)
      let fields: Fields
      let id: String
      do {
        fields = try reader.fields(item, path, ScenarioKeys.campaign + ScenarioKeys.emulatorCampaign)
        let idField = try fields.required("id")
        id = try reader.identifier(idField.node, idField.path)
        if let line = firstLine[id] {
          try reader.recover(
            reader.error(idField.node, idField.path, "duplicate campaign id '\(id)'\(firstAt(line))"))
          continue
        }
        firstLine[id] = .some(idField.node.mark?.line)
      } catch {
        try reader.recover(error)
        campaigns.complete = false
        continue
      }
      let sender =
        try reader.recovering { () throws(ScenarioError) in
          try senderReference(fields.required("sender"), senderIDs: senderIDs)
        } ?? ""
      let start = try fields.duration("start") ?? 0
      let window = try fields.duration("window") ?? 3 * Time.day
      var audience = 0
      if !serving || fields("audience") != nil {
        audience =
          try reader.recovering { () throws(ScenarioError) in
            let audienceField = try fields.required("audience")
            return try reader.count(audienceField.node, audienceField.path, fields.table["audience"].shape)
          } ?? 0
      }
      var campaign = Campaign(id: id, sender: sender, start: start, window: window, audience: audience)
      if let mix = try fields.read("contacts", pair: contacts) { campaign.contacts = mix }
      if let signal = try fields.read(
        "blocked_signal",
        { (node, path) throws(ScenarioError) in try reader.choice(node, path, as: BlockedSignal.self) })
      {
        campaign.blockedSignal = signal
      }
      if let (node, path) = fields("engagement"),
        let engagement = try reader.recovering({ () throws(ScenarioError) in
          try reader.fields(node, path, ScenarioKeys.engagement)
        })
      {
        if let read = try engagement.number("read") { campaign.engagement.read = read }
        if let respond = try engagement.number("respond") { campaign.engagement.respond = respond }
        if let report = try engagement.number("report") { campaign.engagement.report = report }
      }
      if let latency = try fields.read("latency", pair: latencies) { campaign.latency = latency }
      if let capDuration = try fields.read("cap_duration", pair: distribution) { campaign.capDuration = capDuration }
      campaigns.items.append(campaign)
    }
    return campaigns
  }

  /// `senderIDs` is `nil` when a sender's id could not be read: any reference may be to it.
  private func senderReference(_ found: (node: Node, path: String), senderIDs: [String]?) throws(ScenarioError)
    -> String
  {
    let id = try reader.identifier(found.node, found.path)
    guard let senderIDs, !senderIDs.contains(id) else { return id }
    let known = senderIDs.map { "'\($0)'" }.joined(separator: ", ")
    var message = "unknown sender '\(id)'"
    if let guess = closest(to: id, in: senderIDs) { message += " (did you mean '\(guess)'?)" }
    throw reader.error(found.node, found.path, message + "; the senders are \(known)")
  }

  private func contacts(_ found: (node: Node, path: String)) throws(ScenarioError) -> ContactMix {
    let fields = try reader.fields(found.node, found.path, ScenarioKeys.contacts)
    var mix = ContactMix()
    if let value = try fields.number("invalid") { mix.invalid = value }
    if let value = try fields.number("blocked") { mix.blocked = value }
    if let value = try fields.number("offline") { mix.offline = value }
    if let value = try fields.number("read_receipts_off") { mix.readReceiptsOff = value }
    if let value = try fields.number("marketing_capped") { mix.marketingCapped = value }
    // The three are slices of one uniform draw (MODEL.md §5); past 1 the last slice would be cut
    // short silently. read_receipts_off and marketing_capped are independent draws, not in the sum.
    let sum = mix.invalid + mix.blocked + mix.offline
    if sum > 1 + Self.categorySlack {
      throw reader.error(
        found.node, found.path,
        "expected invalid + blocked + offline ≤ 1, found \(show(mix.invalid)) + \(show(mix.blocked)) + "
          + "\(show(mix.offline)) = \(show(sum))")
    }
    return mix
  }

  // MARK: Latencies

  private func latencies(_ found: (node: Node, path: String)) throws(ScenarioError) -> Latencies {
    let fields = try reader.fields(found.node, found.path, ScenarioKeys.latency)
    var latency = Latencies()
    if let value = try fields.read("api", pair: distribution) { latency.api = value }
    if let value = try fields.read("deliver", pair: distribution) { latency.deliver = value }
    if let value = try fields.read("read", pair: distribution) { latency.read = value }
    if let value = try fields.read("respond", pair: distribution) { latency.respond = value }
    if let value = try fields.read("report", pair: distribution) { latency.report = value }
    return latency
  }

  static var distributionKeys: [String] { ScenarioKeys.distribution.names }

  /// A duration is a fixed latency; a one-key mapping names a distribution. One key exactly,
  /// so that `{exponential: 5s, uniform: [...]}` is not quietly read as whichever comes first.
  func distribution(_ found: (node: Node, path: String)) throws(ScenarioError) -> Distribution {
    let (node, path) = found
    guard case .mapping = node else {
      if case .sequence = node {
        throw reader.error(
          node, path,
          "expected a duration or a mapping with one of \(Self.distributionKeys.joined(separator: ", ")), found a list")
      }
      return .fixed(try reader.duration(node, path))
    }
    let fields = try reader.fields(node, path, ScenarioKeys.distribution)
    guard let entry = fields.entries.first else {
      throw reader.error(
        node, path, "expected one of \(Self.distributionKeys.joined(separator: ", ")), found an empty mapping")
    }
    if fields.entries.count > 1 {
      let second = fields.entries[1]
      throw reader.error(
        second.keyNode, child(path, second.key),
        "expected a single distribution, found both '\(entry.key)' and '\(second.key)'")
    }
    let valuePath = child(path, entry.key)
    switch entry.key {
    case "exponential":
      return .exponential(mean: try reader.duration(entry.value, valuePath))
    case "lognormal":
      let parameters = try reader.fields(entry.value, valuePath, ScenarioKeys.lognormal)
      let medianField = try parameters.required("median")
      let p90Field = try parameters.required("p90")
      let median = try reader.duration(medianField.node, medianField.path, parameters.table["median"].shape)
      let p90 = try reader.duration(p90Field.node, p90Field.path, parameters.table["p90"].shape)
      guard median <= p90 else {
        throw reader.error(
          p90Field.node, p90Field.path,
          "expected p90 ≥ median (\(formatDuration(median))), found \(formatDuration(p90))")
      }
      return .lognormal(median: median, p90: p90)
    default:
      let bounds = try reader.sequence(entry.value, valuePath, nonEmpty: false, of: "two durations [LOW, HIGH]")
      guard bounds.count == 2 else {
        let found = bounds.count == 1 ? "1 item" : "\(bounds.count) items"
        throw reader.error(
          entry.value, valuePath, "expected a list of two durations [LOW, HIGH], found a list of \(found)")
      }
      let low = try reader.duration(bounds[0], child(valuePath, 0))
      let high = try reader.duration(bounds[1], child(valuePath, 1))
      guard low <= high else {
        throw reader.error(
          bounds[1], child(valuePath, 1),
          "expected HIGH ≥ LOW (\(formatDuration(low))), found \(formatDuration(high))")
      }
      return .uniform(low, high)
    }
  }

  // MARK: Faults and retry

  private func faults(_ found: (node: Node, path: String), senderIDs: [String]?) throws(ScenarioError) -> Faults {
    let fields = try reader.fields(found.node, found.path, ScenarioKeys.faults)
    var faults = Faults()
    if let rate = try fields.number("transient_error_rate") { faults.transientErrorRate = rate }
    if let (node, path) = fields("outages"),
      let items = try reader.recovering({ () throws(ScenarioError) in
        try reader.sequence(node, path, nonEmpty: false, of: "outages")
      })
    {
      for (index, item) in items.enumerated() {
        let window = try reader.recovering { () throws(ScenarioError) in
          try self.window(item, child(path, index), senderIDs: senderIDs, ScenarioKeys.outage)
        }
        if let window {
          faults.outages.append(Outage(sender: window.sender, start: window.start, duration: window.duration))
        }
      }
    }
    if let (node, path) = fields("throttles"),
      let items = try reader.recovering({ () throws(ScenarioError) in
        try reader.sequence(node, path, nonEmpty: false, of: "throttles")
      })
    {
      // Where each accepted throttle is in the file: a bad one before it is skipped.
      var places: [(index: Int, line: Int?)] = []
      for (index, item) in items.enumerated() {
        let itemPath = child(path, index)
        let throttle = try reader.recovering { () throws(ScenarioError) in
          let window = try self.window(item, itemPath, senderIDs: senderIDs, ScenarioKeys.throttle)
          let mpsField = try window.fields.required("mps")
          let mps = try reader.number(mpsField.node, mpsField.path, window.fields.table["mps"].shape)
          return Throttle(sender: window.sender, start: window.start, duration: window.duration, mps: mps)
        }
        guard let throttle else { continue }
        // Two rates at once on one sender would make rule 2 of MODEL.md §4 ambiguous.
        if let otherIndex = faults.throttles.firstIndex(where: {
          $0.sender == throttle.sender && $0.start < throttle.end && throttle.start < $0.end
        }) {
          let other = faults.throttles[otherIndex]
          let place = places[otherIndex]
          let this = "[\(formatDuration(throttle.start)), \(formatDuration(throttle.end)))"
          let that = "[\(formatDuration(other.start)), \(formatDuration(other.end)))"
          try reader.recover(
            reader.error(
              item, itemPath,
              "throttle \(this) of sender '\(throttle.sender)' overlaps \(child(path, place.index)) \(that)"
                + firstAt(place.line, label: "at")))
          continue
        }
        faults.throttles.append(throttle)
        places.append((index, item.mark?.line))
      }
    }
    return faults
  }

  private struct FaultWindow {
    let fields: Fields
    let sender: String
    let start: SimTime
    let duration: SimTime
  }

  /// The part outages and throttles share. A zero duration is allowed: it is an empty window,
  /// handy for switching a fault off in a sweep without deleting it.
  private func window(_ node: Node, _ path: String, senderIDs: [String]?, _ table: KeyTable) throws(ScenarioError)
    -> FaultWindow
  {
    let fields = try reader.fields(node, path, table)
    let sender = try senderReference(fields.required("sender"), senderIDs: senderIDs)
    let startField = try fields.required("start")
    let start = try reader.duration(startField.node, startField.path, table["start"].shape)
    let durationField = try fields.required("duration")
    let duration = try reader.duration(durationField.node, durationField.path, table["duration"].shape)
    return FaultWindow(fields: fields, sender: sender, start: start, duration: duration)
  }

  private func firstAt(_ line: Int?, label: String = "first at") -> String {
    guard let line else { return "" }
    return " (\(label) line \(line))"
  }
}

/// Sums are shown the way the report would print them, not with Swift's `0.0`.
private func show(_ value: Double) -> String { Document.format(value) }

/// `[A-Za-z0-9._-]+`, but not `.` or `..`.
func isValidScenarioName(_ name: String) -> Bool {
  guard !name.isEmpty, !name.allSatisfy({ $0 == "." }) else { return false }
  return name.unicodeScalars.allSatisfy { scalar in
    switch scalar {
    case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": true
    default: false
    }
  }
}
