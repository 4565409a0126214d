import SimKernel

/// Per-bucket counts for every campaign: sends, acceptances and errors by
/// dispatch time, and how many messages took each state-machine edge.
///
/// Counting edges rather than states costs one increment per transition, lets
/// events arrive out of time order (the model computes a message's future at
/// acceptance), and makes coarsening exact: neighbouring buckets just add up.
/// The state counts at each bucket's end are a running sum over the edges.
public struct TimeSeries: Sendable {
  public enum Column: Int, Sendable, CaseIterable {
    case sends, acceptances, errors
  }

  /// Columns of a stored bucket: the three above, then one per legal edge.
  static let storedColumns = Column.allCases.count + MessageTransition.all.count
  /// Columns of a row handed out: the three above, then one per message state.
  public static let columnCount = Column.allCases.count + MessageState.allCases.count
  /// With an automatic width the series keeps at most this many buckets.
  public static let automaticBucketLimit = 240
  /// Automatic widths; each divides the next so coarsening merges whole buckets.
  public static let ladder: [SimTime] = [
    100 * Time.millisecond, 200 * Time.millisecond, Time.second, 2 * Time.second, 10 * Time.second,
    30 * Time.second, Time.minute, 2 * Time.minute, 10 * Time.minute, 30 * Time.minute, Time.hour,
    2 * Time.hour, 6 * Time.hour, 12 * Time.hour, Time.day, 2 * Time.day, 10 * Time.day, 30 * Time.day,
  ]

  public private(set) var bucketWidth: SimTime
  public let campaignCount: Int
  let automatic: Bool
  var counts: [Int64]
  var capacity: Int
  /// One past the highest bucket written to.
  public private(set) var usedBuckets = 0

  /// A series with a fixed `width`, or an automatic one when `width` is `nil`.
  init(campaignCount: Int, width: SimTime?, horizon: SimTime) {
    self.campaignCount = campaignCount
    if let width {
      automatic = false
      bucketWidth = width
      capacity = Int(horizon / width) + 1
    } else {
      automatic = true
      bucketWidth = TimeSeries.ladder[0]
      capacity = TimeSeries.automaticBucketLimit
    }
    counts = Array(repeating: 0, count: capacity * campaignCount * TimeSeries.storedColumns)
  }

  /// Adds `count` to stored column `column` of `campaign`'s bucket holding `time`.
  ///
  /// - Complexity: O(1), amortised over the rare coarsening.
  @inline(__always)
  mutating func add(_ column: Int, campaign: Int, at time: SimTime, count: Int = 1) {
    var bucket = Int(time / bucketWidth)
    if bucket >= capacity {
      coarsen(toFit: time)
      bucket = Int(time / bucketWidth)
    }
    if bucket >= usedBuckets { usedBuckets = bucket + 1 }
    counts[(bucket * campaignCount + campaign) * TimeSeries.storedColumns + column] += Int64(count)
  }

  @inline(__always)
  mutating func add(_ column: Column, campaign: Int, at time: SimTime) {
    add(column.rawValue, campaign: campaign, at: time)
  }

  @inline(__always)
  mutating func add(_ transition: MessageTransition, campaign: Int, at time: SimTime, count: Int) {
    add(Column.allCases.count + transition.index, campaign: campaign, at: time, count: count)
  }

  mutating func coarsen(toFit time: SimTime) {
    precondition(automatic, "a fixed-width series is sized for the horizon")
    var width = bucketWidth
    while Int(time / width) >= capacity {
      if let next = TimeSeries.ladder.first(where: { $0 > width }) { width = next } else { width *= 2 }
    }
    let factor = Int(width / bucketWidth)
    let stride = campaignCount * TimeSeries.storedColumns
    var merged = Array(repeating: Int64(0), count: counts.count)
    for bucket in 0..<usedBuckets {
      let target = bucket / factor
      for k in 0..<stride { merged[target * stride + k] += counts[bucket * stride + k] }
    }
    counts = merged
    usedBuckets = (usedBuckets + factor - 1) / factor
    bucketWidth = width
  }

  /// Number of buckets needed to cover `[0, end]`.
  public func bucketCount(through end: SimTime) -> Int { max(usedBuckets, Int(end / bucketWidth) + 1) }

  /// Values per bucket for `campaign`: the per-bucket `sends`, `acceptances`
  /// and `errors`, and for each message state the count at the end of the bucket.
  public func rows(campaign: Int, audience: Int, through end: SimTime) -> [[Int]] {
    let count = bucketCount(through: end)
    let plain = Column.allCases.count
    var running = Array(repeating: 0, count: MessageState.allCases.count)
    running[MessageState.queued.rawValue] = audience
    var rows: [[Int]] = []
    rows.reserveCapacity(count)
    for bucket in 0..<count {
      var row = Array(repeating: 0, count: TimeSeries.columnCount)
      if bucket < capacity {
        let base = (bucket * campaignCount + campaign) * TimeSeries.storedColumns
        for k in 0..<plain { row[k] = Int(counts[base + k]) }
        for transition in MessageTransition.all {
          let n = Int(counts[base + plain + transition.index])
          running[transition.from.rawValue] -= n
          running[transition.to.rawValue] += n
        }
      }
      for s in 0..<running.count { row[plain + s] = running[s] }
      rows.append(row)
    }
    return rows
  }
}
