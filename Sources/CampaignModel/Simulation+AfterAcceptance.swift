import SimKernel

// After acceptance (MODEL.md §5). Nothing here can influence dispatch, so the
// whole future of an accepted message is drawn and recorded at once; only what
// happens by the horizon is kept.
//
// Draws of a message's stream: 0 contact category, 1 read receipts off,
// 2 deliver latency, 3 reads?, 4 read latency, 5 responds?, 6 respond latency.
// Draws of an attempt's stream: 0 API latency, 1 transient error.
extension Engine {
  @inline(__always)
  mutating func afterAcceptance(campaign c: Int, message m: Int, stream: RandomStream, sentAt: SimTime) {
    let run = campaigns[c]
    // Blocked contacts that fail silently and offline contacts stay `sent`.
    guard stream.uniform(0) >= run.unreachableBelow else { return }
    let deliveredAt = sentAt + run.deliver.sample(stream.openUniform(2))
    guard deliveredAt <= horizon else { return }
    record(.deliver, campaign: c, message: m, at: deliveredAt)
    recordLatency(.sentToDelivered, campaign: c, deliveredAt - sentAt)

    guard run.read > 0, stream.uniform(3) < run.read else { return }
    let readAt = deliveredAt + run.readLatency.sample(stream.openUniform(4))
    guard readAt <= horizon else { return }
    let receiptsOn = !(run.receiptsOff > 0 && stream.uniform(1) < run.receiptsOff)
    if receiptsOn {
      record(.read, campaign: c, message: m, at: readAt)
      recordLatency(.deliveredToRead, campaign: c, readAt - deliveredAt)
    }

    guard run.respond > 0, stream.uniform(5) < run.respond else { return }
    let respondedAt = readAt + run.respondLatency.sample(stream.openUniform(6))
    guard respondedAt <= horizon else { return }
    // With receipts off the read is invisible: the message goes from delivered
    // straight to responded, and no read→responded latency is observed.
    record(receiptsOn ? .respond : .respondUnread, campaign: c, message: m, at: respondedAt)
    if receiptsOn { recordLatency(.readToResponded, campaign: c, respondedAt - readAt) }
  }
}
