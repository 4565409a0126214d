import SimKernel

/// Per-bucket counts for every campaign: acceptances and errors by dispatch
/// time, and how many messages took each state-machine edge.
///
/// Counting edges rather than states costs one increment per transition, lets
/// events arrive out of time order (the model computes a message's future at
/// acceptance), and makes coarsening exact: neighbouring buckets just add up.
/// Sends are the `dispatch` and `redispatch` edges; the state counts at each
/// bucket's end are a running sum over the edges.
public struct TimeSeries: Sendable {
  public enum Column: Int, Sendable, CaseIterable {
    case sends, acceptances, errors
  }

  /// Stored columns: acceptances, errors, one per edge, then the peak.
  static let acceptancesColumn = 0
  static let errorsColumn = 1
  static let firstEdgeColumn = 2
  /// The most sends in one whole second of the bucket (buckets of a second or
  /// more), or in the second so far (shorter buckets): a bucket's mean rate
  /// hides bursts, and an 80 msg/s sender that idles between them would chart
  /// as 28. Coarsening keeps the largest, never the sum.
  static let peakSendsColumn = firstEdgeColumn + MessageTransition.count
  static let storedColumns = peakSendsColumn + 1
  /// Columns of a row handed out: sends, acceptances, errors, then one per message state.
  public static let columnCount = Column.allCases.count + MessageState.allCases.count
  /// With an automatic width the series keeps at most this many buckets.
  public static let automaticBucketLimit = 240
  /// …and at most this many campaign-buckets: with thousands of campaigns the
  /// buckets get wider rather than the series taking gigabytes (issue 10).
  /// Up to 1000 campaigns it changes nothing.
  public static let automaticCellLimit = 240_000

  /// Buckets the engine allocates for a run: all of the horizon for a fixed
  /// width, else the automatic limit for this many campaigns.
  public static func capacity(campaignCount: Int, width: SimTime?, horizon: SimTime) -> Int {
    guard let width else { return max(2, min(automaticBucketLimit, automaticCellLimit / max(1, campaignCount))) }
    return Int(horizon / width) + 1
  }

  /// Bytes of the engine's counters for one run (its arena, and the copy a run's result keeps).
  public static func estimatedBytes(campaignCount: Int, width: SimTime?, horizon: SimTime) -> Double {
    2 * Double(capacity(campaignCount: campaignCount, width: width, horizon: horizon)) * Double(campaignCount)
      * Double(storedColumns * MemoryLayout<Int64>.size)
  }
  /// Automatic widths; each divides the next so coarsening merges whole buckets.
  public static let ladder: [SimTime] = [
    100 * Time.millisecond, 200 * Time.millisecond, Time.second, 2 * Time.second, 10 * Time.second,
    30 * Time.second, Time.minute, 2 * Time.minute, 10 * Time.minute, 30 * Time.minute, Time.hour,
    2 * Time.hour, 6 * Time.hour, 12 * Time.hour, Time.day, 2 * Time.day, 10 * Time.day, 30 * Time.day,
  ]

  public let bucketWidth: SimTime
  public let campaignCount: Int
  /// One past the highest bucket written to.
  public let usedBuckets: Int
  let counts: [Int64]

  init(bucketWidth: SimTime, campaignCount: Int, usedBuckets: Int, counts: [Int64]) {
    self.bucketWidth = bucketWidth
    self.campaignCount = campaignCount
    self.usedBuckets = usedBuckets
    self.counts = counts
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
      if bucket < usedBuckets {
        let base = (bucket * campaignCount + campaign) * TimeSeries.storedColumns
        func edge(_ transition: MessageTransition) -> Int {
          Int(counts[base + TimeSeries.firstEdgeColumn + transition.index])
        }
        row[Column.sends.rawValue] = edge(.dispatch) + edge(.redispatch)
        row[Column.acceptances.rawValue] = Int(counts[base + TimeSeries.acceptancesColumn])
        row[Column.errors.rawValue] = Int(counts[base + TimeSeries.errorsColumn])
        for transition in MessageTransition.allCases {
          let n = edge(transition)
          running[transition.from.rawValue] -= n
          running[transition.to.rawValue] += n
        }
      }
      for s in 0..<running.count { row[plain + s] = running[s] }
      rows.append(row)
    }
    return rows
  }

  /// For each bucket through `end`, the highest rate `campaign` sent at within
  /// it, per second: its busiest whole second when buckets are whole seconds,
  /// else (shorter or odd widths) the bucket's own mean rate.
  public func peakSendRate(campaign: Int, through end: SimTime) -> [Double] {
    let wholeSeconds = bucketWidth >= Time.second && bucketWidth % Time.second == 0
    let seconds = Double(bucketWidth) / Double(Time.second)
    return (0..<bucketCount(through: end)).map { bucket in
      guard bucket < usedBuckets else { return 0 }
      let base = (bucket * campaignCount + campaign) * TimeSeries.storedColumns
      if wholeSeconds { return Double(counts[base + TimeSeries.peakSendsColumn]) }
      let sends =
        counts[base + TimeSeries.firstEdgeColumn + MessageTransition.dispatch.index]
        + counts[base + TimeSeries.firstEdgeColumn + MessageTransition.redispatch.index]
      return Double(sends) / seconds
    }
  }

  /// The most sends `campaign` made in one bucket.
  /// - Complexity: O(buckets), without building rows.
  public func peakSends(campaign: Int) -> Int {
    var peak: Int64 = 0
    let first = TimeSeries.firstEdgeColumn
    for bucket in 0..<usedBuckets {
      let base = (bucket * campaignCount + campaign) * TimeSeries.storedColumns + first
      peak = max(
        peak, counts[base + MessageTransition.dispatch.index] + counts[base + MessageTransition.redispatch.index])
    }
    return Int(peak)
  }
}

