/// The one CSV writer of every CSV file the reports write (timeseries.csv, outcomes.csv,
/// sweep.csv), so that they all quote alike and a spreadsheet or `csv` module reads each the same.
///
/// RFC 4180 quoting: a field holding a comma, a double quote, CR or LF is put in double quotes
/// with its quotes doubled; every other field, leading and trailing spaces included, is written
/// as it is, so the files of shipped scenarios keep their bytes. Records end in LF, not the RFC's
/// CRLF: the files always did, and every reader of note takes both.
///
/// Not a package's writer: SwiftCSV's serializer leaves CR and LF unquoted, and CSV.swift's
/// writes through an OutputStream and ends the file without a line feed, changing every file.
public enum CSV {
  /// One record: `fields` quoted where needed, comma-separated, ending in a line feed.
  public static func row(_ fields: [String]) -> String {
    var out = ""
    for (index, text) in fields.enumerated() {
      if index > 0 { out += "," }
      out += field(text)
    }
    out += "\n"
    return out
  }

  public static func field(_ text: String) -> String {
    // Bytes, not Characters: Swift reads "\r\n" as one Character that equals neither "\r" nor
    // "\n", so a check by Character let a CRLF inside a field through unquoted.
    guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
