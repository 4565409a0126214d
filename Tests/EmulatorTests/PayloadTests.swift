import CampaignModel
import Foundation
import Testing

@testable import Emulator

/// The hand-written JSON of the hot path decodes to exactly the `Codable` values it came from.
@Suite struct PayloadTests {
  @Test func sendResponseRoundTrips() throws {
    let reply = SendResponse(
      contacts: [.init(input: #"+1 "555" \ 01"#, wa_id: "155501")],
      messages: [.init(id: "wamid.HBgLABC_0_1", message_status: "accepted")])
    #expect(try JSONDecoder().decode(SendResponse.self, from: Data(reply.json())) == reply)
  }

  @Test func webhookPayloadRoundTrips() throws {
    let failed = WebhookPayload.Status(
      id: "wamid.X_1_2", status: "failed", timestamp: "1767225600", recipient_id: "155\"5",
      pricing: nil,
      errors: [.init(code: 131049, title: "t\u{1}", message: "m", error_data: .init(details: "d\\"))])
    let sent = WebhookPayload.Status(
      id: "wamid.Y_0_1", status: "sent", timestamp: "1767225601", recipient_id: "1556",
      pricing: .init(billable: true), errors: nil)
    let payload = WebhookPayload(entry: [
      .init(
        id: "123",
        changes: [
          .init(
            value: .init(
              metadata: .init(display_phone_number: "15550001", phone_number_id: "1065"),
              contacts: [.init(wa_id: "1556", profile: .init(name: "Contact 1556"))], statuses: [failed, sent]))
        ])
    ])
    let bytes = payload.json()
    #expect(try JSONDecoder().decode(WebhookPayload.self, from: Data(bytes)) == payload)
    // The keys of MODEL.md §10, in its order.
    let text = String(decoding: bytes, as: UTF8.self)
    let head = #"{"object":"whatsapp_business_account","entry":[{"id":"123","changes":[{"field":"messages","#
    #expect(text.hasPrefix(head))
  }
}
