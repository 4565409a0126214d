import CampaignModel
import Foundation
import SimKernel
import Testing

@testable import ScenarioFormat

/// Every field of MODEL.md §7 set to a non-default value, so a field that is silently ignored
/// (left at its default) makes the equality fail.
let fullYAML = """
  name: spring-promo
  seed: 7
  replications: 3
  horizon: 4d
  business:
    messaging_limit: 10000
  pacing: limit_aware
  senders:
    - id: main
      throughput_mps: 80
    - id: backup
      throughput_mps: 1000
  campaigns:
    - id: promo
      sender: main
      start: 0s
      window: 2d
      audience: 1000000
      contacts: {invalid: 0.03, blocked: 0.01, offline: 0.04, read_receipts_off: 0.15}
      blocked_signal: silent
      engagement: {read: 0.7, respond: 0.1}
      latency:
        api: 200ms
        deliver: {exponential: 5s}
        read: {lognormal: {median: 10m, p90: 6h}}
        respond: {uniform: [1m, 30m]}
    - id: reminder
      sender: backup
      start: 1.5h
      audience: 250
  faults:
    transient_error_rate: 0.01
    outages: [{sender: main, start: 2h, duration: 30m}]
    throttles:
      - {sender: main, start: 6h, duration: 1h, mps: 20}
      - {sender: backup, start: 6h, duration: 1h, mps: 2.5}
  retry:
    max_retries: 5
    transient_backoff: [30s, 2m, 10m]
    limit_backoff: 12h
  report:
    bucket: 15m
  """

/// The same scenario as JSON, with the spellings JSON forces (quoted durations, bare seconds).
let fullJSON = """
  {
    "name": "spring-promo", "seed": 7, "replications": 3, "horizon": "4d",
    "business": {"messaging_limit": 10000},
    "pacing": "limit_aware",
    "senders": [{"id": "main", "throughput_mps": 80}, {"id": "backup", "throughput_mps": 1000.0}],
    "campaigns": [
      {
        "id": "promo", "sender": "main", "start": 0, "window": "2d", "audience": 1000000,
        "contacts": {"invalid": 0.03, "blocked": 0.01, "offline": 0.04, "read_receipts_off": 0.15},
        "blocked_signal": "silent",
        "engagement": {"read": 0.7, "respond": 0.1},
        "latency": {
          "api": 0.2,
          "deliver": {"exponential": "5s"},
          "read": {"lognormal": {"median": "10m", "p90": "6h"}},
          "respond": {"uniform": ["1m", "30m"]}
        }
      },
      {"id": "reminder", "sender": "backup", "start": "90m", "audience": 250}
    ],
    "faults": {
      "transient_error_rate": 0.01,
      "outages": [{"sender": "main", "start": "2h", "duration": "30m"}],
      "throttles": [
        {"sender": "main", "start": "6h", "duration": "1h", "mps": 20},
        {"sender": "backup", "start": "6h", "duration": "1h", "mps": 2.5}
      ]
    },
    "retry": {"max_retries": 5, "transient_backoff": ["30s", "2m", "10m"], "limit_backoff": "12h"},
    "report": {"bucket": "15m"}
  }
  """

let expectedFull = Scenario(
  name: "spring-promo", seed: 7, replications: 3, horizon: 4 * Time.day, messagingLimit: 10_000,
  pacing: .limitAware,
  senders: [Sender(id: "main", throughputMPS: 80), Sender(id: "backup", throughputMPS: 1000)],
  campaigns: [
    Campaign(
      id: "promo", sender: "main", start: 0, window: 2 * Time.day, audience: 1_000_000,
      contacts: ContactMix(invalid: 0.03, blocked: 0.01, offline: 0.04, readReceiptsOff: 0.15),
      blockedSignal: .silent, engagement: Engagement(read: 0.7, respond: 0.1),
      latency: Latencies(
        api: .fixed(200_000), deliver: .exponential(mean: 5 * Time.second),
        read: .lognormal(median: 10 * Time.minute, p90: 6 * Time.hour),
        respond: .uniform(Time.minute, 30 * Time.minute))),
    Campaign(id: "reminder", sender: "backup", start: 90 * Time.minute, audience: 250),
  ],
  faults: Faults(
    transientErrorRate: 0.01,
    outages: [Outage(sender: "main", start: 2 * Time.hour, duration: 30 * Time.minute)],
    throttles: [
      Throttle(sender: "main", start: 6 * Time.hour, duration: Time.hour, mps: 20),
      Throttle(sender: "backup", start: 6 * Time.hour, duration: Time.hour, mps: 2.5),
    ]),
  retry: RetryPolicy(
    maxRetries: 5, transientBackoff: [30 * Time.second, 2 * Time.minute, 10 * Time.minute],
    limitBackoff: [12 * Time.hour]),
  bucket: 15 * Time.minute)

