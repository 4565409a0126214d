import Foundation
import Testing

/// docs/man/campaign-sim.1 is made by swift-argument-parser's manual plugin (scripts/man.sh),
/// which takes too long to run inside the tests; this checks instead that the committed page
/// holds what the binary would give the plugin today, so a changed command fails here until
/// the page is made again.
@Suite struct ManPageTests {
  /// `text` as the plugin writes it on mdoc text lines: non-ASCII characters dropped (so the
  /// help avoids them), backslashes as `\e`, a leading dot or apostrophe guarded by `\&`.
  static func mdoc(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      var out = String(line.filter(\.isASCII)).replacingOccurrences(of: "\\", with: "\\e")
      if out.hasPrefix(".") || out.hasPrefix("'") { out = "\\&" + out }
      return out
    }.joined(separator: "\n")
  }

  @Test func committedPageHasEveryCommandOptionAndText() throws {
    let page = try String(
      contentsOf: repositoryRoot.appendingPathComponent("docs/man/campaign-sim.1"), encoding: .utf8)
    let dump = try runCLI(["--experimental-dump-help"])
    #expect(dump.status == 0)
    let tool = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
    let root = try #require(tool["command"] as? [String: Any])
    var commands = [root]
    var checked = 0
    // Most options belong to several commands: count them, so one command's loss is seen.
    var expected: [String: Int] = [:]
    while let command = commands.popLast() {
      let name = command["commandName"] as? String ?? "?"
      let subcommands = command["subcommands"] as? [[String: Any]] ?? []
      commands += subcommands.filter { $0["shouldDisplay"] as? Bool ?? true }
      if command["superCommands"] != nil { #expect(page.contains(".It Em \(name)\n"), "command \(name)") }
      for key in ["abstract", "discussion"] {
        if let text = command[key] as? String, !text.isEmpty {
          #expect(page.contains(Self.mdoc(text)), "\(name)'s \(key) is not the page's: run scripts/man.sh")
        }
      }
      for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool ?? true {
        let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { entry -> String? in
          entry["kind"] as? String == "long" ? entry["name"] as? String : nil
        }
        for long in names { expected["-\(long)", default: 0] += 1 }
        if let abstract = argument["abstract"] as? String, !abstract.isEmpty {
          #expect(page.contains(Self.mdoc(abstract)), "\(name): \(abstract)")
        }
        checked += 1
      }
    }
    for (option, count) in expected {
      let found =
        page.components(separatedBy: " \(option)\n").count + page.components(separatedBy: " \(option) ").count - 2
      #expect(found >= count, "-\(option) is in \(count) commands but \(found) places in the page")
    }
    #expect(checked > 50, "the dump had \(checked) arguments: is it still the format this test reads?")
  }
}
