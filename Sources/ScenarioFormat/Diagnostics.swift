/// The errors found so far in one scenario file.
///
/// A class, shared by every copy of the file's `NodeReader`, because the schema readers are
/// values passed down by copy and each records what it finds where it finds it. Reading goes on
/// after an error wherever the rest of the file does not depend on the bad value, so one run of
/// `validate` lists what a user would otherwise find one fix-and-rerun at a time.
final class Diagnostics {
  /// Past this many errors the rest are most likely consequences of the first ones (or the file
  /// is not a scenario at all), and a longer list only buries them.
  static let limit = 20

  private(set) var errors: [ScenarioError] = []

  var isEmpty: Bool { errors.isEmpty }
  var isFull: Bool { errors.count >= Self.limit }

  /// Records `error` unless the same one is already there: a few mappings are opened twice (the
  /// top level, by the scenario and by the emulator settings), and must not report twice.
  func record(_ error: ScenarioError) {
    guard !isFull, !errors.contains(error) else { return }
    errors.append(error)
  }

  /// All errors as one, in file order, or `nil` when there are none.
  func combined() -> ScenarioError? {
    // Stable: two errors at one position keep the order they were found in.
    let sorted = errors.enumerated().sorted { a, b in
      let left = (a.element.line ?? 0, a.element.column ?? 0, a.offset)
      let right = (b.element.line ?? 0, b.element.column ?? 0, b.offset)
      return left < right
    }.map(\.element)
    guard var first = sorted.first else { return nil }
    first.others = Array(sorted.dropFirst())
    first.truncated = isFull
    return first
  }
}
