import CampaignModel
import SimKernel

/// The runs' time series as recorded, read once: per replication and
/// campaign, the rows of `TimeSeries.rows` flattened (`bucket * columns + column`).
struct NativeSeries {
  static let columns = TimeSeries.columnCount

  let widths: [SimTime]
  /// Buckets per replication, through the end of its run.
  let counts: [Int]
  /// `rows[replication][campaign]`, flattened.
  let rows: [[[Int]]]
  /// Business-wide acceptances per native bucket, per replication.
  let accepted: [[Int]]
  /// `peaks[replication][campaign][bucket]`: the highest send rate within each native bucket.
  let peaks: [[[Double]]]
  let audiences: [Int]

  init(_ results: [RunResult]) {
    precondition(!results.isEmpty, "at least one run")
    widths = results.map { $0.timeSeries.bucketWidth }
    counts = results.map { $0.timeSeries.bucketCount(through: $0.endedAt) }
    audiences = results[0].campaigns.map(\.audience)
    var rows: [[[Int]]] = []
    var accepted: [[Int]] = []
    for (r, result) in results.enumerated() {
      var perCampaign: [[Int]] = []
      var business = Array(repeating: 0, count: counts[r])
      for (index, campaign) in result.campaigns.enumerated() {
        let nested = result.timeSeries.rows(campaign: index, audience: campaign.audience, through: result.endedAt)
        var flat: [Int] = []
        flat.reserveCapacity(nested.count * Self.columns)
        for (b, row) in nested.enumerated() {
          flat += row
          business[b] += row[TimeSeries.Column.acceptances.rawValue]
        }
        perCampaign.append(flat)
      }
      rows.append(perCampaign)
      accepted.append(business)
    }
    self.rows = rows
    self.accepted = accepted
    peaks = results.indices.map { r in
      results[r].campaigns.indices.map { results[r].timeSeries.peakSendRate(campaign: $0, through: results[r].endedAt) }
    }
  }

  /// When `campaign`'s sending had settled, in any replication: the end of
  /// the first bucket by which 99.9 % of its sending changes had happened, and
  /// not before its last send; `last` is the end of the bucket of its very last
  /// change of any kind. `nil` when nothing ever happened to it.
  ///
  /// Sending changes are sends and moves of the queued, sending, retrying,
  /// sent and failure counts: delivery ends them. Reads and responses trail
  /// for days after a three-minute send, and an axis long enough for them
  /// leaves the sending a sliver on the throughput chart beside it.
  static let engagement: Set<Int> = [MessageState.delivered, .read, .responded].map(\.rawValue).reduce(into: []) {
    $0.insert($1)
  }

  func settled(campaign: Int) -> (settled: SimTime, last: SimTime)? {
    let flows = TimeSeries.Column.allCases.count
    let sendsColumn = TimeSeries.Column.sends.rawValue
    var result: (settled: SimTime, last: SimTime)?
    for r in rows.indices {
      let flat = rows[r][campaign]
      var previous = Array(repeating: 0, count: Self.columns - flows)
      previous[MessageState.queued.rawValue] = audiences[campaign]
      var changes: [Int] = []
      var lastSend = -1
      var last = -1
      changes.reserveCapacity(counts[r])
      for b in 0..<counts[r] {
        let row = flat[(b * Self.columns)..<((b + 1) * Self.columns)]
        let sends = row[row.startIndex + sendsColumn]
        if sends > 0 { lastSend = b }
        var moved = 0
        var engaged = 0
        for s in previous.indices {
          let now = row[row.startIndex + flows + s]
          if Self.engagement.contains(s) { engaged += abs(now - previous[s]) } else { moved += abs(now - previous[s]) }
          previous[s] = now
        }
        changes.append(sends + moved)
        if sends + moved + engaged > 0 { last = b }
      }
      let total = changes.reduce(0, +)
      guard total > 0, last >= 0 else { continue }
      var sum = 0
      var settled = 0
      while sum * 1000 < total * 999 {
        sum += changes[settled]
        settled += 1
      }
      let end = max(settled, lastSend + 1)
      let here = (SimTime(end) * widths[r], SimTime(last + 1) * widths[r])
      result = result.map { (max($0.settled, here.0), max($0.last, here.1)) } ?? here
    }
    return result
  }

  /// Time covered by the longest run.
  var span: SimTime { zip(counts, widths).map { SimTime($0) * $1 }.max()! }
}

/// The time series of one or several replications of a scenario, brought onto
/// one bucket width a chart can draw, over `[0, span)`.
///
/// Replications may end with different automatic widths (each width of the
/// ladder divides the next, so their least common multiple is the widest) and
/// different lengths; a fixed width may give far more buckets than pixels.
/// Buckets are merged exactly: flows are summed, states are taken at the end
/// of the merged bucket, and after a run's end its states stay as they were.
struct SeriesSet {
  /// More buckets than this are merged for charts (the CSV keeps them all).
  static let maximumBuckets = 480

