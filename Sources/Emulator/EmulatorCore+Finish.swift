import CampaignModel
import SimKernel

extension EmulatorCore {
  /// The §8 result of what the sender did, ending at `end` (MODEL.md §10 "Final states"): a
  /// recipient ends in the furthest success state it reached by `end`; refused by rule 3 or 4 it
  /// is `invalid_contact` or `blocked_or_spam`; after a last transient error `failed`
  /// (`retries_exhausted`: the sender gave up), after a limit or cap error `blocked_or_spam`.
  func finish(at end: SimTime) -> RunResult {
    var observed = self.observed
    var outcomes: [ObservedRun.CampaignOutcome] = []
    for (c, records) in recipients.enumerated() {
      var outcome = ObservedRun.CampaignOutcome()
      // Sorted, so that nothing here depends on dictionary order.
      for recipient in records.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
        guard let record = records[recipient] else { continue }
        outcome.messages += 1
        outcome.count(attempts: Int(record.attempts))
        outcome.firstDispatchAt = min(outcome.firstDispatchAt ?? record.firstAt, record.firstAt)
        let finished: SimTime
        let state: MessageState
        var reason: FailureReason?
        switch record.phase {
        case .success:
          finished = record.sentAt
          let contact = contactStreams[c].child(stableHash(recipient))
          let fate = gate.fate(campaign: c, contact: contact, sentAt: record.sentAt, horizon: end)
          if fate.reportedAt != nil { outcome.reports += 1 }
          state = Self.settle(fate, sentAt: record.sentAt, campaign: c, into: &observed)
        case .terminal:
          finished = record.lastResponse
          state = record.last == .invalid ? .invalidContact : .blockedOrSpam
          reason = record.last == .invalid ? .invalid : .blocked
        case .retrying:
          finished = record.lastResponse
          // The tentative `retrying` becomes the end the sender chose by not trying again.
          observed.record(.awaitRetry, campaign: c, at: record.lastResponse, count: -1)
          if record.last == .limit || record.last == .cap {
            state = .blockedOrSpam
            reason = record.last == .cap ? .marketingCap : .messagingLimit
            observed.record(.rejectBlocked, campaign: c, at: record.lastResponse)
          } else {
            state = .failed
            reason = .retriesExhausted
            observed.record(.fail, campaign: c, at: record.lastResponse)
          }
        }
        outcome.finalStates[state.rawValue] += 1
        if let reason { outcome.failureReasons[reason.rawValue] += 1 }
        outcome.sendingFinishedAt = max(outcome.sendingFinishedAt ?? finished, finished)
      }
      outcomes.append(outcome)
    }
    let platform = gate.platform
    return observed.finish(
      at: end, outcomes: outcomes, limitChanges: platform.limit.changes,
      qualityChanges: platform.quality?.changes ?? [], throughputChanges: platform.throughputChanges)
  }

  /// The furthest success state reached (`fate` is cut at the end), with its edges and latencies.
  static func settle(_ fate: Fate, sentAt: SimTime, campaign c: Int, into observed: inout ObservedRun) -> MessageState {
    guard let delivered = fate.deliveredAt else { return .sent }
    observed.record(.deliver, campaign: c, at: delivered)
    observed.recordLatency(.sentToDelivered, campaign: c, delivered - sentAt)
    guard let read = fate.readAt else { return .delivered }
    if fate.readVisible {
      observed.record(.read, campaign: c, at: read)
      observed.recordLatency(.deliveredToRead, campaign: c, read - delivered)
    }
    guard let responded = fate.respondedAt else { return fate.readVisible ? .read : .delivered }
    observed.record(fate.readVisible ? .respond : .respondUnread, campaign: c, at: responded)
    if fate.readVisible { observed.recordLatency(.readToResponded, campaign: c, responded - read) }
    return .responded
  }
}
