/// A sweep parameter or figure as people say it: `senders.main.throughput_mps` is "throughput
/// (msg/s) of sender main". Charts and table headers show this; the path itself stays in the
/// table's tooltips and under the chart, since it is what `--vary` takes.
enum ParameterLabel {
  /// Groups that only sort keys in the scenario file: "messaging limit" says enough without "business".
  static let silentGroups: Set<String> = ["business", "faults", "retry", "platform", "report"]

  /// `senders` and `campaigns` name their items by id; ids may contain dots, so the known ids are
  /// matched first (longest wins), and only then the next segment is taken for one.
  static func text(_ path: String, senders: [String] = [], campaigns: [String] = []) -> String {
    var rest = Substring(path)
    var owners: [String] = []
    for (list, noun, ids) in [("senders.", "sender", senders), ("campaigns.", "campaign", campaigns)]
    where rest.hasPrefix(list) {
      let tail = rest.dropFirst(list.count)
      let known = ids.filter { tail.hasPrefix($0 + ".") }.max { $0.count < $1.count }
      guard let id = known ?? tail.split(separator: ".", maxSplits: 1).first.map(String.init), !id.isEmpty else {
        return path
      }
      owners.append("\(noun) \(id)")
      rest = tail.dropFirst(id.count + 1)
    }
    var segments = rest.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    if owners.isEmpty, segments.count > 1, silentGroups.contains(segments[0]) { segments.removeFirst() }
    var groups: [String] = []
    for segment in segments.dropLast() {
      if let open = segment.firstIndex(of: "["), segment.hasSuffix("]"),
        let index = Int(segment[segment.index(after: open)..<segment.index(before: segment.endIndex)]), index >= 0
      {
        // `outages[0]` is the first outage: people count from one.
        var noun = String(segment[..<open])
        if noun.hasSuffix("s") { noun.removeLast() }
        guard let words = words(noun) else { return path }
        owners.insert("\(words) \(index + 1)", at: 0)
      } else {
        guard let words = words(segment) else { return path }
        groups.insert(words, at: 0)
      }
    }
    guard let last = segments.last, let leaf = words(last) else { return path }
    return ([leaf] + groups).joined(separator: " ") + owners.map { " of " + $0 }.joined()
  }

  /// `throughput_mps` → `throughput (msg/s)`; nil for anything but a plain key.
  static func words(_ key: String) -> String? {
    guard !key.isEmpty, key.allSatisfy({ ($0.isLetter && $0.isASCII) || $0.isNumber || $0 == "_" }) else {
      return nil
    }
    var key = key
    var unit = ""
    if key.hasSuffix("_mps") {
      key.removeLast(4)
      unit = " (msg/s)"
    }
    return key.replacingOccurrences(of: "_", with: " ") + unit
  }

  /// `promo.delivered_fraction` → `delivered fraction (campaign promo)`; the overall
  /// `delivered_fraction` → `delivered fraction`. Not "… of campaign promo": kinds such as
  /// `drained_at` would read "drained at of campaign promo".
  static func figure(_ name: String) -> String {
    guard let dot = name.lastIndex(of: ".") else { return words(name) ?? name }
    let campaign = name[..<dot]
    guard !campaign.isEmpty, let kind = words(String(name[name.index(after: dot)...])) else { return name }
    return "\(kind) (campaign \(campaign))"
  }
}
