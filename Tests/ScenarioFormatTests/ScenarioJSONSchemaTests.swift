import CampaignModel
import Foundation
import Testing
import Yams

@testable import ScenarioFormat

/// Issue 11, item 8: the JSON Schema of scenario files, generated from the parser's key tables.
@Suite struct ScenarioJSONSchemaTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let schemaFile = root.appendingPathComponent("docs/scenario.schema.json")

  @Test func committedSchemaIsWhatTheCodeGenerates() throws {
    let committed = try String(contentsOf: Self.schemaFile, encoding: .utf8)
    #expect(
      committed == scenarioJSONSchemaText(),
      """
      docs/scenario.schema.json is not what the parser's tables (ScenarioKeys.swift) generate; regenerate it:
        swift build && .build/debug/campaign-sim validate --schema > docs/scenario.schema.json
      """)
  }

  /// Defaults are the model's, down to the keys of list items; none where the file decides.
  @Test func defaultsComeFromTheModel() throws {
    let schema = try #require(scenarioJSONSchema()["properties"])
    let campaign = try #require(schema["campaigns"]?["items"]?["properties"])
    let model = Campaign(id: "c", sender: "s", audience: 0)
    #expect(campaign["window"]?["default"] == .string(formatDuration(model.window)))
    #expect(campaign["contacts"]?["properties"]?["invalid"]?["default"] == .double(model.contacts.invalid))
    #expect(campaign["latency"]?["properties"]?["api"]?["default"] == .string("0s"))
    let sender = try #require(schema["senders"]?["items"]?["properties"])
    #expect(sender["throughput_mps"]?["default"] == .double(Sender(id: "s").throughputMPS))
    #expect(
      sender["upgrade"]?["properties"]?["pause"]?["default"] == .string(formatDuration(ThroughputUpgrade().pause)))
    #expect(schema["retry"]?["properties"]?["max_retries"]?["default"] == .int(RetryPolicy().maxRetries))
    #expect(schema["emulator"]?["properties"]?["port"]?["default"] == .int(EmulatorSettings().port))
    for absent in [campaign["audience"], campaign["template"], schema["horizon"], schema["name"], schema["business"]] {
      #expect(absent?["default"] == nil)
    }
  }

  /// "Unknown key … expected one of" and the schema's properties come from one table.
  @Test(arguments: [
    ("", "bogus: 1\n"),
    ("senders.items", "senders: [{id: main, bogus: 1}]\n"),
    ("campaigns.items", "campaigns: [{id: promo, sender: main, audience: 1, bogus: 1}]\n"),
    ("retry", "retry: {bogus: 1}\n"),
    ("emulator.webhook", "emulator: {webhook: {bogus: 1}}\n"),
  ])
  func unknownKeyMessagesListTheSchemasProperties(_ place: String, _ text: String) throws {
    var base = "senders: [{id: main}]\ncampaigns: [{id: promo, sender: main, audience: 1}]\n"
    let key = text.prefix { $0 != ":" }
    base = base.split(separator: "\n").filter { !$0.hasPrefix(key) }.joined(separator: "\n") + "\n"
    let message = try #require(errorLines(base + text).first { $0.contains("unknown key 'bogus'") })
    let listed = try #require(message.components(separatedBy: "expected one of: ").last)
    var schema = scenarioJSONSchema()
    for step in place.split(separator: ".") where !step.isEmpty {
      schema = try #require(step == "items" ? schema["items"] : schema["properties"]?[String(step)])
    }
    guard case .object(let properties) = schema["properties"] else {
      Issue.record("no properties at \(place)")
      return
    }
    #expect(listed == properties.map(\.0).joined(separator: ", "))
  }

  @Test func shippedScenariosNameTheSchemaOnTheirFirstLine() throws {
    let files = Self.shippedScenarios()
    #expect(files.count >= 20)
    for file in files {
      let text = try String(contentsOf: file, encoding: .utf8)
      let depth = file.path.dropFirst(Self.root.path.count + 1).split(separator: "/").count - 1
      let line =
        "# yaml-language-server: $schema=" + String(repeating: "../", count: depth) + "docs/scenario.schema.json"
      #expect(text.hasPrefix(line + "\n"), "\(file.path) starts with \(line)")
    }
  }

  /// The line is a comment: the effective scenario, which report.json embeds and
  /// scripts/regression.sh compares byte for byte, is the same with or without it.
  @Test func theSchemaLineChangesNoEffectiveScenario() throws {
    for file in Self.shippedScenarios() {
      let text = try String(contentsOf: file, encoding: .utf8)
      let without = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)[1]
      #expect(!without.hasPrefix("# yaml-language-server"))
      let with = try ScenarioLoader.parse(text, file: file.path)
      let bare = try ScenarioLoader.parse(String(without), file: file.path)
      #expect(effectiveDocument(with).json() == effectiveDocument(bare).json(), "\(file.lastPathComponent)")
    }
  }

  @Test func everyShippedScenarioAndItsEffectiveScenarioPassTheSchema() throws {
    var instances: [(String, String)] = []
    for file in Self.shippedScenarios() {
      let text = try String(contentsOf: file, encoding: .utf8)
      instances.append((file.lastPathComponent, try jsonOfYAML(text)))
      // Every default written out: keys no shipped file writes are checked too.
      let effective = effectiveDocument(try ScenarioLoader.parse(text, file: file.path))
      instances.append(("effective " + file.lastPathComponent, effective.json()))
    }
    let (scenario, settings) = try ScenarioLoader.parseForServing(Self.served, file: "served.yaml")
    instances.append(("served", effectiveDocument(scenario, emulator: settings).json()))
    instances.append(("served file", try jsonOfYAML(Self.served)))
    for (name, errors) in try validate(instances) {
      #expect(errors.isEmpty, "\(name): \(errors)")
    }
  }

  /// Files the parser rejects, each for one reason a schema can express.
  static let badFiles: [(String, String)] = [
    ("unknown top-level key", "replicatons: 2"),
    ("unknown sender key", "senders: [{id: main, throughput_mp: 80}]"),
    (
      "unknown key in a distribution",
      "campaigns: [{id: promo, sender: main, audience: 1, latency: {api: {normal: 1s}}}]"
    ),
    (
      "two distributions",
      "campaigns: [{id: promo, sender: main, audience: 1, latency: {api: {exponential: 1s, uniform: [0s, 1s]}}}]"
    ),
    ("unknown webhook key", "emulator: {webhook: {uri: http://localhost}}"),
    ("seed of the wrong type", "seed: [1]"),
    ("a word for a count", "replications: many"),
    ("a lower-case count shorthand", "campaigns: [{id: promo, sender: main, audience: 10k}]"),
    ("a duration of the wrong shape", "campaigns: [{id: promo, sender: main, audience: 1, window: 3 days}]"),
    ("a negative duration", "campaigns: [{id: promo, sender: main, audience: 1, start: -1h}]"),
    ("a zero window", "campaigns: [{id: promo, sender: main, audience: 1, window: 0s}]"),
    ("a zero horizon", "horizon: 0"),
    ("a list for a mapping", "retry: [1, 2]"),
    ("a string for a boolean", "thresholds: {delivered_fraction: {condition: \">= 0.5\", strict: yes please}}"),
    ("a probability above 1", "campaigns: [{id: promo, sender: main, audience: 1, contacts: {invalid: 1.5}}]"),
    ("a throughput of 0", "senders: [{id: main, throughput_mps: 0}]"),
    ("too many retries", "retry: {max_retries: 101}"),
    ("jitter above 1", "retry: {jitter: 2}"),
    ("zero replications", "replications: 0"),
    ("a port out of range", "emulator: {port: 70000}"),
    ("a zero used_fraction", "business: {scaling: {used_fraction: 0}}"),
    ("a zero messaging limit", "business: {messaging_limit: 0}"),
    ("a webhook batch of 0", "emulator: {webhook: {batch: 0}}"),
    ("an unknown pacing", "pacing: limit-aware"),
    ("an unknown blocked_signal", "campaigns: [{id: promo, sender: main, audience: 1, blocked_signal: loud}]"),
    ("an unknown quality", "business: {scaling: {min_quality: great}}"),
    ("an unknown error kind", "retry: {retry_on: [transient, quota]}"),
    ("a kind listed twice", "retry: {retry_on: [limit, limit]}"),
    ("a missing audience", "campaigns: [{id: promo, sender: main}]"),
    (
      "a missing lognormal p90",
      "campaigns: [{id: promo, sender: main, audience: 1, latency: {api: {lognormal: {median: 1s}}}}]"
    ),
    (
      "a uniform of three",
      "campaigns: [{id: promo, sender: main, audience: 1, latency: {api: {uniform: [0s, 1s, 2s]}}}]"
    ),
    ("no senders", "senders: []"),
    ("an empty backoff list", "retry: {transient_backoff: []}"),
    ("a name that leaves the folder", "name: .."),
    ("a name with a slash", "name: a/b"),
    ("an empty id", "senders: [{id: \"\"}]"),
    ("a condition without a comparison", "thresholds: {delivered_fraction: \"0.95\"}"),
    ("a bucket word", "report: {bucket: sometimes}"),
    ("a memory budget word", "report: {memory_budget: lots}"),
    ("an ftp webhook", "emulator: {webhook: {url: \"ftp://example.com\"}}"),
    ("an empty secret", "emulator: {access_token: \"\"}"),
    ("an outage without a duration", "faults: {outages: [{sender: main, start: 1h}]}"),
    ("find_max without until", "sweep: {find_max: {parameter: campaigns.promo.audience}}"),
  ]

  /// What only the parser can check, because it needs other keys or a value's meaning: the
  /// schema accepts these, and `campaign-sim validate` is what catches them.
  static let parserOnlyFiles: [(String, String)] = [
    ("an unknown sender", "campaigns: [{id: promo, sender: nobody, audience: 1}]"),
    (
      "contact categories above 1",
      "campaigns: [{id: promo, sender: main, audience: 1, contacts: {invalid: 0.6, blocked: 0.6}}]"
    ),
    ("tiers out of order", "business: {scaling: {tiers: [2000, 250]}}"),
    ("a shorthand count out of range", "replications: 2M"),
    (
      "p90 below the median",
      "campaigns: [{id: promo, sender: main, audience: 1, latency: {api: {lognormal: {median: 2s, p90: 1s}}}}]"
    ),
    ("an unknown figure", "thresholds: {promo.no_such_figure: \"> 1\"}"),
  ]

  @Test func filesTheParserRejectsTheSchemaRejectsToo() throws {
    var instances: [(String, String)] = []
    for (reason, text) in Self.badFiles + Self.parserOnlyFiles {
      let file = Self.completing(text)
      #expect(throws: ScenarioError.self, "the parser rejects \(reason)") {
        _ = try ScenarioLoader.parse(file, file: "bad.yaml")
      }
      instances.append((reason, try jsonOfYAML(file)))
    }
    let results = Dictionary(try validate(instances), uniquingKeysWith: { a, _ in a })
    for (reason, _) in Self.badFiles {
      #expect(results[reason]?.isEmpty == false, "the schema rejects \(reason)")
    }
    for (reason, _) in Self.parserOnlyFiles {
      #expect(results[reason] == [], "the schema cannot see \(reason): \(results[reason] ?? [])")
    }
  }

  // MARK: Helpers

  /// `text` with the minimal senders and campaigns added where it has none of its own.
  static func completing(_ text: String) -> String {
    var file = text + "\n"
    if !text.hasPrefix("senders:") { file += "senders: [{id: main}]\n" }
    if !text.hasPrefix("campaigns:") { file += "campaigns: [{id: promo, sender: main, audience: 1}]\n" }
    return file
  }

  static let served = """
    senders: [{id: main, phone_number_id: "1055"}]
    campaigns: [{id: promo, sender: main, audience: 0, template: spring_sale}]
    emulator:
      port: 0
      bind: "::1"
      access_token: token
      app_secret: secret
      duration: 1h
      webhook: {url: "http://127.0.0.1:9000/hook", verify_token: v, max_age: 1d, duplicates: 0.1,
                delay: {uniform: [0s, 2s]}, batch: 10, backlog: 10K, timeout: 5s}
    """

  /// Scenarios/*.yaml and the folders below it, but for files over 100 KB (generated ones,
  /// where an editor's schema check would only be slow).
  static func shippedScenarios() -> [URL] {
    let folder = root.appendingPathComponent("Scenarios")
    let paths = (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String]) ?? []
    return paths.filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appendingPathComponent($0) }.filter {
      let size = (try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int) ?? 0
      return size <= 100_000
    }
  }
}

