import ArgumentParser
import CampaignModel
import Emulator
import Foundation
import Reporting
import ScenarioFormat
import SimKernel

struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Emulate the WhatsApp Cloud API in front of a real sender, with the scenario's platform rules.",
    discussion: """
      Point your sender's Graph API base URL at the printed address: it sends as it would to \
      Meta (POST /{version}/{phone-number-id}/messages with a bearer token), and gets the answers, \
      throttling, outages, messaging-limit refusals and status webhooks (signed with the app \
      secret) that the scenario's platform model gives, in real time. The first line on stdout is \
      `listening on http://ADDR:PORT`. On SIGINT or SIGTERM, after --duration, or on \
      POST /_emulator/stop, the report of what the sender did is written like `run`'s and the \
      exit status is 0. GET / shows a status page, GET /metrics Prometheus counters.

      Secrets: --access-token / --app-secret, else the scenario's emulator section, else the \
      environment (CAMPAIGNSIM_ACCESS_TOKEN, CAMPAIGNSIM_APP_SECRET). They are never printed and \
      the report shows them as "<redacted>".

      Examples:
        CAMPAIGNSIM_ACCESS_TOKEN=t campaign-sim serve spring-load.yaml --port 8080 \\
            --skip-verify
        campaign-sim serve spring-load.yaml \\
            --webhook http://127.0.0.1:9000/webhook --duration 10m
      """
  )

  @Argument(help: "The scenario file (.yaml, .yml or .json); audiences may be left out.")
  var scenario: String

  @Option(name: .long, help: "Port to listen on (0: any free port; default: the scenario's, else 8080).")
  var port: Int?

  @Option(name: .long, help: "Address to bind (default: the scenario's, else 127.0.0.1).")
  var bind: String?

  @Option(name: .long, help: "The bearer token senders must present.")
  var accessToken: String?

  @Option(name: .long, help: "The app secret that signs webhooks.")
  var appSecret: String?

  @Option(name: .long, help: "Where status webhooks are posted.")
  var webhook: String?

  @Option(name: .long, help: "Stop and write the report after this long (e.g. 10m).")
  var duration: String?

  @Option(name: .long, help: "Folder for the reports (default: Reports/<scenario name>).")
  var out: String?

  @Flag(name: .long, help: "Do not run the webhook verification handshake at start.")
  var skipVerify = false

  func run() async throws {
    let (scenario, settings) = try loadServing()
    guard let token = settings.accessToken ?? environment("CAMPAIGNSIM_ACCESS_TOKEN") else {
      throw badOption(
        "no access token: set emulator.access_token in the scenario, CAMPAIGNSIM_ACCESS_TOKEN, or --access-token")
    }
    let secret = settings.appSecret ?? environment("CAMPAIGNSIM_APP_SECRET")
    if settings.webhook.url != nil && secret == nil {
      throw badOption(
        "webhooks need an app secret to be signed: set emulator.app_secret, CAMPAIGNSIM_APP_SECRET, or --app-secret")
    }
    // A bad --out is refused before serving, not after the sender's whole run.
    let folder = ReportFolder.run(out ?? "Reports/\(scenario.name)")
    try checkedFolder(folder)
    let emulator = Emulator(scenario: scenario, settings: settings, accessToken: token, appSecret: secret)
    let started = EngineStats.now()
    let outcome: EmulatorOutcome
    do {
      outcome = try await emulator.run(verifyWebhook: !skipVerify, signals: [.sigterm, .sigint]) { address, port in
        let host = address.contains(":") ? "[\(address)]" : address
        print("listening on http://\(host):\(port)")
        fflush(nil)
      }
    } catch let error as EmulatorError {
      printError("error: \(error)")
      throw ExitCode(badInput)
    } catch {
      printError("error: cannot serve on \(settings.bind):\(settings.port): \(error)")
      throw ExitCode(badInput)
    }
    let result = outcome.result
    let engine = EngineStats(
      wallSeconds: EngineStats.now() - started, events: outcome.requests, messages: result.messages)
    let files = EmulatorReport.files(outcome, settings: settings, engine: engine)
    try writeReportSet(folder, files)
    let w = outcome.webhooks
    if w.dropped > 0 {
      printError("webhooks: \(w.dropped) statuses dropped (backlog of \(settings.webhook.backlog) full)")
    }
    print(
      "\(scenario.name): \(outcome.requests) send requests for \(result.messages) recipients over "
        + "\(Format.human(result.endedAt))")
    print(TextReport.summary(result, colour: Terminal.standardOutputWantsColour()))
    print(
      "webhooks: \(w.delivered) sent, \(w.redelivered) redelivered, \(w.duplicated) duplicated, "
        + "\(w.dropped) dropped, \(w.waiting) waiting at stop")
    print("reports: " + files.map { "\(folder.path)/\($0.name)" }.joined(separator: ", "))
  }

  /// The scenario and its emulator settings with the command line's overrides applied.
  private func loadServing() throws -> (Scenario, EmulatorSettings) {
    var loaded: (Scenario, EmulatorSettings)
    do {
      loaded = try ScenarioLoader.loadForServing(path: scenario)
    } catch {
      printError(error.description)
      throw ExitCode(badInput)
    }
    var settings = loaded.1
    if let port {
      guard (0...65_535).contains(port) else { throw badOption("--port must be in 0...65535, found \(port)") }
      settings.port = port
    }
    if let bind {
      guard isIPAddress(bind) else {
        throw badOption("--bind must be an IP address such as 127.0.0.1, found '\(bind)'")
      }
      settings.bind = bind
    }
    if let accessToken {
      guard !accessToken.isEmpty else { throw badOption("--access-token must not be empty") }
      settings.accessToken = accessToken
    }
    if let appSecret {
      guard !appSecret.isEmpty else { throw badOption("--app-secret must not be empty") }
      settings.appSecret = appSecret
    }
    if let webhook {
      if let problem = webhookURLProblem(webhook) { throw badOption("--webhook: \(problem)") }
      settings.webhook.url = webhook
    }
    if let duration {
      guard let value = parseDuration(duration), value > 0 else {
        throw badOption("--duration must be a positive duration such as 30s or 10m, found '\(duration)'")
      }
      settings.duration = value
    }
    return (loaded.0, settings)
  }

  private func environment(_ name: String) -> String? {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
    return value
  }
}
