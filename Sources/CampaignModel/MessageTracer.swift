import SimKernel

/// Everything that watches a run from inside the engine. The engine holds it as one optional,
/// so a run nobody watches pays one `nil` test where it would call in.
final class EngineHooks {
  let observer: Simulation.Observer?
  let tracer: MessageTracer?

  init?(observer: Simulation.Observer?, tracer: MessageTracer?) {
    guard observer != nil || tracer != nil else { return nil }
    self.observer = observer
    self.tracer = tracer
  }

  func transition(
    _ transition: MessageTransition, campaign c: Int, message m: Int, at time: SimTime, reason: FailureReason?
  ) {
    observer?(Simulation.TransitionRecord(campaign: c, message: m, transition: transition, time: time))
    tracer?.transition(transition, campaign: c, message: m, at: time, reason: reason)
  }
}

/// Collects the histories of the selected messages during a normal run.
///
/// A history cannot be recomputed from the message's random stream alone: when an attempt goes
/// out depends on the sender's other messages, the messaging limit everyone shares and the
/// outages. So the engine reports what it does as it does it, and the random details (the
/// transient draw, the contact's category and cap) are read from the same streams the engine
/// used, which makes them equal by construction.
final class MessageTracer {
  let selection: TraceSelection
  let scenario: Scenario
  let campaignHashes: [UInt64]
  let streams: [RandomStream]
  let models: [ContactModel]
  let senderIndex: [Int]
  var open: [TracedMessage: MessageTrace] = [:]
  /// Each sender's limit-aware pauses, `(at, until)` in time order.
  var pauses: [[(at: SimTime, until: SimTime)]]

  init(selection: TraceSelection, scenario: Scenario, streams: [RandomStream]) {
    self.selection = selection
    self.scenario = scenario
    self.streams = streams
    campaignHashes = scenario.campaigns.map { stableHash($0.id) }
    models = scenario.campaigns.map(\.contactModel)
    let senders = Dictionary(uniqueKeysWithValues: scenario.senders.enumerated().map { ($1.id, $0) })
    senderIndex = scenario.campaigns.map { senders[$0.sender]! }
    pauses = Array(repeating: [], count: scenario.senders.count)
  }

  func wants(campaign c: Int, message m: Int) -> Bool {
    selection.contains(campaign: c, message: m, campaignHash: campaignHashes[c])
  }

  func fresh(campaign c: Int, message m: Int) -> MessageTrace {
    let campaign = scenario.campaigns[c]
    let contact = streams[c].child(UInt64(m))
    let rules = models[c].rules
    let u = contact.uniform(0)
    let category: ContactCategory =
      u < rules.invalidBelow
      ? .invalid : u < rules.blockedBelow ? .blocked : u < models[c].unreachableBelow ? .offline : .reachable
    let cappedUntil = rules.cappedUntil(contact)
    return MessageTrace(
      campaign: campaign.id, campaignIndex: c, message: m, sender: campaign.sender, contact: category,
      cappedUntil: cappedUntil == SimTime.min ? nil : cappedUntil)
  }

  /// Applies `body` to the message's history, creating it on first use.
  func update(campaign c: Int, message m: Int, _ body: (inout MessageTrace) -> Void) {
    let key = TracedMessage(campaign: c, message: m)
    if open[key] == nil { open[key] = fresh(campaign: c, message: m) }
    body(&open[key]!)
  }

  func transition(
    _ transition: MessageTransition, campaign c: Int, message m: Int, at time: SimTime, reason: FailureReason?
  ) {
    guard wants(campaign: c, message: m) else { return }
    update(campaign: c, message: m) { trace in
      if transition == .dispatch || transition == .redispatch {
        var ready = scenario.campaigns[c].start
        if case .retry(_, _, let readyAt) = trace.attempts.last?.after { ready = readyAt }
        trace.attempts.append(
          AttemptTrace(
            number: trace.attempts.count + 1, readyAt: ready, dispatchedAt: time,
            wait: wait(sender: senderIndex[c], from: ready, to: time), senderInterval: 0, responseAt: time,
            rule: .accepted))
      }
      trace.states.append(StateChange(state: transition.to, at: time))
      trace.finalState = transition.to
      if let reason { trace.failureReason = reason }
    }
  }