@Suite struct ScenarioParsingTests {
  @Test func fullYAMLParsesToExactValues() throws {
    let scenario = try ScenarioLoader.parse(fullYAML, file: "spring.yaml").scenario
    #expect(scenario == expectedFull)
  }

  @Test func fullJSONParsesToTheSameScenario() throws {
    let scenario = try ScenarioLoader.parse(fullJSON, file: "spring.json").scenario
    #expect(scenario == expectedFull)
  }

  @Test func omittedFieldsTakeTheModelDefaults() throws {
    let yaml = """
      senders: [{id: main}]
      campaigns:
        - {id: promo, sender: main, audience: 10}
      """
    let scenario = try ScenarioLoader.parse(yaml, file: "scenarios/black-friday.v2.yaml").scenario
    #expect(scenario.name == "black-friday.v2")
    #expect(scenario.seed == 42)
    #expect(scenario.replications == 1)
    #expect(scenario.horizon == nil)
    #expect(scenario.effectiveHorizon == 4 * Time.day)
    #expect(scenario.messagingLimit == nil)
    #expect(scenario.pacing == .naive)
    #expect(scenario.senders == [Sender(id: "main", throughputMPS: 80)])
    let campaign = try #require(scenario.campaigns.first)
    #expect(campaign.start == 0)
    #expect(campaign.window == 3 * Time.day)
    #expect(campaign.contacts == ContactMix(invalid: 0, blocked: 0, offline: 0, readReceiptsOff: 0))
    #expect(campaign.blockedSignal == .error)
    #expect(campaign.engagement == Engagement(read: 0, respond: 0))
    #expect(campaign.latency == Latencies(api: .fixed(0), deliver: .fixed(0), read: .fixed(0), respond: .fixed(0)))
    #expect(scenario.faults == Faults(transientErrorRate: 0, outages: [], throttles: []))
    #expect(scenario.retry.maxRetries == 3)
    #expect(scenario.retry.transientBackoff == [30 * Time.second, 2 * Time.minute, 10 * Time.minute])
    #expect(scenario.retry.limitBackoff == [12 * Time.hour])
    #expect(scenario.bucket == nil)
  }

  @Test func defaultNameIsMadeSafeForAFolder() {
    #expect(ScenarioLoader.defaultName(forFile: "/tmp/x/spring promo!.yml") == "spring-promo-")
    #expect(ScenarioLoader.defaultName(forFile: "..yaml") == "scenario")
    #expect(ScenarioLoader.defaultName(forFile: "noext") == "noext")
    #expect(ScenarioLoader.defaultName(forFile: ".hidden") == ".hidden")
  }

