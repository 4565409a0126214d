import CampaignModel
import Foundation
import SimKernel
import Yams

/// What `campaign-sim serve` needs beyond the model (MODEL.md §10): where to listen, the secrets,
/// the webhook receiver and its chaos, and how HTTP names map to senders and campaigns.
///
/// Kept apart from `Scenario`, which the batch engine runs: nothing here changes a simulated
/// result, and a scenario without an `emulator:` section parses exactly as before.
public struct EmulatorSettings: Sendable, Equatable {
  public var port: Int = 8080
  public var bind: String = "127.0.0.1"
  /// `nil`: taken from `CAMPAIGNSIM_ACCESS_TOKEN`.
  public var accessToken: String?
  /// `nil`: taken from `CAMPAIGNSIM_APP_SECRET`.
  public var appSecret: String?
  /// Stop and report after this long; `nil`: run until stopped.
  public var duration: SimTime?
  public var webhook = WebhookSettings()
  /// `senders[].phone_number_id`, one per sender in file order (default: the sender's id).
  public var phoneNumberIDs: [String] = []
  /// `campaigns[].template`, one per campaign in file order (default: the campaign's id).
  public var templates: [String] = []

  public init() {}
}

public struct WebhookSettings: Sendable, Equatable {
  /// `nil`: statuses are tracked and reported but posted nowhere.
  public var url: String?
  public var verifyToken: String?
  /// Redelivery stops this long after a webhook was first due (Meta: 7 days).
  public var maxAge: SimTime = 7 * Time.day
  /// Probability that a post is sent twice.
  public var duplicates: Double = 0
  /// Extra delay before each post; anything but 0 reorders statuses.
  public var delay: Distribution = .fixed(0)
  /// Statuses per post, at most.
  public var batch: Int = 1
  /// Posts waiting (due or retrying) beyond which new ones are dropped and counted.
  public var backlog: Int = 100_000
  /// A post without an answer after this long counts as failed and is redelivered.
  public var timeout: SimTime = 10 * Time.second

  public init() {}
}

extension ScenarioSchema {
  /// The `emulator:` section and the per-sender and per-campaign names, read after the rest of
  /// the scenario so that ids are known; `run` reads it too, so a bad value fails both commands.
  func emulatorSettings(_ root: Node, scenario: Scenario) throws(ScenarioError) -> EmulatorSettings {
    var settings = EmulatorSettings()
    settings.phoneNumberIDs = try names(
      root, list: "senders", key: "phone_number_id", defaults: scenario.senders.map(\.id), what: "phone-number id")
    settings.templates = try names(
      root, list: "campaigns", key: "template", defaults: scenario.campaigns.map(\.id), what: "template")
    guard let (node, path) = try reader.fields(root, "", ScenarioKeys.top)("emulator") else { return settings }
    let fields = try reader.fields(node, path, ScenarioKeys.emulator)
    guard case .integer(let ports, let expected) = fields.table["port"].shape else { preconditionFailure("port") }
    if let port = try fields.read(
      "port", { (node, path) throws(ScenarioError) in try reader.integer(node, path, in: ports, expected: expected) })
    {
      settings.port = port
    }
    if let bind = try fields.read(
      "bind",
      { (node, path) throws(ScenarioError) in
        let bind = try reader.identifier(node, path)
        guard isIPAddress(bind) else {
          throw reader.error(node, path, "expected an IP address such as 127.0.0.1 or 0.0.0.0, found '\(bind)'")
        }
        return bind
      })
    {
      settings.bind = bind
    }
    if let token = try fields.read("access_token", secret) { settings.accessToken = token }
    if let secret = try fields.read("app_secret", secret) { settings.appSecret = secret }
    if let duration = try fields.duration("duration") { settings.duration = duration }
    if let webhook = try fields.read("webhook", webhook) { settings.webhook = webhook }
    return settings
  }

