import CampaignModel
import Foundation
import ScenarioFormat
import SimKernel

/// What one shard of a sharded sweep or replicated run computed (`partial-I-of-N.json`), for
/// `campaign-sim merge` to put back together.
///
/// It carries everything the reports need, so merging runs no simulation: the effective scenario
/// (as its JSON form, which reads back to the same scenario), every figure of every job the shard
/// ran, and for `run` the whole result of each replication the reports draw (replication 0, or
/// all of them when the HTML or CSV report charts every replication). The digest names the work
/// (kind, effective scenario with its seed and grid, report formats, job count): shards of one
/// run share it, so a shard of another run, or of the same run with another seed, is refused.
public struct PartialResult: Codable, Sendable {
  public static let formatName = "campaign-sim partial result"
  /// Bumped whenever the layout changes; `merge` refuses other versions rather than misread them.
  public static let currentVersion = 1

  public enum Kind: String, Codable, Sendable {
    case sweep
    case findMax = "find-max"
    case replications
  }

  /// The figures of one (point, replication) job of a sweep: job `p × R + r`.
  public struct JobFigures: Codable, Sendable {
    public var job: Int
    /// Index into `figureNames`.
    public var names: Int
    public var values: [Double?]
  }

  /// The capacity search at one grid point.
  public struct Answer: Codable, Sendable {
    public var point: Int
    public var status: String
    public var value: Int?
    public var names: Int
    /// Per replication, the figures at `value` (at `low` when none is found).
    public var figures: [[Double?]]
    public var firstFailing: Int?
    /// Indices into the search's conditions of those that failed at `firstFailing`.
    public var failed: [Int]
    /// `[value, 1 if it passed else 0]`, in the order tried.
    public var probes: [[Int]]
  }

  /// One replication of a replicated run.
  public struct Replication: Codable, Sendable {
    public var replication: Int
    public var names: Int
    public var values: [Double?]
    public var events: Int
    /// The whole result, for the replications the reports draw in detail.
    public var result: RunArchive?
  }

  /// How the shard's own run went: summed (and the peak RSS maximised) into the merged report's
  /// engine section, the only part of a report that may differ between runs.
  public struct Engine: Codable, Sendable {
    public var wallSeconds: Double
    public var events: Int
    public var messages: Int
    public var peakRSSBytes: Int

    public init(wallSeconds: Double, events: Int, messages: Int, peakRSSBytes: Int) {
      self.wallSeconds = wallSeconds
      self.events = events
      self.messages = messages
      self.peakRSSBytes = peakRSSBytes
    }
  }

  public var format: String
  public var version: Int
  public var kind: Kind
  public var shard: Int
  public var shards: Int
  public var digest: String
  /// The effective scenario as JSON; for sweeps its `sweep` section is the plan actually run
  /// (the command line's `--vary`, `--find-max`, … applied).
  public var scenario: String
  /// `run` only: the report formats asked for, and whether every replication's whole result is kept.
  public var formats: [String]?
  public var keepAll: Bool?
  /// Jobs of the whole run: (point, replication) pairs, grid points, or replications.
  public var jobs: Int
  public var figureNames: [[String]]
  public var runs: [JobFigures]?
  public var answers: [Answer]?
  public var replications: [Replication]?
  public var engine: Engine

  /// The digest of the work a partial belongs to: a stable 64-bit hash (FNV-1a, then mixed) of
  /// everything that decides the merged reports, in hex.
  public static func digest(kind: Kind, scenario: String, formats: [String]?, keepAll: Bool?, jobs: Int) -> String {
    var text = "\(formatName) \(currentVersion)\nkind \(kind.rawValue)\njobs \(jobs)\n"
    if let formats { text += "formats \(formats.joined(separator: ","))\n" }
    if let keepAll { text += "keep \(keepAll)\n" }
    text += scenario
    let hash = stableHash(text)
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// The digest recomputed from the content (a hand-edited file no longer matches its own).
  public var computedDigest: String {
    Self.digest(kind: kind, scenario: scenario, formats: formats, keepAll: keepAll, jobs: jobs)
  }

  /// Names tables are shared: most jobs of a run have the same figures.
  static func nameIndex(_ names: [String], in table: inout [[String]]) -> Int {
    if let index = table.firstIndex(of: names) { return index }
    table.append(names)
    return table.count - 1
  }

  // MARK: Files

  /// Compact JSON with sorted keys: the same shard gives the same bytes. Times that never came
  /// (+∞) have no JSON number and are written as strings.
  public func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
    var data = try encoder.encode(self)
    data.append(UInt8(ascii: "\n"))
    return data
  }

  /// Reads a partial result, or says why `path` is not one this version can merge.
  public static func decode(_ data: Data, path: String) -> Result<PartialResult, PartialError> {
    // The header first, so a file of another kind or version is named as such, not as a decoding failure.
    struct Header: Decodable {
      var format: String?
      var version: Int?
    }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
    guard let header = try? decoder.decode(Header.self, from: data) else {
      return .failure(
        PartialError("\(path): error: not a JSON object; expected a partial result (partial-I-of-N.json)"))
    }
    guard header.format == formatName else {
      return .failure(
        PartialError("\(path): error: not a campaign-sim partial result (its \"format\" is not \"\(formatName)\")"))
    }
    guard header.version == currentVersion else {
      return .failure(
        PartialError(
          "\(path): error: partial result version \(header.version.map(String.init) ?? "?") is not supported "
            + "(this campaign-sim reads version \(currentVersion)); merge with the campaign-sim that wrote it"))
    }
    do {
      return .success(try decoder.decode(PartialResult.self, from: data))
    } catch {
      return .failure(PartialError("\(path): error: malformed partial result: \(describe(error))"))
    }
  }

  static func describe(_ error: Error) -> String {
    switch error as? DecodingError {
    case .keyNotFound(let key, let context)?:
      return "missing key '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
    case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
      return "bad value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
    default:
      return "\(error)"
    }
  }
}

public struct PartialError: Error, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