  func wait(sender s: Int, from ready: SimTime, to dispatched: SimTime) -> DispatchWait {
    guard dispatched > ready else { return .none }
    // The pauses are in time order: the first one at or after `ready` decides.
    var low = 0
    var high = pauses[s].count
    while low < high {
      let mid = (low + high) / 2
      if pauses[s][mid].at < ready { low = mid + 1 } else { high = mid }
    }
    return low < pauses[s].count && pauses[s][low].at < dispatched ? .limitPause : .throughput
  }

  func limitPause(sender s: Int, at t: SimTime, until: SimTime) { pauses[s].append((t, until)) }

  /// The last attempt of the message was refused.
  func refused(
    _ refusal: Refusal, campaign c: Int, message m: Int, attempt draws: RandomStream, response: SimTime,
    limit: Int, after: AfterRefusal
  ) {
    guard wants(campaign: c, message: m) else { return }
    update(campaign: c, message: m) { trace in
      let last = trace.attempts.count - 1
      trace.attempts[last].responseAt = response
      trace.attempts[last].rule = AttemptRule(refusal)
      trace.attempts[last].after = after
      switch refusal {
      case .transient: trace.attempts[last].transientDraw = draws.uniform(1)
      case .messagingLimit: trace.attempts[last].limit = limit
      case .marketingCap: trace.attempts[last].cappedUntil = trace.cappedUntil
      default: break
      }
    }
  }

  /// The last attempt of the message was accepted, and `fate` is what followed by the horizon.
  func accepted(campaign c: Int, message m: Int, attempt draws: RandomStream, sentAt: SimTime, fate: Fate) {
    guard wants(campaign: c, message: m) else { return }
    update(campaign: c, message: m) { trace in
      let last = trace.attempts.count - 1
      trace.attempts[last].responseAt = sentAt
      trace.attempts[last].rule = .accepted
      if scenario.faults.transientErrorRate > 0 { trace.attempts[last].transientDraw = draws.uniform(1) }
      trace.reportedAt = fate.reportedAt
      if !fate.readVisible { trace.readUnseenAt = fate.readAt }
    }
  }

  /// The histories of every selected message, by campaign order then message index.
  func finish(_ result: RunResult) -> [MessageTrace] {
    var keys: [TracedMessage] = []
    switch selection.kind {
    case .messages(let chosen):
      keys = chosen.filter {
        $0.campaign < scenario.campaigns.count && $0.message < scenario.campaigns[$0.campaign].audience
      }
      .sorted()
    case .all, .sample:
      for (c, campaign) in scenario.campaigns.enumerated() {
        for m in 0..<campaign.audience where wants(campaign: c, message: m) {
          keys.append(TracedMessage(campaign: c, message: m))
        }
      }
    }
    return keys.map { key in
      var trace = open.removeValue(forKey: key) ?? fresh(campaign: key.campaign, message: key.message)
      for i in trace.attempts.indices {
        trace.attempts[i].senderInterval = interval(
          sender: senderIndex[key.campaign], at: trace.attempts[i].dispatchedAt, changes: result.throughputChanges)
      }
      return trace
    }
  }

  /// The sender's interval for a dispatch at `t`: its own, or its upgrade's once the upgrade's
  /// pause is over (as `SenderWindows.nextFree` has it).
  func interval(sender s: Int, at t: SimTime, changes: [ThroughputChange]) -> SimTime {
    if let change = changes.first(where: { $0.sender == s }), t >= change.pauseEnd {
      return intervalFor(mps: change.toMPS)
    }
    return intervalFor(mps: scenario.senders[s].throughputMPS)
  }
}
