import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The `serve` command as a user runs it: the built binary, signals, the report.
@Suite(.serialized) struct ServeCommandTests {
  static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func binary() throws -> URL {
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = folder.appendingPathComponent("campaign-sim")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      folder = folder.deletingLastPathComponent()
    }
    let fallback = repositoryRoot.appendingPathComponent(".build/debug/campaign-sim")
    guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
      throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "build campaign-sim first"])
    }
    return fallback
  }

  static func folder() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("campaignsim-emu-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static let scenario = """
    name: served
    senders: [{id: main, phone_number_id: "1065"}]
    campaigns: [{id: promo, template: spring_promo, sender: main, latency: {api: 10ms}}]
    emulator: {access_token: file-token-123, app_secret: file-secret-456}
    """

  /// A started `campaign-sim serve` and its first stdout line.
  struct Served {
    let process: Process
    let port: Int
    let stdout: Pipe
    let stderr: Pipe
  }

  static func serve(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> Served {
    let process = Process()
    process.executableURL = try binary()
    process.arguments = ["serve"] + arguments
    process.currentDirectoryURL = folder
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    var line = Data()
    while true {
      let byte = out.fileHandleForReading.readData(ofLength: 1)
      if byte.isEmpty || byte == Data("\n".utf8) { break }
      line.append(byte)
    }
    let text = String(decoding: line, as: UTF8.self)
    let port = Int(text.split(separator: ":").last ?? "") ?? 0
    #expect(text.hasPrefix("listening on http://127.0.0.1:"), "first line: \(text)")
    return Served(process: process, port: port, stdout: out, stderr: err)
  }

  static func post(port: Int, path: String, token: String, body: String) throws -> Int {
    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    request.httpMethod = "POST"
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.httpBody = Data(body.utf8)
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var status = 0
    URLSession.shared.dataTask(with: request) { _, response, _ in
      status = (response as? HTTPURLResponse)?.statusCode ?? 0
      done.signal()
    }.resume()
    done.wait()
    return status
  }

  static let send = """
    {"messaging_product":"whatsapp","to":"15551234","type":"template","template":{"name":"spring_promo","language":{"code":"en"}}}
    """

  /// (e) SIGTERM: the report is written, secrets nowhere in it, exit status 0.
  @Test func sigtermWritesTheReport() throws {
    let folder = Self.folder()
    try Self.scenario.write(to: folder.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
    let served = try Self.serve(["s.yaml", "--port", "0", "--out", "out"], in: folder)
    #expect(
      try Self.post(port: served.port, path: "/v21.0/1065/messages", token: "file-token-123", body: Self.send) == 200)
    #expect(try Self.post(port: served.port, path: "/v21.0/1065/messages", token: "nope", body: Self.send) == 401)
    kill(served.process.processIdentifier, SIGTERM)
    served.process.waitUntilExit()
    #expect(served.process.terminationStatus == 0)
    let out = folder.appendingPathComponent("out")
    let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
    #expect(names == ["outcomes.csv", "report.html", "report.json", "report.md", "timeseries.csv"])
    for name in names {
      let text = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
      #expect(!text.contains("file-token-123") && !text.contains("file-secret-456"), "\(name) holds a secret")
    }
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json")))
    let report = try #require(json as? [String: Any])
    #expect(report["requests"] as? Int == 1)
    let campaigns = try #require(report["campaigns"] as? [[String: Any]])
    #expect((campaigns[0]["final_states"] as? [String: Int])?["delivered"] == 1)  // deliver latency 0
    let emulator = (report["scenario"] as? [String: Any])?["emulator"] as? [String: Any]
    #expect(emulator?["access_token"] as? String == "<redacted>")
    let stdout = String(decoding: served.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(stdout.contains("reports: out/report.json"))
  }

  /// --duration and POST /_emulator/stop also end the run with a report; env secrets work.
  @Test func stopEndpointAndEnvironmentSecrets() throws {
    let folder = Self.folder()
    let yaml = Self.scenario.replacingOccurrences(
      of: "emulator: {access_token: file-token-123, app_secret: file-secret-456}", with: "")
    try yaml.write(to: folder.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
    let served = try Self.serve(
      ["s.yaml", "--port", "0", "--out", "out"], in: folder, environment: ["CAMPAIGNSIM_ACCESS_TOKEN": "env-token-789"])
    #expect(
      try Self.post(port: served.port, path: "/v21.0/1065/messages", token: "env-token-789", body: Self.send) == 200)
    #expect(try Self.post(port: served.port, path: "/_emulator/stop", token: "", body: "") == 200)
    served.process.waitUntilExit()
    #expect(served.process.terminationStatus == 0)
    let report = try String(contentsOf: folder.appendingPathComponent("out/report.json"), encoding: .utf8)
    #expect(!report.contains("env-token-789"))

    let timed = try Self.serve(
      ["s.yaml", "--port", "0", "--out", "timed", "--duration", "300ms"], in: folder,
      environment: ["CAMPAIGNSIM_ACCESS_TOKEN": "env-token-789"])
    timed.process.waitUntilExit()
    #expect(timed.process.terminationStatus == 0)
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("timed/report.json").path))
  }

  /// Bad input: exit status 2, a located message, nothing written.
  @Test func badInputExitsWithStatus2() throws {
    let folder = Self.folder()
    let bad = Self.scenario.replacingOccurrences(
      of: "access_token: file-token-123", with: "access_token: file-token-123, port: 99999")
    try bad.write(to: folder.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = try Self.binary()
    process.arguments = ["serve", "bad.yaml", "--out", "never"]
    process.currentDirectoryURL = folder
    let err = Pipe()
    process.standardError = err
    process.standardOutput = Pipe()
    try process.run()
    process.waitUntilExit()
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 2)
    #expect(message.contains("bad.yaml:4:") && message.contains("emulator.port"), "\(message)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("never").path))
  }

  /// The README's example sender (Python standard library only) against a served scenario.
  @Test func exampleSenderSeesSignedStatuses() throws {
    let folder = Self.folder()
    let script = Self.repositoryRoot.appendingPathComponent("scripts/examples/sender.py")
    let yaml = """
      name: example
      senders: [{id: main, phone_number_id: "106540352242922", throughput_mps: 80}]
      campaigns:
        - {id: promo, template: spring_promo, sender: main, contacts: {invalid: 0.2}, latency: {api: 5ms, deliver: 200ms}}
      """
    try yaml.write(to: folder.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
    let hookPort = try freePort()
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = [
      "python3", script.path, "--base-url", "http://127.0.0.1:PORT", "--listen", String(hookPort), "--count", "20",
      "--token", "tok-1", "--app-secret", "sec-2", "--phone-number-id", "106540352242922", "--template",
      "spring_promo", "--wait", "3",
    ]
    let served = try Self.serve(
      ["s.yaml", "--port", "0", "--out", "out", "--webhook", "http://127.0.0.1:\(hookPort)/webhook", "--skip-verify"],
      in: folder, environment: ["CAMPAIGNSIM_ACCESS_TOKEN": "tok-1", "CAMPAIGNSIM_APP_SECRET": "sec-2"])
    python.arguments = python.arguments!.map { $0.replacingOccurrences(of: "PORT", with: String(served.port)) }
    let out = Pipe()
    python.standardOutput = out
    try python.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    python.waitUntilExit()
    kill(served.process.processIdentifier, SIGTERM)
    served.process.waitUntilExit()
    #expect(python.terminationStatus == 0, "\(text)")
    let summary = try #require(text.split(separator: "\n").last.map(String.init))
    let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
    #expect(json["bad_signatures"] as? Int == 0)
    #expect(json["accepted_http"] as? Int == 20)
    let statuses = try #require(json["statuses"] as? [String: Int])
    #expect((statuses["sent"] ?? 0) + (statuses["failed"] ?? 0) == 20)
    #expect((statuses["delivered"] ?? 0) == (statuses["sent"] ?? 0))
  }

  func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
