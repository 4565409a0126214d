import Foundation
import Testing

/// What a person at a shell gets besides the commands themselves: the version, help that fits
/// their terminal, completions and the man page.
@Suite struct CLIHelpTests {
  static let commands = [
    [], ["run"], ["validate"], ["compare"], ["sweep"], ["merge"], ["bench"], ["serve"], ["webhook-sink"],
  ]
  static let subcommands = ["run", "validate", "compare", "sweep", "merge", "bench", "serve", "webhook-sink"]

  @Test func versionIsTheOneWrittenInVersionSwift() throws {
    let source = try String(
      contentsOf: repositoryRoot.appendingPathComponent("Sources/CampaignSimCLI/Version.swift"), encoding: .utf8)
    let declared = try #require(source.firstMatch(of: /let campaignSimVersion = "([^"]+)"/)?.1)
    let result = try runCLI(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout == declared + "\n")
  }

  /// The part of `--help` before USAGE: the abstract and the command's discussion.
  static func overview(_ command: [String], columns: Int) throws -> [Substring] {
    let result = try runCLI(command + ["--help"], environment: ["COLUMNS": "\(columns)"])
    #expect(result.status == 0, "\(command) --help")
    let text = try #require(result.stdout.components(separatedBy: "\nUSAGE:").first, "\(command)")
    return text.split(separator: "\n", omittingEmptySubsequences: false)
  }

  /// A paragraph broken by hand shows, on a terminal wider than the source, as two lines in a
  /// row that both start at the margin; examples and lists are indented.
  @Test func helpParagraphsAreWrappedByTheParserNotInTheSource() throws {
    for command in Self.commands {
      let lines = try Self.overview(command, columns: 1000)
      for (line, next) in zip(lines, lines.dropFirst()) {
        let bothProse = [line, next].allSatisfy { !$0.isEmpty && !$0.hasPrefix(" ") }
        #expect(!bothProse, "\(command) --help has a paragraph wrapped in the source at: \(line)")
      }
      // Examples keep their own lines, so they must fit a common terminal: the parser would
      // break a longer one mid-command, where a shell continuation cannot be copied.
      for line in lines where line.hasPrefix(" ") {
        #expect(line.count <= 80, "\(command) --help example over 80 columns: \(line)")
      }
    }
  }

  @Test func helpFitsANarrowTerminal() throws {
    for command in Self.commands {
      for line in try Self.overview(command, columns: 60) where line.count > 60 {
        // Only a word longer than the terminal (a long example path) may stick out.
        #expect(!line.trimmingCharacters(in: .whitespaces).contains(" "), "\(command): \(line)")
      }
    }
  }

  @Test(arguments: ["bash", "zsh", "fish"])
  func completionScriptsKnowEverySubcommand(shell: String) throws {
    let result = try runCLI(["--generate-completion-script", shell])
    #expect(result.status == 0, "\(result.stderr)")
    // Option names without dashes: fish's script spells them `-l 'summary-json'`.
    for name in Self.subcommands + ["summary-json", "find-max", "progress"] {
      let mentioned = result.stdout.contains(name)
      #expect(mentioned, "\(shell) completion lacks \(name)")
    }
  }
}
