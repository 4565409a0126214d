import CampaignModel
import RunPlan
import ScenarioFormat

/// Puts the partial results of every shard of one run back together into the result the
/// unsharded run would have had, after checking that they are exactly the N shards of one run.
public enum PartialMerge {
  public enum Merged: Sendable {
    case sweep(SweepResult, file: ScenarioFile)
    case capacity(CapacityResult, file: ScenarioFile)
    case replications(ReplicatedRun, file: ScenarioFile, formats: [String], engine: PartialResult.Engine)
  }

  /// `inputs`: each partial with the path it was read from, for the error messages.
  public static func merge(_ inputs: [(path: String, partial: PartialResult)]) -> Result<Merged, PartialError> {
    guard let (firstPath, first) = inputs.first else { return .failure(PartialError("error: no partial results")) }
    var byShard: [Int: String] = [:]
    for (path, partial) in inputs {
      guard partial.digest == partial.computedDigest else {
        return .failure(
          PartialError("\(path): error: the digest does not match the content: the file was edited or damaged"))
      }
      guard partial.digest == first.digest && partial.kind == first.kind else {
        return .failure(
          PartialError(
            "\(path): error: foreign shard: it belongs to another run (digest \(partial.digest), \(partial.kind.rawValue)) "
              + "than \(firstPath) (digest \(first.digest), \(first.kind.rawValue)): a different scenario, seed, "
              + "grid, replications or report formats"))
      }
      guard partial.shards == first.shards else {
        return .failure(
          PartialError(
            "\(path): error: it is shard \(partial.shard) of \(partial.shards) but \(firstPath) is shard "
              + "\(first.shard) of \(first.shards): every shard must come from the same split"))
      }
      guard (1...partial.shards).contains(partial.shard) else {
        return .failure(PartialError("\(path): error: shard \(partial.shard) is outside 1...\(partial.shards)"))
      }
      if let other = byShard[partial.shard] {
        return .failure(
          PartialError("\(path): error: duplicate shard \(partial.shard)/\(partial.shards), also given as \(other)"))
      }
      byShard[partial.shard] = path
    }
    let missing = (1...first.shards).filter { byShard[$0] == nil }
    guard missing.isEmpty else {
      let list = missing.prefix(10).map { "\($0)/\(first.shards)" }.joined(separator: ", ")
      return .failure(
        PartialError(
          "error: missing shard\(missing.count == 1 ? "" : "s") \(list)\(missing.count > 10 ? ", …" : "") "
            + "(\(missing.count) of \(first.shards)): merge needs every partial-I-of-\(first.shards).json"))
    }
    let scenario: ScenarioFile
    do {
      scenario = try ScenarioLoader.parse(first.scenario, file: firstPath + " (scenario)")
    } catch {
      return .failure(PartialError(error.description))
    }
    switch first.kind {
    case .sweep: return mergeSweep(inputs, file: scenario)
    case .findMax: return mergeCapacity(inputs, file: scenario)
    case .replications: return mergeReplications(inputs, file: scenario)
    }
  }

  static func figures(_ partial: PartialResult, names: Int, values: [Double?], path: String) -> Result<
    FigureValues, PartialError
  > {
    guard partial.figureNames.indices.contains(names), partial.figureNames[names].count == values.count else {
      return .failure(PartialError("\(path): error: malformed partial result: figure names and values disagree"))
    }
    return .success(FigureValues(names: partial.figureNames[names], values: values))
  }

  /// Places each job's item at its index, refusing a job out of range or given twice, and names
  /// the first job no shard ran.
  static func gather<T>(_ jobs: Int, _ items: [(path: String, job: Int, item: T)]) -> Result<[T], PartialError> {
    var slots = [T?](repeating: nil, count: jobs)
    for (path, job, item) in items {
      guard slots.indices.contains(job) else {
        return .failure(PartialError("\(path): error: job \(job) is outside the run's \(jobs) jobs"))
      }
      guard slots[job] == nil else {
        return .failure(PartialError("\(path): error: job \(job) was also run by another shard"))
      }
      slots[job] = item
    }
    if let hole = slots.firstIndex(where: { $0 == nil }) {
      return .failure(PartialError("error: no shard ran job \(hole) of \(jobs): the partial results are incomplete"))
    }
    return .success(slots.compactMap { $0 })
  }

  static func mergeSweep(_ inputs: [(path: String, partial: PartialResult)], file: ScenarioFile) -> Result<
    Merged, PartialError
  > {
    let axes = file.sweep?.vary ?? []
    let points = Sweep.grid(axes)
    let r = max(1, file.scenario.replications)
    guard inputs[0].partial.jobs == points.count * r else {
      return .failure(PartialError("\(inputs[0].path): error: \(inputs[0].partial.jobs) jobs do not fit the grid"))
    }
    var items: [(path: String, job: Int, item: FigureValues)] = []
    for (path, partial) in inputs {
      for run in partial.runs ?? [] {
        switch figures(partial, names: run.names, values: run.values, path: path) {
        case .success(let values): items.append((path, run.job, values))
        case .failure(let error): return .failure(error)
        }
      }
    }
    return gather(points.count * r, items).map { values in
      let tables = points.indices.map { p in FigureTable(replications: Array(values[(p * r)..<((p + 1) * r)])) }
      return .sweep(SweepResult(axes: axes, points: points, figures: tables, runs: points.count * r), file: file)
    }
  }