/// The YAML document as JSON, each scalar typed as Yams resolves it (as the parser sees it).
func jsonOfYAML(_ text: String) throws -> String {
  let node = try #require(try Yams.compose(yaml: text))
  return document(of: node).json()
}

private func document(of node: Node) -> Document {
  switch node {
  case .mapping(let mapping):
    return .object(mapping.map { (key, value) in (key.scalar?.string ?? "", document(of: value)) })
  case .sequence(let sequence):
    return .array(sequence.map(document(of:)))
  case .alias:
    return .null
  case .scalar(let scalar):
    switch node.tagName {
    case .int: return Int.construct(from: scalar).map(Document.int) ?? .string(scalar.string)
    case .float:
      guard let value = Double.construct(from: scalar), value.isFinite else { return .string(scalar.string) }
      return .double(value)
    case .bool: return Bool.construct(from: scalar).map(Document.bool) ?? .string(scalar.string)
    case .null: return .null
    default: return .string(scalar.string)
    }
  }
}

/// Each instance's errors against docs/scenario.schema.json, by Python's `jsonschema` (Draft 7,
/// formats checked): a validator that shares no code with the parser. Missing, it fails the test
/// with how to install it, rather than skipping a check CI relies on.
func validate(_ instances: [(name: String, json: String)]) throws -> [(String, [String])] {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  var arguments = ["-c", validatorScript, ScenarioJSONSchemaTests.schemaFile.path]
  for (index, instance) in instances.enumerated() {
    let path = folder.appendingPathComponent("\(index).json")
    try instance.json.write(to: path, atomically: true, encoding: .utf8)
    arguments.append(path.path)
  }
  guard let python = pythonWithJSONSchema() else {
    Issue.record(
      "no python3 can import jsonschema: install it (apt-get install python3-jsonschema, or pip install jsonschema)")
    return []
  }
  let output = try run(python, arguments)
  guard output.status == 0, let data = output.stdout.data(using: .utf8),
    let errors = try JSONSerialization.jsonObject(with: data) as? [[String]], errors.count == instances.count
  else {
    Issue.record("the validator failed (\(output.status)): \(output.stderr)")
    return []
  }
  return zip(instances, errors).map { ($0.name, $1) }
}

private let validatorScript = """
  import json, sys
  import jsonschema
  with open(sys.argv[1]) as f:
      schema = json.load(f)
  jsonschema.Draft7Validator.check_schema(schema)
  formats = getattr(jsonschema.Draft7Validator, "FORMAT_CHECKER", None) or jsonschema.draft7_format_checker
  validator = jsonschema.Draft7Validator(schema, format_checker=formats)
  results = []
  for path in sys.argv[2:]:
      with open(path) as f:
          instance = json.load(f)
      results.append(["/".join(map(str, e.absolute_path)) + ": " + e.message for e in validator.iter_errors(instance)])
  print(json.dumps(results))
  """

/// `python3` on the PATH, else Debian's (where apt's python3-jsonschema goes), whichever has the module.
private func pythonWithJSONSchema() -> [String]? {
  for candidate in [["/usr/bin/env", "python3"], ["/usr/bin/python3"]] {
    guard FileManager.default.isExecutableFile(atPath: candidate[0]) else { continue }
    if let result = try? run(candidate, ["-c", "import jsonschema"]), result.status == 0 { return candidate }
  }
  return nil
}

private func run(_ command: [String], _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: command[0])
  process.arguments = Array(command.dropFirst()) + arguments
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}
