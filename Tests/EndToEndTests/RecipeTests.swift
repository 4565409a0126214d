import Analysis
import Foundation
import Testing
import Yams

/// The batch recipes (deploy/kubernetes, deploy/slurm, docs/ci) parsed and checked against the
/// CLI (every subcommand and flag they use exists, the variables they set are those campaign-sim
/// reads, their shard counts agree), then run here as their engines would run them: the same
/// commands, with a tiny scenario, one process per shard, and the merge.
@Suite(.serialized) struct RecipeTests {
  static let tiny = """
    name: tiny
    replications: 2
    senders: [{id: main, throughput_mps: 10}]
    campaigns:
      - id: promo
        sender: main
        audience: 60
        contacts: {invalid: 0.1}
        latency: {api: 200ms}
    sweep:
      vary:
        senders.main.throughput_mps: [5, 10, 20]
        campaigns.promo.audience: [30, 60]
    """

  // MARK: The CLI as ArgumentParser describes it

  /// Each subcommand's long option names, from `campaign-sim --experimental-dump-help`.
  static func options() throws -> [String: Set<String>] {
    let result = try runCLI(["--experimental-dump-help"])
    let root = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let command = try #require(root["command"] as? [String: Any])
    var options: [String: Set<String>] = [:]
    for sub in command["subcommands"] as? [[String: Any]] ?? [] {
      guard let name = sub["commandName"] as? String else { continue }
      var names: Set<String> = []
      for argument in sub["arguments"] as? [[String: Any]] ?? [] {
        for item in argument["names"] as? [[String: Any]] ?? [] where item["kind"] as? String == "long" {
          if let long = item["name"] as? String { names.insert(long) }
        }
      }
      options[name] = names
    }
    return options
  }

