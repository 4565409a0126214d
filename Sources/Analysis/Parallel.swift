import Dispatch
import Foundation

/// Runs independent jobs on several threads and returns their results by job index, never in
/// completion order: what makes a report independent of the thread count.
public enum Parallel {
  public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

  public static func map<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard threads > 1 && count > 1 else { return (0..<count).map(body) }
    let slots = Slots<T>(count)
    // A few long-lived workers that each claim the next job: jobs differ a lot in length (a
    // sweep's points), so static chunking would leave cores idle.
    DispatchQueue.concurrentPerform(iterations: min(threads, count)) { _ in
      while let index = slots.claim() { slots.store(body(index), at: index) }
    }
    return slots.results()
  }
}

private final class Slots<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var next = 0
  private var values: [T?]

  init(_ count: Int) { values = Array(repeating: nil, count: count) }

  func claim() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard next < values.count else { return nil }
    next += 1
    return next - 1
  }

  func store(_ value: T, at index: Int) {
    lock.lock()
    values[index] = value
    lock.unlock()
  }

  func results() -> [T] {
    lock.lock()
    defer { lock.unlock() }
    return values.map { $0! }
  }
}
