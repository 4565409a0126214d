import CampaignModel
import SimKernel
import Yams

// The keys of MODEL.md §9 (today's platform: limits that scale, quality, throughput upgrades,
// per-user caps, retry policies per kind) and the v1 clarification `business.limit_window`.
// Each is optional and off when absent, so a v1 file reads to the same `Scenario` as before.
extension ScenarioSchema {
  /// `business:` as read.
  struct Business {
    var messagingLimit: Int?
    var limitWindow = Time.day
    var scaling: ScalingPolicy?
    var quality: QualityPolicy?
  }

  func business(_ node: Node, _ path: String) throws(ScenarioError) -> Business {
    let fields = try reader.fields(node, path, ScenarioKeys.business)
    var business = Business()
    if let limit = try fields.read("messaging_limit", messagingLimit) { business.messagingLimit = limit }
    if let window = try fields.duration("limit_window") { business.limitWindow = window }
    business.scaling = try fields.read("scaling", pair: scaling)
    business.quality = try fields.read("quality", pair: quality)
    return business
  }

  /// ```yaml
  /// scaling: {tiers: [250, 2000, 10000, 100000, unlimited], used_fraction: 0.5, lookback: 7d,
  ///           delay: 6h, min_quality: medium}
  /// ```
  func scaling(_ found: (node: Node, path: String)) throws(ScenarioError) -> ScalingPolicy {
    let fields = try reader.fields(found.node, found.path, ScenarioKeys.scaling)
    var scaling = ScalingPolicy()
    if let tiers = try fields.read("tiers", tiers) { scaling.tiers = tiers }
    if let fraction = try fields.fraction("used_fraction") { scaling.usedFraction = fraction }
    if let lookback = try fields.duration("lookback") { scaling.lookback = lookback }
    if let delay = try fields.duration("delay") { scaling.delay = delay }
    if let minQuality = try fields.read("min_quality", quality) { scaling.minQuality = minQuality }
    return scaling
  }

  /// Strictly ascending positive limits; `unlimited` may only end the list (nothing is above it).
  private func tiers(_ node: Node, _ path: String) throws(ScenarioError) -> [Int?] {
    let items = try reader.sequence(node, path, nonEmpty: true, of: "tiers (positive integers, then unlimited)")
    var tiers: [Int?] = []
    for (index, item) in items.enumerated() {
      let itemPath = child(path, index)
      if let previous = tiers.last, previous == nil {
        throw reader.error(
          item, itemPath, "unlimited must be the last tier, found \(reader.describe(item)) after it")
      }
      let tier = try messagingLimit(item, itemPath)
      if let previous = tiers.last, let previous, let tier, tier <= previous {
        throw reader.error(
          item, itemPath, "expected tiers in ascending order, found \(tier) after \(previous)")
      }
      tiers.append(tier)
    }
    return tiers
  }

  /// `high`, `medium` or `low`.
  func quality(_ node: Node, _ path: String) throws(ScenarioError) -> Quality {
    if case .scalar(let scalar) = node, node.tagName == .str,
      let quality = Quality.allCases.first(where: { "\($0)" == scalar.string })
    {
      return quality
    }
    throw reader.error(node, path, "expected high, medium or low, found \(reader.describe(node))")
  }

  /// ```yaml
  /// quality: {window: 7d, medium_at: 0.01, low_at: 0.03}
  /// ```
  func quality(_ found: (node: Node, path: String)) throws(ScenarioError) -> QualityPolicy {
    let fields = try reader.fields(found.node, found.path, ScenarioKeys.quality)
    var quality = QualityPolicy()
    if let window = try fields.duration("window") { quality.window = window }
    let medium = try fields.fraction("medium_at")
    let low = try fields.fraction("low_at")
    if let medium { quality.mediumAt = medium }
    if let low { quality.lowAt = low }
    // Compared only between values that read: a default standing in for a bad one would make
    // up a second error.
    let mediumIsGood = medium != nil || fields("medium_at") == nil
    let lowIsGood = low != nil || fields("low_at") == nil
    if quality.lowAt < quality.mediumAt && mediumIsGood && lowIsGood {
      // Point at what was written: low_at if it was, else the medium_at that passed the default low_at.
      if let (node, path) = fields("low_at") {
        throw reader.error(
          node, path, "expected low_at ≥ medium_at (\(quality.mediumAt)), found \(quality.lowAt)")
      }
      if let (node, path) = fields("medium_at") {
        throw reader.error(
          node, path, "expected medium_at ≤ low_at (\(quality.lowAt), the default), found \(quality.mediumAt)")
      }
    }
    return quality
  }