  let width: SimTime
  let buckets: Int
  let replications: Int
  /// `rows[replication][campaign][bucket]`: columns as in `TimeSeries.rows`.
  let rows: [[[[Int]]]]
  /// `peaks[replication][campaign][bucket]`: the highest send rate within each bucket, per second.
  let peaks: [[[Double]]]
  /// Business-wide acceptances dispatched in the limit window (24 h by default) before each bucket's end
  /// (the largest such count within a merged bucket), per replication; `nil`
  /// when the native bucket width does not divide a day.
  let rolling: [[Int]]?

  /// `window`: the messaging limit's rolling window (`limit_window`, 24 h unless a §9 scenario says otherwise).
  init(
    _ native: NativeSeries, span requested: SimTime? = nil, maximumBuckets: Int = SeriesSet.maximumBuckets,
    window: SimTime = Time.day
  ) {
    let base = native.widths.dropFirst().reduce(native.widths[0]) { lcm($0, $1) }
    let span = max(requested ?? native.span, base)
    var width = base
    if (span + base - 1) / base > SimTime(maximumBuckets) {
      let needed = (span + SimTime(maximumBuckets) - 1) / SimTime(maximumBuckets)
      width = TimeSeries.ladder.first { $0 >= needed && $0 % base == 0 } ?? ((needed + base - 1) / base * base)
    }
    let buckets = Int((span + width - 1) / width)
    self.width = width
    self.buckets = buckets
    replications = native.rows.count

    var rows: [[[[Int]]]] = []
    var peaks: [[[Double]]] = []
    var rolling: [[Int]]? = []
    for r in native.rows.indices {
      let factor = Int(width / native.widths[r])
      rows.append(
        native.rows[r].map { Self.merge($0, count: native.counts[r], factor: factor, buckets: buckets) })
      peaks.append(native.peaks[r].map { Self.peak($0, factor: factor, buckets: buckets) })
      if rolling != nil, window % native.widths[r] == 0 {
        rolling!.append(
          Self.rollingDay(
            native.accepted[r], window: Int(window / native.widths[r]), factor: factor, buckets: buckets))
      } else {
        rolling = nil
      }
    }
    self.rows = rows
    self.peaks = peaks
    self.rolling = rolling
  }

  /// The largest of each `factor` fine peaks: a burst stays as high as it was.
  static func peak(_ fine: [Double], factor: Int, buckets: Int) -> [Double] {
    (0..<buckets).map { b in
      let lower = b * factor
      let upper = min((b + 1) * factor, fine.count)
      return lower < upper ? fine[lower..<upper].max()! : 0
    }
  }

  init(_ results: [RunResult]) { self.init(NativeSeries(results)) }

  /// `buckets` buckets of `factor` fine ones each: flows summed, states at the end.
  static func merge(_ fine: [Int], count: Int, factor: Int, buckets: Int) -> [[Int]] {
    let columns = NativeSeries.columns
    let flows = TimeSeries.Column.allCases.count
    func row(_ b: Int) -> [Int] { Array(fine[(b * columns)..<((b + 1) * columns)]) }
    var last = row(count - 1)
    for k in 0..<flows { last[k] = 0 }
    var out: [[Int]] = []
    out.reserveCapacity(buckets)
    for b in 0..<buckets {
      let lower = b * factor
      let upper = min((b + 1) * factor, count)
      guard lower < upper else {
        out.append(last)
        continue
      }
      var merged = row(upper - 1)
      for k in 0..<flows {
        var sum = 0
        for fineBucket in lower..<upper { sum += fine[fineBucket * columns + k] }
        merged[k] = sum
      }
      out.append(merged)
    }
    return out
  }

  /// Sum over the last `window` fine buckets at each fine bucket's end, then the
  /// largest per merged bucket, so a full window inside a bucket stays visible.
  static func rollingDay(_ accepted: [Int], window: Int, factor: Int, buckets: Int) -> [Int] {
    var sum = 0
    var out = Array(repeating: 0, count: buckets)
    for b in 0..<(buckets * factor) {
      sum += b < accepted.count ? accepted[b] : 0
      if b >= window && b - window < accepted.count { sum -= accepted[b - window] }
      out[b / factor] = max(out[b / factor], sum)
    }
    return out
  }

  var widthSeconds: Double { Format.seconds(width) }
  var endSeconds: Double { Format.seconds(width * SimTime(buckets)) }
  var end: SimTime { width * SimTime(buckets) }

  /// Bucket `b` runs over `[b, b + 1) × width`, in seconds.
  func start(_ bucket: Int) -> Double { Format.seconds(width * SimTime(bucket)) }
  func end(_ bucket: Int) -> Double { Format.seconds(width * SimTime(bucket + 1)) }

  /// Mean and range over replications of `value(row)` for each bucket of `campaign`.
  func spread(campaign: Int, _ value: ([Int]) -> Double) -> [Spread] {
    (0..<buckets).map { b in Spread(rows.map { value($0[campaign][b]) }) }
  }

  func column(_ state: MessageState) -> Int { TimeSeries.Column.allCases.count + state.rawValue }
}

func gcd(_ a: SimTime, _ b: SimTime) -> SimTime { b == 0 ? a : gcd(b, a % b) }
func lcm(_ a: SimTime, _ b: SimTime) -> SimTime { a / gcd(a, b) * b }
