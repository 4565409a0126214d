import ArgumentParser
import Foundation
import Reporting
import ScenarioFormat

/// `--summary-json`, `--junit` and GitHub's job summary, shared by `run` and `compare`
/// (docs/ci.md). The paths are checked before any work, so a typo costs no simulation; the
/// files are written only once there is a verdict to put in them.
struct CIOutputOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Write a machine-readable summary (schema campaignsim.summary/1, docs/ci.md) to this file, or to stdout with -.",
      valueName: "file|-"))
  var summaryJson: String?

  @Option(
    name: .long,
    help: ArgumentHelp("Write JUnit XML for CI test reports (GitLab, GitHub) to this file.", valueName: "file"))
  var junit: String?

  /// With the summary on stdout the human-readable output goes to stderr, so stdout is pure JSON.
  var summaryOnStandardOutput: Bool { summaryJson == "-" }

  /// GitHub's job-summary file, when set (an empty value counts as unset).
  var stepSummary: String? {
    guard let path = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return nil }
    return path
  }

  /// Exit 2 for a path that cannot be written, before anything runs.
  func check() throws {
    var paths: [(String, String)] = []
    if let summaryJson, summaryJson != "-" { paths.append((summaryJson, "--summary-json")) }
    if let junit { paths.append((junit, "--junit")) }
    if let stepSummary { paths.append((stepSummary, "GITHUB_STEP_SUMMARY")) }
    if junit == "-" { throw badOption("--junit takes a file; only --summary-json writes to stdout with -") }
    if let summaryJson, let junit, summaryJson == junit {
      throw badOption("--summary-json and --junit name the same file, \(junit)")
    }
    for (path, what) in paths {
      do {
        try AtomicFile.check(path, what: what)
      } catch {
        printError(error.description + (what == "GITHUB_STEP_SUMMARY" ? " (from GITHUB_STEP_SUMMARY)" : ""))
        throw ExitCode(badInput)
      }
    }
  }

  /// Writes what was asked for; `markdown` is rendered only for a job summary, and `whole` says
  /// where the full text is when the job summary has to be cut.
  func write(
    summary: @autoclosure () -> Document, junit junitXML: @autoclosure () -> String,
    markdown: @autoclosure () -> String, whole: String
  ) throws {
    var failures: [String] = []
    if let summaryJson {
      let text = summary().json()
      if summaryJson == "-" {
        print(text, terminator: "")
      } else {
        do { try AtomicFile.write(text, to: summaryJson) } catch { failures.append(error.description) }
      }
    }
    if let junit {
      do { try AtomicFile.write(junitXML(), to: junit) } catch { failures.append(error.description) }
    }
    if let stepSummary {
      do { try StepSummary.append(markdown(), to: stepSummary, whole: whole) } catch {
        failures.append(error.description)
      }
    }
    guard failures.isEmpty else {
      for failure in failures { printError(failure) }
      throw ExitCode(1)
    }
  }
}

/// Where a command's human-readable output goes: stdout, or stderr when stdout carries JSON.
struct HumanOutput {
  let toStandardError: Bool

  func callAsFunction(_ text: String, terminator: String = "\n") {
    if toStandardError {
      printError(text, terminator: terminator)
    } else {
      print(text, terminator: terminator)
    }
  }
}
