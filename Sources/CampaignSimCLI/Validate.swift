import ArgumentParser
import CampaignModel
import Reporting
import RunPlan
import ScenarioFormat

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check scenario files and print each one's effective scenario.",
    discussion: """
      Prints the scenario with every default filled in (YAML, or JSON with --json). \
      Every file is checked, and each error of a bad file is printed on its own line \
      (up to 20 a file); the exit status is 2 if any of them is bad.

      With --schema it prints the JSON Schema of scenario files instead (the one in \
      docs/scenario.schema.json), for editors and other tools; no file is needed.

      Examples:
        campaign-sim validate Scenarios/quickstart.yaml
        campaign-sim validate Scenarios/*.yaml
        campaign-sim validate my-campaign.json --json
        campaign-sim validate --schema > scenario.schema.json
      """
  )

  @Argument(help: "Scenario files (.yaml, .yml or .json); none with --schema.")
  var scenarios: [String] = []

  @Flag(name: .long, help: "Print the effective scenario as JSON.")
  var json = false

  @Flag(name: .long, help: "Print the JSON Schema (draft-07) of scenario files and check no file.")
  var schema = false

  func validate() throws {
    if schema {
      guard scenarios.isEmpty, !json else {
        throw ValidationError("--schema prints the schema only; give it without scenario files or --json")
      }
    } else if scenarios.isEmpty {
      throw ValidationError("Missing expected argument '<scenarios> ...' (or --schema)")
    }
  }

  func run() throws {
    if schema {
      print(scenarioJSONSchemaText(), terminator: "")
      return
    }
    var failed = false
    for path in scenarios {
      do {
        let file = try ScenarioLoader.load(path: path)
        if json {
          print(effectiveDocument(file).json(), terminator: "")
        } else {
          let scenario = file.scenario
          print("# \(path): ok, \(scenario.campaigns.count) campaign(s), \(scenario.totalAudience) messages")
          print(effectiveYAML(file), terminator: "")
        }
      } catch {
        printError(error.description)
        failed = true
      }
    }
    if failed { throw ExitCode(2) }
  }
}