  @Test func smallerFormsAreAccepted() throws {
    let yaml = """
      seed: 18446744073709551615
      business: {messaging_limit: unlimited}
      senders: [{id: main, throughput_mps: 0.5}]
      campaigns:
        - id: c
          sender: main
          audience: 0
          latency: {api: 1_000, deliver: 1.5e-3, read: 0.0000005, respond: 2}
      report: {bucket: auto}
      """
    let scenario = try ScenarioLoader.parse(yaml, file: "small.yaml").scenario
    #expect(scenario.seed == UInt64.max)
    #expect(scenario.messagingLimit == nil)
    #expect(scenario.senders[0].throughputMPS == 0.5)
    #expect(
      scenario.campaigns[0].latency
        == Latencies(
          api: .fixed(1_000 * Time.second), deliver: .fixed(1_500), read: .fixed(1), respond: .fixed(2 * Time.second)))
    #expect(scenario.bucket == nil)
  }

  @Test func effectiveDocumentRoundTripsThroughJSON() throws {
    let document = effectiveDocument(expectedFull)
    let parsed = try ScenarioLoader.parse(document.json(), file: "effective.json").scenario
    #expect(parsed == expectedFull)

    var implicitHorizon = expectedFull
    implicitHorizon.horizon = nil
    let reparsed = try ScenarioLoader.parse(effectiveDocument(implicitHorizon).json(), file: "effective.json").scenario
    var explicitHorizon = implicitHorizon
    explicitHorizon.horizon = implicitHorizon.effectiveHorizon
    #expect(reparsed == explicitHorizon)
  }

  @Test func effectiveDocumentFillsDefaultsInModelOrder() throws {
    let minimal = try ScenarioLoader.parse(
      "senders: [{id: main}]\ncampaigns: [{id: promo, sender: main, audience: 10}]\n", file: "minimal.yaml"
    ).scenario
    let document = effectiveDocument(minimal)
    guard case .object(let pairs) = document else {
      Issue.record("not an object")
      return
    }
    #expect(
      pairs.map(\.0) == [
        "name", "seed", "replications", "horizon", "business", "pacing", "senders", "campaigns", "faults", "retry",
        "report",
      ])
    #expect(document["horizon"] == .string("4d"))
    #expect(document["business"]?["messaging_limit"] == .string("unlimited"))
    #expect(document["report"]?["bucket"] == .string("auto"))
    #expect(document["retry"]?["transient_backoff"] == .array([.string("30s"), .string("2m"), .string("10m")]))
    guard case .array(let campaigns) = document["campaigns"], case .object(let campaign) = campaigns.first else {
      Issue.record("no campaign object")
      return
    }
    #expect(
      campaign.map(\.0) == [
        "id", "sender", "start", "window", "audience", "contacts", "blocked_signal", "engagement", "latency",
      ])
    #expect(campaigns.first?["latency"]?["api"] == .string("0s"))
    #expect(campaigns.first?["window"] == .string("3d"))
  }

  /// Values that are easy to lose in a text round trip: odd microsecond counts, a seed above Int.max,
  /// probabilities with long binary expansions, tiny probabilities printed in exponent form.
  @Test func effectiveDocumentRoundTripsAwkwardValues() throws {
    var scenario = expectedFull
    scenario.seed = UInt64.max
    scenario.horizon = 1_234_567
    scenario.messagingLimit = 250
    scenario.senders[0].throughputMPS = 33.3
    scenario.campaigns[0].contacts = ContactMix(invalid: 1e-7, blocked: 0.1, offline: 0.2, readReceiptsOff: 1.0 / 3)
    scenario.campaigns[0].latency.api = .uniform(1, 1_001)
    scenario.campaigns[1].id = "id with spaces: and \"quotes\""
    scenario.retry.transientBackoff = [0]
    scenario.bucket = 90 * Time.minute
    let parsed = try ScenarioLoader.parse(effectiveDocument(scenario).json(), file: "effective.json").scenario
    #expect(parsed == scenario)
    let fromYAML = try ScenarioLoader.parse(effectiveYAML(scenario), file: "effective.yaml").scenario
    #expect(fromYAML == scenario)
  }

  @Test func effectiveYAMLRoundTripsAndReadsLikeTheModel() throws {
    let yaml = effectiveYAML(expectedFull)
    #expect(try ScenarioLoader.parse(yaml, file: "effective.yaml").scenario == expectedFull)
    #expect(yaml.hasPrefix("name: spring-promo\nseed: 7\n"))
    #expect(yaml.contains("\nbusiness:\n  messaging_limit: 10000\n"))
    #expect(yaml.contains("\n    contacts: {invalid: 0.03, blocked: 0.01, offline: 0.04, read_receipts_off: 0.15}\n"))
    #expect(yaml.contains("\n      read: {lognormal: {median: 10m, p90: 6h}}\n"))
  }

  @Test func loadReadsAFileAndNamesTheScenarioAfterIt() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-format-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("weekly.json").path
    try "{\"senders\": [{\"id\": \"a\"}], \"campaigns\": [{\"id\": \"c\", \"sender\": \"a\", \"audience\": 1}]}"
      .write(toFile: path, atomically: true, encoding: .utf8)
    let scenario = try ScenarioLoader.load(path: path).scenario
    #expect(scenario.name == "weekly")
    #expect(scenario.campaigns == [Campaign(id: "c", sender: "a", audience: 1)])
  }
}
