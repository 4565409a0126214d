extension ReportFiles {
  /// Whether `formats` draw every replication (the HTML charts' bands, one CSV row set per
  /// replication), so a replicated run must keep every result, not just the first.
  public static func drawsEveryRun(_ formats: [ReportFormat]) -> Bool {
    formats.contains(.html) || formats.contains(.csv)
  }
}
