import CampaignModel
import Foundation
import SimKernel
import Testing

@testable import ScenarioFormat

/// MODEL.md §10's scenario keys: `emulator:`, `senders[].phone_number_id`, `campaigns[].template`.
@Suite struct EmulatorSectionTests {
  static let full = """
    name: served
    senders: [{id: main, phone_number_id: "106540352242922", throughput_mps: 80}]
    campaigns: [{id: promo, template: spring_promo, sender: main}]
    emulator:
      port: 0
      bind: 0.0.0.0
      access_token: secret-token
      app_secret: app-secret
      duration: 10m
      webhook:
        url: http://127.0.0.1:9000/webhook
        verify_token: verify-me
        max_age: 1d
        duplicates: 0.25
        delay: {exponential: 2s}
        batch: 3
        backlog: 500
        timeout: 3s
    """

  @Test func everyKeyIsRead() throws {
    let (scenario, settings) = try ScenarioLoader.parseForServing(Self.full, file: "s.yaml")
    #expect(scenario.campaigns[0].audience == 0)
    #expect(settings.port == 0 && settings.bind == "0.0.0.0")
    #expect(settings.accessToken == "secret-token" && settings.appSecret == "app-secret")
    #expect(settings.duration == 10 * Time.minute)
    #expect(settings.phoneNumberIDs == ["106540352242922"] && settings.templates == ["spring_promo"])
    let hook = settings.webhook
    #expect(hook.url == "http://127.0.0.1:9000/webhook" && hook.verifyToken == "verify-me")
    #expect(hook.maxAge == Time.day && hook.duplicates == 0.25 && hook.delay == .exponential(mean: 2 * Time.second))
    #expect(hook.batch == 3 && hook.backlog == 500 && hook.timeout == 3 * Time.second)
  }

  @Test func defaultsAreTheIDs() throws {
    let (_, settings) = try ScenarioLoader.parseForServing(
      "senders: [{id: a}, {id: b}]\ncampaigns: [{id: c, sender: a}]", file: "s.yaml")
    #expect(settings.phoneNumberIDs == ["a", "b"] && settings.templates == ["c"])
    #expect(settings.port == 8080 && settings.bind == "127.0.0.1" && settings.accessToken == nil)
    #expect(settings.webhook.url == nil && settings.webhook.batch == 1 && settings.webhook.duplicates == 0)
  }

  /// `run` still needs audiences, accepts the emulator's keys, and checks them.
  @Test func runNeedsAudiencesButAcceptsTheKeys() throws {
    expectError(Self.full, line: 3, key: "campaigns[0].audience", message: "missing required key 'audience'")
    let withAudience = Self.full.replacingOccurrences(of: "sender: main}", with: "sender: main, audience: 5}")
    let scenario = try ScenarioLoader.parse(withAudience, file: "s.yaml").scenario
    #expect(scenario.campaigns[0].audience == 5)
  }

  @Test func badValuesAreLocated() {
    func bad(_ from: String, _ to: String, line: Int, key: String, message: String) {
      let text = Self.full.replacingOccurrences(of: from, with: to).replacingOccurrences(
        of: "sender: main}", with: "sender: main, audience: 1}")
      expectError(text, line: line, key: key, message: message)
    }
    bad("port: 0", "port: 70000", line: 5, key: "emulator.port", message: "0...65535")
    bad("bind: 0.0.0.0", "bind: localhost", line: 6, key: "emulator.bind", message: "IP address")
    bad("app_secret: app-secret", "app_secret: \"\"", line: 8, key: "emulator.app_secret", message: "non-empty")
    bad("duration: 10m", "duration: 0s", line: 9, key: "emulator.duration", message: "positive duration")
    bad("url: http://127.0.0.1:9000/webhook", "url: ftp://x", line: 11, key: "emulator.webhook.url", message: "http://")
    bad("duplicates: 0.25", "duplicates: 2", line: 14, key: "emulator.webhook.duplicates", message: "probability")
    bad("batch: 3", "batch: 0", line: 16, key: "emulator.webhook.batch", message: "1...1000")
    bad("timeout: 3s", "timeot: 3s", line: 18, key: "emulator.webhook.timeot", message: "did you mean 'timeout'")
    bad("port: 0", "prot: 0", line: 5, key: "emulator.prot", message: "unknown key")
  }

  @Test func duplicateNamesAreLocated() {
    expectError(
      """
      senders: [{id: a, phone_number_id: "1"}, {id: b, phone_number_id: "1"}]
      campaigns: [{id: c, sender: a, audience: 1}]
      """, line: 1, key: "senders[1].phone_number_id", message: "duplicate phone-number id '1'")
    expectError(
      """
      senders: [{id: a}]
      campaigns: [{id: c, sender: a, audience: 1, template: t}, {id: d, sender: a, audience: 1, template: t}]
      """, line: 2, key: "campaigns[1].template", message: "duplicate template 't'")
  }

  /// The effective scenario of a served run never holds a secret.
  @Test func effectiveDocumentRedactsSecrets() throws {
    let (scenario, settings) = try ScenarioLoader.parseForServing(Self.full, file: "s.yaml")
    let json = effectiveDocument(scenario, emulator: settings).json()
    #expect(!json.contains("secret-token") && !json.contains("app-secret") && !json.contains("verify-me"))
    #expect(json.contains("\"phone_number_id\"") && json.contains("\"template\"") && json.contains("<redacted>"))
  }
}
