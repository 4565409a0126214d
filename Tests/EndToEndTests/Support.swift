import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Whether Foundation's XML parser reads `text` to the end without an error.
func isWellFormedXML(_ text: String) -> Bool {
  XMLParser(data: Data(text.utf8)).parse()
}

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// Every shipped scenario, sorted by name.
func shippedScenarios() -> [URL] {
  let folder = repositoryRoot.appendingPathComponent("Scenarios")
  let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
  return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }.sorted()
    .map { folder.appendingPathComponent($0) }
}

/// The `campaign-sim` binary built next to the test bundle.
func cliBinary() -> URL? {
  var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  for _ in 0..<4 {
    let candidate = folder.appendingPathComponent("campaign-sim")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    folder = folder.deletingLastPathComponent()
  }
  let fallback = repositoryRoot.appendingPathComponent(".build/debug/campaign-sim")
  return FileManager.default.isExecutableFile(atPath: fallback.path) ? fallback : nil
}

struct ProcessResult {
  let status: Int32
  let stdout: String
  let stderr: String
}

/// `environment` adds to (or, with an empty value, removes from) the test's own environment.
func runCLI(_ arguments: [String], in directory: URL? = nil, environment extra: [String: String] = [:]) throws
  -> ProcessResult
{
  guard let binary = cliBinary() else { throw CLIMissing() }
  let process = Process()
  process.executableURL = binary
  process.arguments = arguments
  process.currentDirectoryURL = directory ?? repositoryRoot
  var environment = ProcessInfo.processInfo.environment
  environment["NO_COLOR"] = "1"
  // Tests run inside a batch job must not be sharded by the job's own index.
  for name in ["JOB_COMPLETION_INDEX", "CAMPAIGNSIM_SHARD_COUNT", "SLURM_ARRAY_TASK_ID"] {
    environment[name] = nil
  }
  // Nor, on GitHub Actions, write every test's report into the job summary.
  environment["GITHUB_STEP_SUMMARY"] = nil
  for (name, value) in extra { environment[name] = value.isEmpty ? nil : value }
  process.environment = environment
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  // Never a terminal: a command that would ask a question refuses instead of waiting.
  process.standardInput = FileHandle.nullDevice
  try process.run()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return ProcessResult(
    status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData, as: UTF8.self))
}

struct CLIMissing: Error, CustomStringConvertible {
  var description: String { "campaign-sim was not built next to the tests (run `swift build` first)" }
}

func temporaryFolder() -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("campaignsim-\(UUID().uuidString)")
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
