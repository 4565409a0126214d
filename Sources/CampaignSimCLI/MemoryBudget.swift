import Analysis
import ArgumentParser
import CampaignModel
import ScenarioFormat

/// `--memory-budget`: parsed like `report.memory_budget` (512MiB, 2GiB, bytes).
struct MemoryBudgetOption: ExpressibleByArgument {
  let bytes: Int

  init?(argument: String) {
    guard let bytes = ByteSize.parse(argument) else { return nil }
    self.bytes = bytes
  }
}

/// Refuses, before anything runs, a run estimated to need more memory than the
/// budget (--memory-budget, else report.memory_budget, else 80 % of physical
/// memory): exit 2, naming the scenario key that makes it big.
func checkedMemory(
  _ scenario: Scenario, option: MemoryBudgetOption?, concurrent: Int, keptRuns: Int, file: String
) throws {
  let (budget, source) = memoryBudgetInForce(scenario, option: option)
  let estimate = MemoryEstimate(scenario, concurrent: concurrent, keptRuns: keptRuns)
  if let message = estimate.refusal(budget: budget, budgetSource: source) {
    printError("\(file): error: \(message)")
    throw ExitCode(badInput)
  }
}

/// The budget in force and where it comes from, for messages.
func memoryBudgetInForce(_ scenario: Scenario, option: MemoryBudgetOption?) -> (bytes: Int, source: String) {
  if let option { return (option.bytes, "--memory-budget") }
  if let set = scenario.memoryBudget { return (set, "report.memory_budget") }
  return (MemoryEstimate.defaultBudget, "80 % of physical memory")
}
