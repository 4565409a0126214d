import CampaignModel
import Foundation
import Reporting
import SimKernel
import Testing

@Suite struct TraceReportTests {
  func trace(campaign: String) -> MessageTrace {
    var trace = MessageTrace(
      campaign: campaign, campaignIndex: 0, message: 7, sender: "s", contact: .reachable, cappedUntil: nil)
    trace.attempts = [
      AttemptTrace(
        number: 1, readyAt: 0, dispatchedAt: 12_500, wait: .throughput, senderInterval: 12_500, responseAt: 20_000,
        rule: .transient, transientDraw: 0.25, limit: nil, cappedUntil: nil,
        after: .retry(backoff: 30 * Time.second, jitterCut: 5, readyAt: 30_019_995))
    ]
    trace.states = [StateChange(state: .sending, at: 12_500), StateChange(state: .retrying, at: 20_000)]
    trace.finalState = .retrying
    return trace
  }

  @Test func aRecordIsOneLineOfJSONWithEveryKeyInAFixedOrder() throws {
    let line = TraceReport.line(trace(campaign: "promo"))
    #expect(!line.contains("\n"))
    #expect(
      line.hasPrefix(
        #"{"campaign":"promo","message":7,"sender":"s","contact":"reachable","capped_until_us":null,"final_state":"retrying","failure_reason":null,"attempts":[{"attempt":1,"ready_at_us":0,"dispatched_at_us":12500,"wait":"throughput","sender_interval_us":12500,"response_at_us":20000,"rule":"transient","error_code":131000,"transient_draw":0.25,"limit":null,"capped_until_us":null,"next":"retry","failure_reason":null,"backoff_us":30000000,"jitter_cut_us":5,"retry_ready_at_us":30019995,"expired_at_us":null}],"states":[{"state":"sending","at_us":12500},{"state":"retrying","at_us":20000}],"#
      ))
    #expect(line.hasSuffix(#""read_unseen_at_us":null,"reported_at_us":null}"#))
  }

  @Test func campaignIdsAreEscapedAsJSONStrings() throws {
    let id = "a\"b\\c\td\u{1}é"
    let line = TraceReport.line(trace(campaign: id))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    #expect(object["campaign"] as? String == id)
    #expect(TraceReport.ndjson([trace(campaign: "x"), trace(campaign: "y")]).split(separator: "\n").count == 2)
  }

  @Test func timesAreExactToTheMicrosecond() {
    #expect(TraceReport.clock(0) == "00:00:00.000000")
    #expect(
      TraceReport.clock(2 * Time.day + 3 * Time.hour + 4 * Time.minute + 5 * Time.second + 600) == "2d 03:04:05.000600")
    #expect(TraceReport.duration(12 * Time.hour) == "12h")
    #expect(TraceReport.duration(2 * Time.minute + 30 * Time.second) == "2m 30s")
    #expect(TraceReport.duration(12_500) == "0.0125s")
    #expect(TraceReport.duration(Time.day + 1) == "1d 0.000001s")
  }
}
