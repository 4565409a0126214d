import AsyncHTTPClient
import Foundation
import NIOCore
import SimKernel
import Synchronization

/// The one task that posts due statuses: it takes what is due from the queue, posts each batch
/// (signed) with a bounded number in flight, and puts failed posts back with exponential backoff
/// until `max_age`.
final class WebhookDispatcher: Sendable {
  let state: EmulatorState
  let client: HTTPClient
  let url: String
  let secret: String
  let clock: any EmulatorClock
  let batch: Int
  let maxAge: SimTime
  let timeout: SimTime
  /// Posts in flight at most; more would only queue inside the HTTP client.
  let maxInFlight = 128
  private let inFlight = Atomic<Int>(0)
  private let running = Atomic<Bool>(true)

  /// First redelivery after this long, doubling each time up to `maximumBackoff`.
  static let firstBackoff: SimTime = Time.second
  static let maximumBackoff: SimTime = Time.hour

  init(state: EmulatorState, client: HTTPClient, url: String, secret: String, clock: any EmulatorClock) {
    self.state = state
    self.client = client
    self.url = url
    self.secret = secret
    self.clock = clock
    batch = state.settings.webhook.batch
    maxAge = state.settings.webhook.maxAge
    timeout = state.settings.webhook.timeout
  }

  /// Posts until `stop()`, polling the queue every millisecond of real time when idle.
  func run() async {
    while running.load(ordering: .relaxed) {
      if await pump(until: clock.now()) == 0 { try? await Task.sleep(for: .milliseconds(1)) }
    }
  }

  func stop() { running.store(false, ordering: .relaxed) }

  /// Starts posts for what is due at `now`; returns how many were started.
  @discardableResult
  func pump(until now: SimTime) async -> Int {
    let room = maxInFlight - inFlight.load(ordering: .relaxed)
    guard room > 0 else { return 0 }
    let posts = state.core.withLock { $0.queue.takeDue(now, limit: room, batch: batch) }
    for post in posts {
      inFlight.add(1, ordering: .relaxed)
      Task {
        await self.deliver(post)
        self.inFlight.subtract(1, ordering: .relaxed)
      }
    }
    return posts.count
  }

  /// After the server stopped: posts everything due by `end`. It gives up only after `patience`
  /// of real time without a single post settling (a receiver that is down must not hold the
  /// report hostage; one that is merely behind is waited for).
  func flush(until end: SimTime, patience: Duration) async {
    var deadline = ContinuousClock.now + patience
    var settled = -1
    while ContinuousClock.now < deadline {
      await pump(until: end)
      let (idle, posts) = state.core.withLock { core in
        (core.queue.inFlight == 0 && (core.queue.nextDue ?? .max) > end, core.stats.webhooks.posts)
      }
      if idle && inFlight.load(ordering: .relaxed) == 0 { return }
      if posts != settled {
        settled = posts
        deadline = ContinuousClock.now + patience
      }
      try? await Task.sleep(for: .milliseconds(2))
    }
  }

  private func deliver(_ post: [StatusEvent]) async {
    let body = state.payload(for: post, clock: clock)
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.headers.add(name: Signature.header, value: Signature.sign(body, secret: secret))
    request.body = .bytes(ByteBuffer(bytes: body))
    var ok = false
    do {
      let response = try await client.execute(request, timeout: .microseconds(timeout))
      ok = (200..<300).contains(Int(response.status.code))
      // Drain the body so the connection goes back to the pool.
      _ = try? await response.body.collect(upTo: 1 << 20)
    } catch {
      ok = false
    }
    let now = clock.now()
    let warn = state.core.withLock { core -> Bool in
      core.stats.webhooks.posts += 1
      core.queue.settle(post.count)
      if ok {
        for event in post {
          if event.isDuplicate { core.stats.webhooks.duplicated += 1 } else { core.stats.webhooks.delivered += 1 }
        }
        return false
      }
      core.stats.webhooks.failedPosts += 1
      for var event in post {
        event.failures += 1
        let backoff = min(Self.maximumBackoff, Self.firstBackoff << Int64(min(Int(event.failures) - 1, 40)))
        let due = now + backoff
        if due - event.at > maxAge {
          core.stats.webhooks.expired += 1
        } else {
          core.stats.webhooks.redelivered += 1
          core.queue.retry(event, due: due)
        }
      }
      let first = core.stats.webhooks.failedPosts == 1
      return first
    }
    if warn {
      FileHandle.standardError.write(
        Data("warning: webhook receiver \(url) did not accept a post; redelivering with backoff\n".utf8))
    }
  }
}
