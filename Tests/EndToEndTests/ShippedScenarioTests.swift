import CampaignModel
import Foundation
import Reporting
import ScenarioFormat
import Testing

@Suite struct ShippedScenarioTests {
  @Test func thereAreShippedScenariosForEveryFaultKind() {
    let names = Set(shippedScenarios().map { $0.deletingPathExtension().lastPathComponent })
    for required in [
      "quickstart", "outage", "throttle", "tier-limit-naive", "tier-limit-aware", "blocks-error", "blocks-silent",
      "read-receipts", "multi-sender", "million",
    ] {
      #expect(names.contains(required), "Scenarios/\(required).yaml")
    }
  }

  @Test(arguments: shippedScenarios())
  func everyShippedScenarioKeepsTheInvariantsAndIsDeterministic(_ file: URL) throws {
    let scenario = try ScenarioLoader.load(path: file.path)
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.hasPrefix("#"), "\(file.lastPathComponent) starts with a comment saying what it shows")
    let first = Simulation(scenario: scenario).run()
    #expect(first.invariantViolations().isEmpty, "\(first.invariantViolations())")
    #expect(first.messages == scenario.totalAudience)
    let second = Simulation(scenario: scenario).run()
    let a = JSONReport.document(first, engine: nil).json()
    let b = JSONReport.document(second, engine: nil).json()
    #expect(a == b, "same scenario and seed must give the same report bytes")
    #expect(try JSONSerialization.jsonObject(with: Data(a.utf8)) is [String: Any])
  }
}