  /// Every `campaign-sim SUBCOMMAND ARGS…` in `text` (shell continuations joined, quotes
  /// dropped, cut at the end of the command), as tokens after `campaign-sim`.
  static func commands(in text: String) -> [[String]] {
    var found: [[String]] = []
    for line in text.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n") {
      if line.trimmingCharacters(in: .whitespaces).hasPrefix("#") { continue }
      var rest = Substring(line)
      while let range = rest.range(of: "campaign-sim ") {
        let before = rest[..<range.lowerBound].last
        rest = rest[range.upperBound...]
        if let before, before.isLetter || before.isNumber || before == "-" || before == ":" { continue }
        var tokens: [String] = []
        for token in rest.replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "'", with: "")
          .split(separator: " ").map(String.init)
        {
          if [";", "&&", "||", "|", "&"].contains(token) { break }
          tokens.append(token)
        }
        found.append(tokens)
      }
    }
    return found
  }

  /// Checks a command's subcommand and flags against the CLI's; returns its subcommand.
  @discardableResult
  static func check(_ command: [String], _ options: [String: Set<String>], in file: String) -> String? {
    guard let sub = command.first, let known = options[sub] else {
      Issue.record("\(file): `campaign-sim \(command.joined(separator: " "))`: no such subcommand")
      return nil
    }
    for token in command where token.hasPrefix("--") {
      let name = String(token.dropFirst(2).prefix { $0 != "=" })
      #expect(known.contains(name), "\(file): `campaign-sim \(sub)` has no --\(name)")
    }
    return sub
  }

  func read(_ path: String) throws -> String {
    try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
  }

  /// Runs `script` with /bin/sh in `folder`, with `campaign-sim` (the one under test) first on PATH.
  func shell(_ script: String, in folder: URL, environment: [String: String] = [:]) throws -> ProcessResult {
    let bin = folder.appendingPathComponent("bin")
    let link = bin.appendingPathComponent("campaign-sim")
    if !FileManager.default.fileExists(atPath: link.path) {
      try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(at: link, withDestinationURL: try #require(cliBinary()))
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script]
    process.currentDirectoryURL = folder
    var env = ProcessInfo.processInfo.environment
    for name in ShardSpec.environmentVariables { env[name] = nil }
    env["GITHUB_STEP_SUMMARY"] = nil
    env["PATH"] = bin.path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
    env["NO_COLOR"] = "1"
    for (name, value) in environment { env[name] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// The unsharded sweep of the tiny scenario, to compare merged reports with.
  func unsharded(in folder: URL) throws -> URL {
    try Self.tiny.write(to: folder.appendingPathComponent("tiny.yaml"), atomically: true, encoding: .utf8)
    let whole = folder.appendingPathComponent("whole")
    let result = try runCLI(["sweep", folder.appendingPathComponent("tiny.yaml").path, "--out", whole.path])
    #expect(result.status == 0, "\(result.stderr)")
    return whole
  }

  func expectSameSweep(_ merged: URL, _ whole: URL, _ recipe: String) throws {
    for file in ["sweep.csv", "sweep.md", "sweep.html"] {
      let a = try? Data(contentsOf: merged.appendingPathComponent(file))
      #expect(a != nil && a == (try? Data(contentsOf: whole.appendingPathComponent(file))), "\(recipe): \(file)")
    }
  }

  // MARK: Kubernetes

  @Test func theKubernetesIndexedJobAndMergeJobMatchTheCLIAndRun() throws {
    let options = try Self.options()
    var documents: [String: [String: Any]] = [:]
    for file in ["pvc.yaml", "sweep-job.yaml", "merge-job.yaml"] {
      let text = try read("deploy/kubernetes/\(file)")
      documents[file] = try #require(try Yams.load(yaml: text) as? [String: Any], "\(file)")
    }
    let pvc = try #require(documents["pvc.yaml"])
    #expect(pvc["kind"] as? String == "PersistentVolumeClaim")
    let claim = try #require((pvc["metadata"] as? [String: Any])?["name"] as? String)

    func pod(_ job: [String: Any], _ file: String) throws -> (container: [String: Any], mount: String) {
      #expect(job["kind"] as? String == "Job" && job["apiVersion"] as? String == "batch/v1", "\(file)")
      let spec = try #require((job["spec"] as? [String: Any])?["template"] as? [String: Any])
      let podSpec = try #require(spec["spec"] as? [String: Any])
      let containers = try #require(podSpec["containers"] as? [[String: Any]])
      let container = try #require(containers.first)
      let volumes = try #require(podSpec["volumes"] as? [[String: Any]])
      let volume = try #require(volumes.first { ($0["persistentVolumeClaim"] as? [String: Any]) != nil })
      #expect((volume["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String == claim, "\(file)")
      let mounts = try #require(container["volumeMounts"] as? [[String: Any]])
      let mount = try #require(mounts.first { $0["name"] as? String == volume["name"] as? String })
      return (container, try #require(mount["mountPath"] as? String))
    }

    let sweepJob = try #require(documents["sweep-job.yaml"])
    let sweepSpec = try #require(sweepJob["spec"] as? [String: Any])
    #expect(sweepSpec["completionMode"] as? String == "Indexed")
    let completions = try #require(sweepSpec["completions"] as? Int)
    #expect((sweepSpec["parallelism"] as? Int ?? 1) <= completions)
    let (shardContainer, mount) = try pod(sweepJob, "sweep-job.yaml")
    let env = (shardContainer["env"] as? [[String: Any]] ?? []).compactMap { item in
      (item["name"] as? String).map { ($0, "\(item["value"] ?? "")") }
    }
    for (name, _) in env where name.hasPrefix("CAMPAIGNSIM_") || name.hasPrefix("SLURM_") || name.hasPrefix("JOB_") {
      #expect(ShardSpec.environmentVariables.contains(name), "sweep-job.yaml sets \(name), which campaign-sim ignores")
    }
    let shardCommand = try #require(shardContainer["command"] as? [String])
    let shardTokens = try #require(Self.commands(in: shardCommand.joined(separator: " ")).first)
    #expect(Self.check(shardTokens, options, in: "sweep-job.yaml") == "sweep")
    // The pods learn their index from JOB_COMPLETION_INDEX, the count from the manifest.
    #expect(!shardTokens.contains("--shard"))
    let count =
      env.first { $0.0 == "CAMPAIGNSIM_SHARD_COUNT" }.map(\.1)
      ?? shardTokens.firstIndex(of: "--shard-count").map { shardTokens[$0 + 1] }
    #expect(count == String(completions), "CAMPAIGNSIM_SHARD_COUNT must equal the Job's completions")
    let out = try #require(shardTokens.firstIndex(of: "--out").map { shardTokens[$0 + 1] })
    #expect(out.hasPrefix(mount + "/"))

    let (mergeContainer, mergeMount) = try pod(try #require(documents["merge-job.yaml"]), "merge-job.yaml")
    let mergeCommand = try #require(mergeContainer["command"] as? [String])
    let mergeTokens = try #require(Self.commands(in: mergeCommand.joined(separator: " ")).first)
    #expect(Self.check(mergeTokens, options, in: "merge-job.yaml") == "merge")
    #expect(mergeMount == mount)
    #expect(mergeTokens.contains("\(out)/partial-*-of-\(completions).json"))

    // Run it: one process per index as the Job's pods, the volume a folder, then the merge.
    let folder = temporaryFolder()
    let whole = try unsharded(in: folder)
    func local(_ text: String) -> String {
      text.replacingOccurrences(of: mount, with: folder.appendingPathComponent("volume").path)
        .replacingOccurrences(of: "/opt/campaign-sim/Scenarios/capacity-tiers.yaml", with: "tiny.yaml")
    }
    let podCommand = shardCommand.map { "'\(local($0))'" }.joined(separator: " ")
    for index in 0..<completions {
      var environment = Dictionary(uniqueKeysWithValues: env)
      environment["JOB_COMPLETION_INDEX"] = String(index)
      let result = try shell(podCommand, in: folder, environment: environment)
      #expect(result.status == 0, "pod \(index): \(result.stderr)")
    }
    let merge = try shell(
      mergeCommand.dropLast().map { "'\($0)'" }.joined(separator: " ") + " '\(local(mergeCommand.last ?? ""))'",
      in: folder)
    #expect(merge.status == 0, "\(merge.stderr)")
    let reports = local(try #require(mergeTokens.firstIndex(of: "--out").map { mergeTokens[$0 + 1] }))
    try expectSameSweep(URL(fileURLWithPath: reports), whole, "kubernetes")
  }

  // MARK: Slurm

  @Test func theSlurmArrayAndItsDependentMergeMatchTheCLIAndRun() throws {
    let options = try Self.options()
    let text = try read("deploy/slurm/sweep.sbatch")
    #expect(text.hasPrefix("#!/bin/bash\n"))
    let array = try #require(
      text.split(separator: "\n").first { $0.hasPrefix("#SBATCH --array=") }?.dropFirst("#SBATCH --array=".count))
    let bounds = array.split(separator: "-").compactMap { Int($0) }
    try #require(bounds.count == 2)
    let (minimum, count) = (bounds[0], bounds[1] - bounds[0] + 1)
    let commands = Self.commands(in: text)
    #expect(commands.compactMap { Self.check($0, options, in: "sweep.sbatch") }.sorted() == ["merge", "sweep"])
    #expect(text.contains("--dependency=\"afterok:${SLURM_ARRAY_JOB_ID}\""))
    #expect(text.contains("partial-*-of-${SLURM_ARRAY_TASK_COUNT}.json"))
    // Slurm's own output variables, as sbatch(1) names them.
    let slurmVariables: Set<String> = [
      "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN",
      "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP", "SLURM_CPUS_PER_TASK", "SLURM_JOB_ID", "SLURM_SUBMIT_DIR",
    ]
    let used = Set(
      text.matches(of: /SLURM_[A-Z_]+/).map { String($0.output) })
    #expect(used.isSubset(of: slurmVariables), "\(used.subtracting(slurmVariables))")

    // Run it: each task as Slurm would, with a stand-in sbatch that records the merge job.
    let folder = temporaryFolder()
    let whole = try unsharded(in: folder)
    let script = repositoryRoot.appendingPathComponent("deploy/slurm/sweep.sbatch").path
    let recorder = folder.appendingPathComponent("bin/sbatch")
    _ = try shell("true", in: folder)  // creates bin/
    try "#!/bin/sh\nprintf '%s\\n' \"$@\" >> \"$PWD/sbatch.args\"\n".write(
      to: recorder, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: recorder.path)
    for task in minimum..<(minimum + count) {
      let result = try shell(
        "bash '\(script)'", in: folder,
        environment: [
          "SCENARIO": "tiny.yaml", "SLURM_ARRAY_JOB_ID": "4242", "SLURM_ARRAY_TASK_ID": String(task),
          "SLURM_ARRAY_TASK_MIN": String(minimum), "SLURM_ARRAY_TASK_MAX": String(minimum + count - 1),
          "SLURM_ARRAY_TASK_COUNT": String(count), "SLURM_CPUS_PER_TASK": "1",
        ])
      #expect(result.status == 0, "task \(task): \(result.stderr)")
    }
    let submitted = try String(contentsOf: folder.appendingPathComponent("sbatch.args"), encoding: .utf8)
      .split(separator: "\n").map(String.init)
    // Submitted once, by the lowest task, after the whole array.
    #expect(submitted.filter { $0.hasPrefix("--dependency=") } == ["--dependency=afterok:4242"])
    let wrap = try #require(submitted.first { $0.hasPrefix("--wrap=") }?.dropFirst("--wrap=".count))
    let merge = try shell(String(wrap), in: folder)
    #expect(merge.status == 0, "\(merge.stderr)")
    try expectSameSweep(folder.appendingPathComponent("Reports/sweep-4242"), whole, "slurm")
  }

  // MARK: GitHub Actions

  @Test func theGitHubMatrixWorkflowMatchesTheCLIAndRuns() throws {
    let options = try Self.options()
    let text = try read("docs/ci/github-sweep-matrix.yml")
    let workflow = try #require(try Yams.load(yaml: text) as? [String: Any])
    let jobs = try #require(workflow["jobs"] as? [String: Any])
    let shard = try #require(jobs["shard"] as? [String: Any])
    let merge = try #require(jobs["merge"] as? [String: Any])
    #expect(merge["needs"] as? String == "shard")
    let matrix = try #require(((shard["strategy"] as? [String: Any])?["matrix"] as? [String: Any])?["shard"] as? [Int])
    #expect(matrix == Array(1...matrix.count))
    func runs(_ job: [String: Any]) -> [String] {
      (job["steps"] as? [[String: Any]] ?? []).compactMap { $0["run"] as? String }
    }
    let shardRuns = runs(shard).filter { $0.contains("campaign-sim sweep") }
    let mergeRuns = runs(merge).filter { $0.contains("campaign-sim merge") }
    try #require(shardRuns.count == 1 && mergeRuns.count == 1)
    for command in Self.commands(in: shardRuns[0] + "\n" + mergeRuns[0]) {
      Self.check(command, options, in: "github-sweep-matrix.yml")
    }
    #expect(shardRuns[0].contains("--shard ${{ matrix.shard }}/\(matrix.count) "))
    #expect(mergeRuns[0].contains("partials/partial-*-of-\(matrix.count).json"))

    // Run it: each matrix job's command, then the merge, in one folder (the artifacts' round trip).
    let folder = temporaryFolder()
    let whole = try unsharded(in: folder)
    for value in matrix {
      let command = shardRuns[0].replacingOccurrences(of: "${{ matrix.shard }}", with: String(value))
        .replacingOccurrences(of: "${{ inputs.scenario }}", with: "tiny.yaml")
        .replacingOccurrences(of: "./campaign-sim", with: "campaign-sim")
      let result = try shell(command, in: folder)
      #expect(result.status == 0, "shard \(value): \(result.stderr)")
    }
    let result = try shell(mergeRuns[0].replacingOccurrences(of: "./campaign-sim", with: "campaign-sim"), in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    try expectSameSweep(folder.appendingPathComponent("sweep-report"), whole, "github")
  }

  // MARK: Dockerfile

  /// No Docker engine runs here; scripts/static-build.sh builds and checks the binary the same
  /// way. This checks that the two agree on how.
  @Test func theDockerfileBuildsAStaticBinaryOnASlimImageWithJemalloc() throws {
    let dockerfile = try read("Dockerfile")
    let stages = dockerfile.split(separator: "\n").filter { $0.hasPrefix("FROM ") }
    #expect(stages.count == 2)
    #expect(stages.first?.contains("swift:") == true && stages.last?.contains("-slim") == true)
    #expect(dockerfile.contains("swift build -c release --product campaign-sim --static-swift-stdlib"))
    #expect(dockerfile.contains("libjemalloc2"))
    #expect(dockerfile.contains("ENTRYPOINT [\"campaign-sim\"]"))
    let script = try read("scripts/static-build.sh")
    #expect(script.contains("-c release --product campaign-sim --static-swift-stdlib"))
    #expect(script.contains(".build-static"))
    #expect(script.contains("ldd"))
  }
}
