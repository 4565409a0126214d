import Foundation

/// How the simulator itself performed: the only part of a report that may
/// differ between two runs of the same scenario and seed.
public struct EngineStats: Sendable {
  public var wallSeconds: Double
  public var events: Int
  public var messages: Int
  public var peakRSSBytes: Int

  public init(wallSeconds: Double, events: Int, messages: Int, peakRSSBytes: Int = EngineStats.peakRSS()) {
    self.wallSeconds = wallSeconds
    self.events = events
    self.messages = messages
    self.peakRSSBytes = peakRSSBytes
  }

  public var eventsPerSecond: Double { wallSeconds > 0 ? Double(events) / wallSeconds : 0 }
  public var messagesPerSecond: Double { wallSeconds > 0 ? Double(messages) / wallSeconds : 0 }

  /// Below a tenth of a second the clock's resolution and the run's setup, not the engine, decide
  /// the rate: a 2 000-message run "at 185 million messages/s" says nothing.
  public static let shortestTimedRun = 0.1
  public var rateIsMeaningful: Bool { wallSeconds >= Self.shortestTimedRun }

  /// `12,345,678 messages/s`, or why there is no rate.
  public var rateText: String {
    rateIsMeaningful ? "\(Format.count(Int(messagesPerSecond))) messages/s" : "run too short for a rate"
  }

  /// The process's peak resident set size so far, in bytes.
  public static func peakRSS() -> Int {
    var usage = rusage()
    #if os(Linux)
      let who = RUSAGE_SELF.rawValue
    #else
      let who = RUSAGE_SELF
    #endif
    guard getrusage(who, &usage) == 0 else { return 0 }
    #if os(Linux)
      return Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
    #else
      return Int(usage.ru_maxrss)  // bytes on Darwin
    #endif
  }

  /// Monotonic seconds, for timing runs.
  public static func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }
}
