import CampaignModel
import Reporting
import ScenarioFormat

/// The report files of a served run: the same files as `run` (MODEL.md §8), and in report.json
/// the webhook deliveries and the effective scenario with the emulator's keys (secrets redacted).
public enum EmulatorReport {
  public static func files(
    _ outcome: EmulatorOutcome, settings: EmulatorSettings, engine: EngineStats,
    formats: [ReportFormat] = ReportFormat.allCases
  ) -> [(name: String, contents: String)] {
    var files = ReportFiles.render([outcome.result], engine: engine, formats: formats)
    for (index, file) in files.enumerated() where file.name == "report.json" {
      files[index].contents = document(outcome, settings: settings, engine: engine).json()
    }
    return files
  }

  public static func document(_ outcome: EmulatorOutcome, settings: EmulatorSettings, engine: EngineStats)
    -> Document
  {
    guard case .object(var root) = JSONReport.document(outcome.result, engine: engine) else {
      return JSONReport.document(outcome.result, engine: engine)
    }
    for (index, entry) in root.enumerated() where entry.0 == "scenario" {
      root[index].1 = effectiveDocument(outcome.result.scenario, emulator: settings)
    }
    let w = outcome.webhooks
    let webhooks: Document = .object([
      ("sent", .int(w.delivered)),
      ("scheduled", .int(w.scheduled)),
      ("redelivered", .int(w.redelivered)),
      ("duplicated", .int(w.duplicated)),
      ("dropped", .int(w.dropped)),
      ("expired", .int(w.expired)),
      ("posts", .int(w.posts)),
      ("failed_posts", .int(w.failedPosts)),
      ("waiting_at_stop", .int(w.waiting)),
    ])
    let position = root.firstIndex { $0.0 == "scenario" } ?? root.count
    root.insert(("webhooks", webhooks), at: position)
    root.insert(("requests", .int(outcome.requests)), at: position)
    return .object(root)
  }
}