/// The engine's side of a `TimeSeries`: counters in an arena, a bucket index
/// by multiplication instead of division, automatic coarsening.
struct TimeSeriesRecorder {
  private(set) var width: SimTime
  private var inverseWidth: Double
  let automatic: Bool
  let campaignCount: Int
  private(set) var capacity: Int
  private(set) var usedBuckets = 0
  private var arena: CounterArena
  private var base: UnsafeMutablePointer<Int64>
  /// Per campaign: where the second of its latest send ends, and its sends in that second so far.
  private let seconds: CounterArena

  /// A fixed `width`, or an automatic one when `width` is `nil`.
  init(campaignCount: Int, width: SimTime?, horizon: SimTime) {
    self.campaignCount = campaignCount
    automatic = width == nil
    self.width = width ?? TimeSeries.ladder[0]
    inverseWidth = 1 / Double(self.width)
    capacity = TimeSeries.capacity(campaignCount: campaignCount, width: width, horizon: horizon)
    arena = CounterArena(count: capacity * campaignCount * TimeSeries.storedColumns)
    base = arena.base
    seconds = CounterArena(count: 2 * campaignCount)
  }

  /// `time / width`, exactly, without a 64-bit division: the floating-point
  /// estimate is off by at most one, and the integer check corrects it.
  @inline(__always)
  func bucket(_ time: SimTime) -> Int {
    var q = SimTime(Double(time) * inverseWidth)
    if q &* width > time { q -= 1 } else if (q &+ 1) &* width <= time { q += 1 }
    return Int(q)
  }

  /// Index of the first stored column of `campaign`'s bucket holding `time`.
  @inline(__always)
  mutating func slot(campaign: Int, at time: SimTime) -> Int {
    var b = bucket(time)
    if b >= capacity {
      coarsen(toFit: time)
      b = bucket(time)
    }
    if b >= usedBuckets { usedBuckets = b &+ 1 }
    return (b &* campaignCount &+ campaign) &* TimeSeries.storedColumns
  }

  @inline(__always)
  func add(slot: Int, column: Int, count: Int = 1) { base[slot &+ column] &+= Int64(count) }

  /// Counts a send of `campaign` at `time` (in time order) into its second
  /// and raises the bucket's peak: a division only when a new second starts.
  @inline(__always)
  func countSend(campaign: Int, at time: SimTime, slot: Int) {
    let end = seconds.base + 2 &* campaign
    let sent = end + 1
    if time >= end.pointee {
      end.pointee = (time / Time.second &+ 1) &* Time.second
      sent.pointee = 0
    }
    sent.pointee &+= 1
    let peak = base + (slot &+ TimeSeries.peakSendsColumn)
    if sent.pointee > peak.pointee { peak.pointee = sent.pointee }
  }

  mutating func coarsen(toFit time: SimTime) {
    precondition(automatic, "a fixed-width series is sized for the horizon")
    var newWidth = width
    while Int(time / newWidth) >= capacity {
      if let next = TimeSeries.ladder.first(where: { $0 > newWidth }) { newWidth = next } else { newWidth *= 2 }
    }
    let factor = Int(newWidth / width)
    let stride = campaignCount * TimeSeries.storedColumns
    let merged = CounterArena(count: arena.count)
    let peak = TimeSeries.peakSendsColumn
    for bucket in 0..<usedBuckets {
      let target = bucket / factor
      for k in 0..<stride {
        let (to, from) = (target * stride + k, bucket * stride + k)
        if k % TimeSeries.storedColumns == peak {
          // Widths under a second hold the second's running count, so the
          // largest of them is the whole second's: max merges both kinds.
          merged.base[to] = max(merged.base[to], base[from])
        } else {
          merged.base[to] += base[from]
        }
      }
    }
    arena = merged
    base = merged.base
    usedBuckets = (usedBuckets + factor - 1) / factor
    width = newWidth
    inverseWidth = 1 / Double(newWidth)
  }

  func series() -> TimeSeries {
    let used = usedBuckets * campaignCount * TimeSeries.storedColumns
    return TimeSeries(
      bucketWidth: width, campaignCount: campaignCount, usedBuckets: usedBuckets,
      counts: (0..<used).map { base[$0] })
  }
}