  private func webhook(_ node: Node, _ path: String) throws(ScenarioError) -> WebhookSettings {
    let fields = try reader.fields(node, path, ScenarioKeys.webhook)
    var webhook = WebhookSettings()
    if let url = try fields.read(
      "url",
      { (node, path) throws(ScenarioError) in
        let url = try reader.identifier(node, path)
        if let problem = webhookURLProblem(url) { throw reader.error(node, path, problem) }
        return url
      })
    {
      webhook.url = url
    }
    if let token = try fields.read(
      "verify_token", { (node, path) throws(ScenarioError) in try reader.identifier(node, path) })
    {
      webhook.verifyToken = token
    }
    if let maxAge = try fields.duration("max_age") { webhook.maxAge = maxAge }
    if let duplicates = try fields.number("duplicates") { webhook.duplicates = duplicates }
    if let delay = try fields.read("delay", pair: distribution) { webhook.delay = delay }
    if let batch = try fields.count("batch") { webhook.batch = batch }
    if let backlog = try fields.count("backlog") { webhook.backlog = backlog }
    if let timeout = try fields.duration("timeout") { webhook.timeout = timeout }
    return webhook
  }

  /// Secrets are compared byte for byte with what a client sends, so an empty one would let an
  /// empty `Authorization` header in.
  private func secret(_ node: Node, _ path: String) throws(ScenarioError) -> String {
    let value = try reader.string(node, path)
    if value.isEmpty { throw reader.error(node, path, "expected a non-empty secret, found an empty string") }
    return value
  }

  /// One optional string per item of `list`, unique across the list because it is how a request
  /// finds its sender or campaign.
  private func names(_ root: Node, list: String, key: String, defaults: [String], what: String)
    throws(ScenarioError) -> [String]
  {
    guard case .mapping(let top) = root, let listNode = top[list], case .sequence(let items) = listNode else {
      return defaults
    }
    var names = defaults
    var firstLine: [String: Int?] = [:]
    for (index, item) in items.enumerated() where index < names.count {
      let path = child(child(list, index), key)
      var mark = item.mark
      if case .mapping(let mapping) = item, let node = mapping[key] {
        names[index] = try reader.identifier(node, path)
        mark = node.mark
      }
      if let line = firstLine[names[index]] {
        let at = line.map { " (first at line \($0))" } ?? ""
        throw reader.error(at: mark, path, "duplicate \(what) '\(names[index])'\(at)")
      }
      firstLine[names[index]] = .some(mark?.line)
    }
    return names
  }
}

/// Why `url` cannot receive webhooks, or `nil`. Only plain HTTP: the emulator runs on loopback
/// next to the sender under test.
public func webhookURLProblem(_ url: String) -> String? {
  guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
    scheme == "http" || scheme == "https", let host = parts.host, !host.isEmpty
  else {
    return "expected an http:// or https:// URL with a host, found '\(url)'"
  }
  return nil
}

/// A dotted IPv4 or a colon IPv6 literal: `bind` takes addresses, not host names, so that what
/// is printed as `listening on` is exactly what was bound.
public func isIPAddress(_ text: String) -> Bool {
  var v4 = in_addr()
  var v6 = in6_addr()
  return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
}

extension ScenarioLoader {
  /// The scenario as `serve` reads it: audiences optional, plus the emulator's settings.
  public static func loadForServing(path: String) throws(ScenarioError) -> (Scenario, EmulatorSettings) {
    try parseForServing(readText(path: path), file: path)
  }

  public static func parseForServing(_ text: String, file: String) throws(ScenarioError) -> (
    Scenario, EmulatorSettings
  ) {
    let root = try composeRoot(text, file: file)
    var schema = ScenarioSchema(reader: NodeReader(file: file), defaultName: defaultName(forFile: file))
    schema.serving = true
    let scenario = try schema.scenarioFile(root).scenario
    let settings = try schema.emulatorSettings(root, scenario: scenario)
    // The settings were read once already, cleanly; reading them again records nothing new.
    if let errors = schema.reader.diagnostics.combined() { throw errors }
    return (scenario, settings)
  }
}
