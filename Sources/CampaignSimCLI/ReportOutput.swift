import ArgumentParser
import Reporting

/// Refuses, before any simulation, an output path that cannot be a report folder (exit 2).
func checkedFolder(_ folder: ReportFolder) throws {
  do {
    try folder.check()
  } catch {
    printError(error.description)
    throw ExitCode(badInput)
  }
}

/// Writes a report set as a whole (see `ReportFolder`), mapping each way it can
/// fail to its exit status: 2 for a path that became unusable, 1 for the file
/// system's refusal (with its reason), 130/143 for SIGINT/SIGTERM.
func writeReportSet(_ folder: ReportFolder, _ files: [(name: String, contents: String)]) throws {
  try writeReportSet(folder, files.map { ReportFile($0.name, contents: $0.contents) })
}

/// `writeReportSet` for files rendered while they are written.
func writeReportSet(_ folder: ReportFolder, _ files: [ReportFile]) throws {
  let interruption = Interruption.shared
  interruption.beginWriting()
  do {
    try folder.write(files, interruption: { interruption.pending })
  } catch {
    switch error {
    case .unusable(let problem):
      printError(problem.description)
      throw ExitCode(badInput)
    case .failed(let problem):
      printError("\(problem.path): error: cannot write the reports: \(problem.reason); nothing was replaced")
      throw ExitCode(1)
    case .interrupted(let status):
      printError(error.description)
      throw ExitCode(status)
    }
  }
  if let status = interruption.pending {
    printError("interrupted: the reports in \(folder.path) were written in full before stopping")
    throw ExitCode(status)
  }
}