  static func mergeCapacity(_ inputs: [(path: String, partial: PartialResult)], file: ScenarioFile) -> Result<
    Merged, PartialError
  > {
    guard let search = file.sweep?.findMax else {
      return .failure(PartialError("\(inputs[0].path): error: a find-max partial result without its search"))
    }
    let axes = file.sweep?.vary ?? []
    let points = Sweep.grid(axes)
    let r = max(1, file.scenario.replications)
    var items: [(path: String, job: Int, item: CapacityAnswer)] = []
    for (path, partial) in inputs {
      for answer in partial.answers ?? [] {
        let malformed = PartialError("\(path): error: malformed answer for grid point \(answer.point)")
        guard points.indices.contains(answer.point), let status = CapacityAnswer.Status(rawValue: answer.status),
          answer.failed.allSatisfy(search.until.indices.contains), answer.probes.allSatisfy({ $0.count == 2 }),
          answer.figures.count == r
        else { return .failure(malformed) }
        var replications: [FigureValues] = []
        for values in answer.figures {
          switch figures(partial, names: answer.names, values: values, path: path) {
          case .success(let figures): replications.append(figures)
          case .failure(let error): return .failure(error)
          }
        }
        items.append(
          (
            path, answer.point,
            CapacityAnswer(
              point: points[answer.point], status: status, value: answer.value,
              figures: FigureTable(replications: replications), firstFailing: answer.firstFailing,
              failedConditions: answer.failed.map { search.until[$0] },
              probes: answer.probes.map { (value: $0[0], passed: $0[1] != 0) })
          ))
      }
    }
    return gather(points.count, items).map { answers in
      .capacity(
        CapacityResult(
          axes: axes, search: search, answers: answers, runs: answers.reduce(0) { $0 + $1.probes.count } * r),
        file: file)
    }
  }

  static func mergeReplications(_ inputs: [(path: String, partial: PartialResult)], file: ScenarioFile) -> Result<
    Merged, PartialError
  > {
    let first = inputs[0].partial
    let scenario = file.scenario
    let count = max(1, scenario.replications)
    guard first.jobs == count else {
      return .failure(PartialError("\(inputs[0].path): error: \(first.jobs) jobs for \(count) replications"))
    }
    let keepAll = first.keepAll ?? false
    var items: [(path: String, job: Int, item: (figures: FigureValues, events: Int, result: RunResult?))] = []
    var engine = PartialResult.Engine(wallSeconds: 0, events: 0, messages: 0, peakRSSBytes: 0)
    for (path, partial) in inputs {
      engine.wallSeconds += partial.engine.wallSeconds
      engine.peakRSSBytes = max(engine.peakRSSBytes, partial.engine.peakRSSBytes)
      for replication in partial.replications ?? [] {
        let values: FigureValues
        switch figures(partial, names: replication.names, values: replication.values, path: path) {
        case .success(let figures): values = figures
        case .failure(let error): return .failure(error)
        }
        var result: RunResult?
        if let archive = replication.result {
          guard let restored = RunResult(scenario: scenario, archive: archive),
            restored.replication == replication.replication
          else {
            return .failure(
              PartialError("\(path): error: replication \(replication.replication) does not fit its scenario"))
          }
          result = restored
        }
        guard result != nil || (replication.replication != 0 && !keepAll) else {
          return .failure(PartialError("\(path): error: replication \(replication.replication) lacks its whole result"))
        }
        items.append((path, replication.replication, (values, replication.events, result)))
      }
    }
    let runs: [(figures: FigureValues, events: Int, result: RunResult?)]
    switch gather(count, items) {
    case .success(let gathered): runs = gathered
    case .failure(let error): return .failure(error)
    }
    // Replication 0 (and with keepAll every one) was checked above to come whole.
    let whole = runs.compactMap(\.result)
    guard let firstResult = runs[0].result, !keepAll || whole.count == count else {
      return .failure(PartialError("error: the partial results lack whole replications the reports need"))
    }
    let analysis = ReplicatedRun(
      first: firstResult, figures: FigureTable(replications: runs.map(\.figures)),
      events: runs.reduce(0) { $0 + $1.events }, messages: scenario.totalAudience * count,
      results: keepAll ? whole : nil)
    engine.events = analysis.events
    engine.messages = analysis.messages
    return .success(.replications(analysis, file: file, formats: first.formats ?? [], engine: engine))
  }
}
