import Analysis
import ArgumentParser
import CampaignModel

/// Exit status of `run` when a threshold fails (k6's choice, which CI systems already know).
let thresholdsFailed: Int32 = 99
/// Exit status of `compare` when a figure regressed beyond the tolerance.
let regressionFound: Int32 = 1
/// Exit status for bad input: a scenario, a report or a command-line value.
let badInput: Int32 = 2

/// A command-line value `run` cannot use: reported like a scenario error, with status 2.
func badOption(_ message: String) -> ExitCode {
  printError("error: \(message)")
  return ExitCode(badInput)
}

func checkedReplications(_ value: Int) throws -> Int {
  guard (1...1_000_000).contains(value) else {
    throw badOption("--replications must be in 1...1000000, found \(value)")
  }
  return value
}

func checkedThreads(_ value: Int?) throws -> Int {
  guard let value else { return Parallel.defaultThreads }
  guard (1...1024).contains(value) else { throw badOption("--threads must be in 1...1024, found \(value)") }
  return value
}
