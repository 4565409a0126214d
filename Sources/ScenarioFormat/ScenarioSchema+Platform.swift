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
    let fields = try reader.fields(node, path, allowed: Self.businessKeys)
    var business = Business()
    if let (node, path) = fields("messaging_limit") { business.messagingLimit = try messagingLimit(node, path) }
    if let (node, path) = fields("limit_window") {
      business.limitWindow = try reader.duration(node, path, positive: true)
    }
    if let found = fields("scaling") { business.scaling = try scaling(found) }
    if let found = fields("quality") { business.quality = try quality(found) }
    return business
  }

  /// ```yaml
  /// scaling: {tiers: [250, 2000, 10000, 100000, unlimited], used_fraction: 0.5, lookback: 7d,
  ///           delay: 6h, min_quality: medium}
  /// ```
  func scaling(_ found: (node: Node, path: String)) throws(ScenarioError) -> ScalingPolicy {
    let fields = try reader.fields(
      found.node, found.path, allowed: ["tiers", "used_fraction", "lookback", "delay", "min_quality"])
    var scaling = ScalingPolicy()
    if let (node, path) = fields("tiers") { scaling.tiers = try tiers(node, path) }
    if let (node, path) = fields("used_fraction") {
      scaling.usedFraction = try reader.exactFraction(node, path, positive: true)
    }
    if let (node, path) = fields("lookback") { scaling.lookback = try reader.duration(node, path, positive: true) }
    if let (node, path) = fields("delay") { scaling.delay = try reader.duration(node, path) }
    if let (node, path) = fields("min_quality") { scaling.minQuality = try quality(node, path) }
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
    let fields = try reader.fields(found.node, found.path, allowed: ["window", "medium_at", "low_at"])
    var quality = QualityPolicy()
    if let (node, path) = fields("window") { quality.window = try reader.duration(node, path, positive: true) }
    let medium = fields("medium_at")
    let low = fields("low_at")
    if let (node, path) = medium { quality.mediumAt = try reader.exactFraction(node, path, positive: false) }
    if let (node, path) = low { quality.lowAt = try reader.exactFraction(node, path, positive: false) }
    if quality.lowAt < quality.mediumAt {
      // Point at what was written: low_at if it was, else the medium_at that passed the default low_at.
      if let (node, path) = low {
        throw reader.error(
          node, path, "expected low_at ≥ medium_at (\(quality.mediumAt)), found \(quality.lowAt)")
      }
      if let (node, path) = medium {
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
    let fields = try reader.fields(found.node, found.path, allowed: ["throughput_mps", "pause"])
    var upgrade = ThroughputUpgrade()
    let current = Document.format(sender.throughputMPS)
    if let (node, path) = fields("throughput_mps") {
      upgrade.throughputMPS = try reader.number(
        node, path, where: { $0 > 0 && $0 <= Self.maximumMPS },
        expected: "a number of sends per second in (0, 1000000]")
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
    if let (node, path) = fields("pause") { upgrade.pause = try reader.duration(node, path) }
    return upgrade
  }

  /// `retry:` with the per-kind keys of MODEL.md §9.5.
  func retry(_ found: (node: Node, path: String)) throws(ScenarioError) -> RetryPolicy {
    let fields = try reader.fields(found.node, found.path, allowed: Self.retryKeys)
    var retry = RetryPolicy()
    if let (node, path) = fields("max_retries") {
      retry.maxRetries = try reader.integer(node, path, in: 0...100, expected: "an integer in 0...100")
    }
    if let (node, path) = fields("transient_backoff") { retry.transientBackoff = try backoffList(node, path) }
    if let (node, path) = fields("limit_backoff") { retry.limitBackoff = try backoffs(node, path) }
    if let (node, path) = fields("cap_backoff") { retry.capBackoff = try backoffs(node, path) }
    if let (node, path) = fields("jitter") {
      retry.jitter = try reader.number(node, path, where: { $0 >= 0 && $0 <= 1 }, expected: "a number in [0, 1]")
    }
    if let (node, path) = fields("retry_on") { retry.retryOn = try retryOn(node, path) }
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
