import CampaignModel
import Foundation
import Reporting
import SimKernel

/// `GET /`: one self-contained page (no scripts, styles or fonts from elsewhere) that reloads
/// itself every two seconds.
enum StatusPage {
  static func render(_ state: EmulatorState, clock: any EmulatorClock) -> String {
    let now = clock.now()
    let (stats, waiting, limit, window, quality) = state.core.withLock { core in
      (
        core.stats, core.queue.waiting, core.gate.limitInForce, core.gate.windowCount(at: now),
        core.gate.quality(at: now)
      )
    }
    var rows = ""
    func row(_ name: String, _ value: String) { rows += "<tr><th>\(escape(name))</th><td>\(escape(value))</td></tr>\n" }
    // Counts are grouped (`12,345`) and error codes named, as in the reports.
    let count = Format.count(_:)
    row("emulator time", String(format: "%.3f s", Double(now) / 1e6))
    row("send requests", count(stats.requests))
    row("accepted", count(stats.accepted))
    for code in ErrorCode.reportOrder {
      row("error \(code.rawValue): \(code.meaning)", count(stats.errors[code.reportIndex]))
    }
    row("messaging limit in force", limit.map(count) ?? "unlimited")
    row("acceptances in the limit window", count(window))
    row("quality", "\(quality)")
    row("webhook statuses delivered", count(stats.webhooks.delivered))
    row("webhook duplicates delivered", count(stats.webhooks.duplicated))
    row("webhook posts (failed)", "\(count(stats.webhooks.posts)) (\(count(stats.webhooks.failedPosts)))")
    row("webhook statuses redelivered", count(stats.webhooks.redelivered))
    row("webhook statuses dropped", count(stats.webhooks.dropped))
    row("webhook statuses waiting", count(waiting))
    var recent = ""
    for error in stats.recent.reversed() {
      recent += "<li>\(String(format: "%.3f", Double(error.at) / 1e6)) s: \(error.code) \(escape(error.detail))</li>\n"
    }
    return """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
      <title>campaign-sim serve: \(escape(state.scenario.name))</title>
      <style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
      th,td{padding:.2em 1em;border-bottom:1px solid #ddd;text-align:left}th{font-weight:400}
      td{font-variant-numeric:tabular-nums;text-align:right;font-weight:600}</style>
      </head><body>
      <h1>\(escape(state.scenario.name))</h1>
      <table>
      \(rows)</table>
      <h2>Recent errors</h2>
      <ul>
      \(recent.isEmpty ? "<li>none</li>" : recent)</ul>
      </body></html>

      """
  }

  static func escape(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "&": out += "&amp;"
      case "\"": out += "&quot;"
      default: out.append(character)
      }
    }
    return out
  }
}
