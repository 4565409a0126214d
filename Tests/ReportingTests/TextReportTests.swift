import CampaignModel
import Reporting
import SimKernel
import Testing

@Suite struct TextReportTests {
  static let result = Simulation(scenario: busyScenario()).run()

  @Test func colourOnlyOnATerminalAndNeverWithNoColour() {
    #expect(Terminal.wantsColour(environment: [:], isTerminal: true))
    #expect(Terminal.wantsColour(environment: ["TERM": "xterm-256color"], isTerminal: true))
    #expect(!Terminal.wantsColour(environment: [:], isTerminal: false), "a pipe or file gets no escape codes")
    #expect(!Terminal.wantsColour(environment: ["NO_COLOR": "1"], isTerminal: true))
    #expect(!Terminal.wantsColour(environment: ["NO_COLOR": "0"], isTerminal: true), "any non-empty value counts")
    #expect(Terminal.wantsColour(environment: ["NO_COLOR": ""], isTerminal: true), "empty means unset (no-color.org)")
    #expect(!Terminal.wantsColour(environment: ["TERM": "dumb"], isTerminal: true))
  }

  /// The summary without escape codes.
  static func plain(_ text: String) -> String {
    var out = ""
    var inEscape = false
    for ch in text {
      if ch == "\u{1B}" {
        inEscape = true
      } else if inEscape {
        if ch == "m" { inEscape = false }
      } else {
        out.append(ch)
      }
    }
    return out
  }

  @Test func colourPaintsFailuresRedAndSuccessGreenWithoutMovingAColumn() {
    let plain = TextReport.summary(Self.result)
    let coloured = TextReport.summary(Self.result, colour: true)
    #expect(!plain.contains("\u{1B}"))
    #expect(coloured != plain)
    #expect(Self.plain(coloured) == plain, "same table once the escape codes are removed")
    let lines = coloured.split(separator: "\n")
    let blocked = lines.first { Self.plain(String($0)).hasPrefix("blocked_or_spam") }!
    let delivered = lines.first { Self.plain(String($0)).hasPrefix("delivered") }!
    #expect(blocked.hasPrefix("\u{1B}[31m"), "failure state in red")
    #expect(delivered.hasPrefix("\u{1B}[32m"), "success state in green")
    // A zero count stays uncoloured: nothing to draw the eye to.
    let failed = lines.first { Self.plain(String($0)).hasPrefix("failed") }
    if let failed, Self.result.campaigns.contains(where: { $0.count(.failed) == 0 }) {
      #expect(failed.filter { $0 == "\u{1B}" }.count < 2 * (1 + Self.result.campaigns.count))
    }
  }

  @Test func markdownLeadsWithOneLinePerCampaign() {
    let md = TextReport.markdown(Self.result, engine: nil)
    for c in Self.result.campaigns { #expect(md.contains("- **\(c.id)** (")) }
    #expect(md.contains("| code | meaning |"))
    #expect(md.contains("| --- | --- |"), "text columns are left-aligned")
  }
}
