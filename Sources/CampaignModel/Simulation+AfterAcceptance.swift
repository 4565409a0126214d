import SimKernel

// After acceptance (MODEL.md §5, §9.2). Nothing here can influence dispatch, so the whole
// future of an accepted message is drawn (by the platform's contact model) and recorded at
// once; only what happens by the horizon is kept.
extension Engine {
  @inline(__always)
  mutating func afterAcceptance(
    campaign c: Int, message m: Int, stream: RandomStream, draws: RandomStream, sentAt: SimTime
  ) {
    let fate = models[c].fate(stream, sentAt: sentAt, horizon: horizon)
    platform.record(fate)
    if let hooks { hooks.tracer?.accepted(campaign: c, message: m, attempt: draws, sentAt: sentAt, fate: fate) }
    if let reportedAt = fate.reportedAt {
      // A report changes no state but happens: it can be the last thing in the run.
      reportCounts.add(c, 0)
      if reportedAt > endedAt { endedAt = reportedAt }
    }
    guard let deliveredAt = fate.deliveredAt else { return }
    record(.deliver, campaign: c, message: m, at: deliveredAt)
    recordLatency(.sentToDelivered, campaign: c, deliveredAt - sentAt)
    guard let readAt = fate.readAt else { return }
    if fate.readVisible {
      record(.read, campaign: c, message: m, at: readAt)
      recordLatency(.deliveredToRead, campaign: c, readAt - deliveredAt)
    }
    guard let respondedAt = fate.respondedAt else { return }
    // With receipts off the read is invisible: the message goes from delivered
    // straight to responded, and no read→responded latency is observed.
    record(fate.readVisible ? .respond : .respondUnread, campaign: c, message: m, at: respondedAt)
    if fate.readVisible { recordLatency(.readToResponded, campaign: c, respondedAt - readAt) }
  }
}
