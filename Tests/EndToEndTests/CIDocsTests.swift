import Foundation
import Testing
import Yams

/// docs/ci.md's GitHub Actions and GitLab CI recipes: every YAML block parses, every
/// `campaign-sim` subcommand and option in it exists, each job hands its test reporter the JUnit
/// file it writes, the files it names are in the repository, and its commands, run here in
/// order, pass on this tree and write what the recipe uploads.
@Suite(.serialized) struct CIDocsTests {
  /// The fenced ```yaml blocks of a Markdown text.
  static func yamlBlocks(_ markdown: String) -> [String] {
    var blocks: [String] = []
    var current: [Substring]?
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
      if current == nil, line == "```yaml" {
        current = []
      } else if current != nil, line == "```" {
        blocks.append(current!.joined(separator: "\n") + "\n")
        current = nil
      } else {
        current?.append(line)
      }
    }
    return blocks
  }

  struct Job {
    let name: String
    /// Shell snippets in order (GitHub `run` steps, GitLab `before_script` and `script` items).
    let scripts: [String]
    /// The JUnit files handed to the test reporter.
    let reported: [String]
  }

  static func githubJobs(_ workflow: [String: Any]) throws -> [Job] {
    let jobs = try #require(workflow["jobs"] as? [String: Any])
    return try jobs.keys.sorted().map { name in
      let steps = try #require((jobs[name] as? [String: Any])?["steps"] as? [[String: Any]], "\(name)")
      var reported: [String] = []
      for step in steps where (step["uses"] as? String)?.hasPrefix("mikepenz/action-junit-report@") == true {
        #expect(step["if"] as? String == "always()", "\(name): the report must be read after a failing step")
        reported.append(try #require((step["with"] as? [String: Any])?["report_paths"] as? String))
      }
      return Job(name: name, scripts: steps.compactMap { $0["run"] as? String }, reported: reported)
    }
  }

  static func gitlabJobs(_ pipeline: [String: Any]) -> [Job] {
    pipeline.keys.sorted().compactMap { name in
      guard let job = pipeline[name] as? [String: Any], let script = job["script"] as? [String] else { return nil }
      let artifacts = job["artifacts"] as? [String: Any]
      if (artifacts?["reports"] as? [String: Any])?["junit"] != nil {
        #expect(artifacts?["when"] as? String == "always", "\(name): a failing job's report is the one to read")
      }
      let junit = (artifacts?["reports"] as? [String: Any])?["junit"]
      let reported = (junit as? String).map { [$0] } ?? (junit as? [String] ?? [])
      return Job(name: name, scripts: (job["before_script"] as? [String] ?? []) + script, reported: reported)
    }
  }

  static func recipes() throws -> [(platform: String, jobs: [Job])] {
    let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/ci.md"), encoding: .utf8)
    var recipes: [(String, [Job])] = []
    for block in yamlBlocks(text) {
      let document = try #require(try Yams.load(yaml: block) as? [String: Any], "a YAML block of docs/ci.md")
      if document["jobs"] != nil {
        recipes.append(("github", try githubJobs(document)))
      } else {
        recipes.append(("gitlab", gitlabJobs(document)))
      }
    }
    return recipes
  }

  /// The steps that run campaign-sim (not those that build it, which name it as a product).
  static func campaignSimSteps(_ job: Job) -> [String] {
    job.scripts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { $0.hasPrefix("campaign-sim ") }
  }

  @Test func theRecipesUseOnlyCommandsAndOptionsThatExist() throws {
    let recipes = try Self.recipes()
    #expect(recipes.map(\.platform) == ["github", "gitlab"])
    let options = try RecipeTests.options()
    var subcommands: Set<String> = []
    for (platform, jobs) in recipes {
      for job in jobs {
        let commands = Self.campaignSimSteps(job).flatMap { RecipeTests.commands(in: $0) }
        for command in commands {
          if let sub = RecipeTests.check(command, options, in: "docs/ci.md (\(platform) \(job.name))") {
            subcommands.insert(sub)
          }
          // Files the commands read must be in the repository.
          for token in command where token.hasPrefix("Scenarios/") || token.hasPrefix("Reports/baselines/") {
            #expect(
              FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent(token).path),
              "\(platform) \(job.name): \(token)")
          }
        }
        let written = commands.compactMap { command in command.firstIndex(of: "--junit").map { command[$0 + 1] } }
        #expect(
          Set(written) == Set(job.reported), "\(platform) \(job.name): JUnit written \(written), read \(job.reported)")
      }
      let gates = jobs.filter { job in Self.campaignSimSteps(job).contains { $0.hasPrefix("campaign-sim compare") } }
      let checks = jobs.filter { job in
        Self.campaignSimSteps(job).contains { $0.hasPrefix("campaign-sim run") && $0.contains("--junit") }
      }
      #expect(!gates.isEmpty, "\(platform): a regression gate")
      #expect(!checks.isEmpty, "\(platform): a capacity check")
    }
    #expect(subcommands == ["run", "compare"])
  }

  /// Each job's campaign-sim steps as its runner would run them, in a folder where the
  /// repository's Scenarios and baselines are: they pass on this tree, and the files the job
  /// uploads or reports exist afterwards.
  @Test func theRecipesPassOnThisTree() throws {
    let recipes = try Self.recipes()
    for (platform, jobs) in recipes {
      for job in jobs {
        let steps = Self.campaignSimSteps(job)
        guard !steps.isEmpty else { continue }
        let folder = temporaryFolder()
        for linked in ["Scenarios", "Reports"] {
          try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent(linked), withDestinationURL: repositoryRoot.appendingPathComponent(linked)
          )
        }
        let summary = folder.appendingPathComponent("step-summary.md")
        try Data().write(to: summary)
        for step in steps {
          let result = try RecipeTests().shell(
            step.replacingOccurrences(of: "\n", with: " "), in: folder,
            environment: ["GITHUB_STEP_SUMMARY": summary.path])
          #expect(result.status == 0, "\(platform) \(job.name): \(step)\n\(result.stdout)\n\(result.stderr)")
        }
        for junit in job.reported {
          let xml = try String(contentsOf: folder.appendingPathComponent(junit), encoding: .utf8)
          #expect(isWellFormedXML(xml) && xml.contains("<testcase "), "\(platform) \(job.name): \(junit)")
        }
        let markdown = try String(contentsOf: summary, encoding: .utf8)
        #expect(!markdown.isEmpty, "\(platform) \(job.name): the job summary")
      }
    }
  }
}
