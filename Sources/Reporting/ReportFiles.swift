import Analysis
import CampaignModel
import Foundation
import RunPlan

/// The kinds of report file `run` can write (`--format json,md,html,csv`).
public enum ReportFormat: String, CaseIterable, Sendable {
  case json, md, html, csv

  /// The files this format produces, in the order they are written.
  public var fileNames: [String] {
    switch self {
    case .json: ["report.json"]
    case .md: ["report.md"]
    case .html: ["report.html"]
    case .csv: ["timeseries.csv", "outcomes.csv"]
    }
  }

  /// Parses `json,md,html,csv` (any order, `all` for every format) into report order.
  public static func parseList(_ text: String) -> Result<[ReportFormat], ReportFormatError> {
    var formats: [ReportFormat] = []
    for item in text.split(separator: ",", omittingEmptySubsequences: false) {
      let name = item.trimmingCharacters(in: .whitespaces).lowercased()
      if name == "all" {
        formats = allCases
        continue
      }
      guard let format = ReportFormat(rawValue: name) else { return .failure(ReportFormatError(item: name)) }
      if !formats.contains(format) { formats.append(format) }
    }
    return .success(allCases.filter(formats.contains))
  }
}

public struct ReportFormatError: Error, CustomStringConvertible {
  public let item: String
  public var description: String {
    "unknown report format '\(item)': expected a comma-separated list of "
      + ReportFormat.allCases.map(\.rawValue).joined(separator: ", ") + " (or all)"
  }
}

/// Every report file of a run.
public enum ReportFiles {
  /// The files of `formats` for replications of one scenario, each rendered when it is written
  /// (`ReportFolder.write`), report.json piece by piece. report.json and report.md describe the
  /// first run in detail, plus the replications' statistics when `analysis` is given; the HTML
  /// and CSV files cover every run. `file` is the scenario file the runs came from (for its
  /// thresholds and sweep); nil: the runs' scenario alone.
  public static func files(
    _ results: [RunResult], file: ScenarioFile? = nil, engine: EngineStats?,
    formats: [ReportFormat] = ReportFormat.allCases, analysis: ReplicatedRun? = nil
  ) -> [ReportFile] {
    precondition(!results.isEmpty, "at least one run")
    let file = file ?? ScenarioFile(results[0].scenario)
    var files: [ReportFile] = []
    for format in ReportFormat.allCases where formats.contains(format) {
      switch format {
      case .json:
        files.append(
          ReportFile("report.json") { emit in
            JSONReport.stream(results[0], file: file, engine: engine, analysis: analysis).json(emit: emit)
          })
      case .md:
        files.append(
          ReportFile("report.md") {
            analysis.map { TextReport.markdown(results[0], engine: engine, analysis: $0, thresholds: file.thresholds) }
              ?? TextReport.markdown(results[0], engine: engine)
          })
      case .html: files.append(ReportFile("report.html") { HTMLReport.render(results, file: file, engine: engine) })
      case .csv:
        files.append(ReportFile("timeseries.csv") { CSVReport.timeSeries(results) })
        files.append(ReportFile("outcomes.csv") { CSVReport.outcomes(results) })
      }
    }
    return files
  }

  /// `files`, rendered now, for tests and callers that edit a file.
  public static func render(
    _ results: [RunResult], file: ScenarioFile? = nil, engine: EngineStats?,
    formats: [ReportFormat] = ReportFormat.allCases, analysis: ReplicatedRun? = nil
  ) -> [(name: String, contents: String)] {
    files(results, file: file, engine: engine, formats: formats, analysis: analysis).map { ($0.name, $0.contents) }
  }
}
