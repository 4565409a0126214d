import CampaignModel
import HeapModule
import SimKernel

/// One status to post: `sent`, `delivered`, `read` or `failed` of one message.
struct StatusEvent: Sendable {
  enum Kind: UInt8, Sendable {
    case sent, delivered, read, failed

    var name: String {
      switch self {
      case .sent: "sent"
      case .delivered: "delivered"
      case .read: "read"
      case .failed: "failed"
      }
    }
  }

  var kind: Kind
  var sender: Int
  var recipient: String
  var wamid: String
  /// When the platform produced it (the webhook's `timestamp`).
  var at: SimTime
  var error: ErrorCode?
  /// A chaos copy (MODEL.md §10 `duplicates`), counted apart.
  var isDuplicate = false
  /// Posts of this status so far that failed.
  var failures: UInt16 = 0
}

/// Statuses waiting for their post, by due time: a heap driven by the dispatcher task. Bounded:
/// past `capacity` waiting statuses, new ones are dropped and counted, so a receiver that is down
/// cannot make memory grow without limit.
struct WebhookQueue: Sendable {
  struct Due: Comparable, Sendable {
    var due: SimTime
    var serial: UInt64
    var event: StatusEvent

    static func < (a: Due, b: Due) -> Bool { (a.due, a.serial) < (b.due, b.serial) }
    static func == (a: Due, b: Due) -> Bool { a.due == b.due && a.serial == b.serial }
  }

  let capacity: Int
  private var heap = Heap<Due>()
  private var serial: UInt64 = 0
  /// Taken by the dispatcher and not yet settled: they count toward the capacity.
  private(set) var inFlight = 0
  private(set) var dropped = 0

  init(capacity: Int) { self.capacity = capacity }

  var waiting: Int { heap.count }
  var isEmpty: Bool { heap.isEmpty && inFlight == 0 }

  /// Queues `event` for `due`; `false` (and a drop counted) when the backlog is full.
  mutating func push(_ event: StatusEvent, due: SimTime) -> Bool {
    guard heap.count + inFlight < capacity else {
      dropped += 1
      return false
    }
    serial += 1
    heap.insert(Due(due: due, serial: serial, event: event))
    return true
  }

  /// Up to `limit` posts due at `now`, each of at most `batch` statuses of one sender, in due order.
  mutating func takeDue(_ now: SimTime, limit: Int, batch: Int) -> [[StatusEvent]] {
    var posts: [[StatusEvent]] = []
    while posts.count < limit, let first = heap.min, first.due <= now {
      var post = [heap.removeMin().event]
      while post.count < batch, let next = heap.min, next.due <= now, next.event.sender == post[0].sender {
        post.append(heap.removeMin().event)
      }
      inFlight += post.count
      posts.append(post)
    }
    return posts
  }

  /// `count` statuses taken by `takeDue` are settled (delivered, given up, or pushed again).
  mutating func settle(_ count: Int) { inFlight -= count }

  /// Earliest due time waiting.
  var nextDue: SimTime? { heap.min?.due }

  /// Re-queues a status whose post failed; not subject to the capacity (it already held a place).
  mutating func retry(_ event: StatusEvent, due: SimTime) {
    serial += 1
    heap.insert(Due(due: due, serial: serial, event: event))
  }

  /// Statuses waiting with a due time at or before `time`.
  func count(dueBy time: SimTime) -> Int { heap.unordered.reduce(0) { $0 + ($1.due <= time ? 1 : 0) } }
}