  /// ```yaml
  /// upgrade: {throughput_mps: 1000, pause: 1m}
  /// ```
  func upgrade(_ found: (node: Node, path: String), sender: Sender) throws(ScenarioError) -> ThroughputUpgrade {
    let fields = try reader.fields(found.node, found.path, ScenarioKeys.upgrade)
    var upgrade = ThroughputUpgrade()
    let current = Document.format(sender.throughputMPS)
    if let (node, path) = fields("throughput_mps") {
      upgrade.throughputMPS = try reader.number(node, path, fields.table["throughput_mps"].shape)
      if upgrade.throughputMPS <= sender.throughputMPS {
        throw reader.error(
          node, path,
          "expected a throughput above the sender's throughput_mps (\(current)), found \(node.scalar?.string ?? "")")
      }
    } else if upgrade.throughputMPS <= sender.throughputMPS {
      throw reader.error(
        found.node, found.path,
        "the default upgrade throughput_mps (\(Document.format(upgrade.throughputMPS))) is not above the sender's "
          + "(\(current)); give a higher throughput_mps")
    }
    if let pause = try fields.duration("pause") { upgrade.pause = pause }
    return upgrade
  }

  /// `retry:` with the per-kind keys of MODEL.md §9.5.
  func retry(_ found: (node: Node, path: String)) throws(ScenarioError) -> RetryPolicy {
    let fields = try reader.fields(found.node, found.path, ScenarioKeys.retry)
    var retry = RetryPolicy()
    if let maxRetries = try fields.count("max_retries") { retry.maxRetries = maxRetries }
    if let backoff = try fields.read("transient_backoff", backoffList) { retry.transientBackoff = backoff }
    if let backoff = try fields.read("limit_backoff", backoffs) { retry.limitBackoff = backoff }
    if let backoff = try fields.read("cap_backoff", backoffs) { retry.capBackoff = backoff }
    if let jitter = try fields.number("jitter") { retry.jitter = jitter }
    if let retryOn = try fields.read("retry_on", retryOn) { retry.retryOn = retryOn }
    return retry
  }

  private func backoffList(_ node: Node, _ path: String) throws(ScenarioError) -> [SimTime] {
    let items = try reader.sequence(node, path, nonEmpty: true, of: "durations")
    var backoff: [SimTime] = []
    for (index, item) in items.enumerated() { backoff.append(try reader.duration(item, child(path, index))) }
    return backoff
  }

  /// A duration (the same wait after every error of the kind) or a list indexed like
  /// `transient_backoff`.
  private func backoffs(_ node: Node, _ path: String) throws(ScenarioError) -> [SimTime] {
    if case .sequence = node { return try backoffList(node, path) }
    return [try reader.duration(node, path, or: "a non-empty list of durations")]
  }

  private func retryOn(_ node: Node, _ path: String) throws(ScenarioError) -> ErrorKinds {
    let names = ErrorKind.allCases.map(\.description)
    let items = try reader.sequence(node, path, nonEmpty: false, of: "error kinds (\(names.joined(separator: ", ")))")
    var kinds: ErrorKinds = []
    for (index, item) in items.enumerated() {
      let itemPath = child(path, index)
      guard case .scalar(let scalar) = item, item.tagName == .str,
        let kind = ErrorKind.allCases.first(where: { $0.description == scalar.string })
      else {
        throw reader.error(
          item, itemPath,
          "expected an error kind, one of \(names.joined(separator: ", ")), found \(reader.describe(item))")
      }
      if kinds.contains(kind) { throw reader.error(item, itemPath, "'\(kind)' is listed twice") }
      kinds.insert(ErrorKinds(kind))
    }
    return kinds
  }
}
