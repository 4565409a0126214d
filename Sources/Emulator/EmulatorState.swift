import CampaignModel
import Foundation
import ScenarioFormat
import SimKernel
import Synchronization

/// The emulator's shared state: the core behind its lock, and the read-only lookups the HTTP
/// layer needs (phone-number id → sender, template → campaign).
final class EmulatorState: Sendable {
  let scenario: Scenario
  let settings: EmulatorSettings
  let core: Mutex<EmulatorCore>
  let senderByPhoneNumber: [String: Int]
  let campaignByTemplate: [String: Int]
  /// For `type: text`: the first campaign (file order) of each sender.
  let textCampaign: [Int?]
  let wabaID: String
  let displayNumbers: [String]

  init(scenario: Scenario, settings: EmulatorSettings) {
    self.scenario = scenario
    self.settings = settings
    core = Mutex(EmulatorCore(scenario: scenario, settings: settings))
    var phones: [String: Int] = [:]
    for (index, id) in settings.phoneNumberIDs.enumerated() where phones[id] == nil { phones[id] = index }
    senderByPhoneNumber = phones
    var templates: [String: Int] = [:]
    for (index, name) in settings.templates.enumerated() where templates[name] == nil { templates[name] = index }
    campaignByTemplate = templates
    textCampaign = scenario.senders.map { sender in scenario.campaigns.firstIndex { $0.sender == sender.id } }
    wabaID = String(stableHash("waba." + scenario.name) % 900_000_000_000_000 + 100_000_000_000_000)
    displayNumbers = scenario.senders.map { "1555" + String(stableHash("phone." + $0.id) % 10_000_000) }
  }

  /// The Meta payload of one post (MODEL.md §10), encoded.
  func payload(for post: [StatusEvent], clock: any EmulatorClock) -> [UInt8] {
    let sender = post[0].sender
    var contacts: [WebhookPayload.Contact] = []
    for event in post where !contacts.contains(where: { $0.wa_id == waID(event.recipient) }) {
      contacts.append(.init(wa_id: waID(event.recipient), profile: .init(name: "Contact " + event.recipient)))
    }
    let statuses = post.map { event in
      WebhookPayload.Status(
        id: event.wamid, status: event.kind.name, timestamp: String(clock.unixSeconds(at: event.at)),
        recipient_id: waID(event.recipient),
        pricing: event.kind == .failed ? nil : .init(billable: true),
        errors: event.error.map { code in
          [.init(code: code.rawValue, title: code.title, message: code.title, error_data: .init(details: code.meaning))]
        })
    }
    let value = WebhookPayload.Value(
      metadata: .init(display_phone_number: displayNumbers[sender], phone_number_id: settings.phoneNumberIDs[sender]),
      contacts: contacts, statuses: statuses)
    return WebhookPayload(entry: [.init(id: wabaID, changes: [.init(value: value)])]).json()
  }
}

/// Meta's `wa_id`: the number without `+`, spaces or dashes.
func waID(_ recipient: String) -> String {
  let digits = recipient.unicodeScalars.filter { $0 != "+" && $0 != " " && $0 != "-" }
  return digits.isEmpty ? recipient : String(String.UnicodeScalarView(digits))
}

extension ErrorCode {
  /// The `title` Meta gives the code in webhooks.
  var title: String {
    switch self {
    case .transient: "Something went wrong"
    case .outage: "Service unavailable"
    case .invalidContact: "Message undeliverable"
    case .blocked: "Spam rate limit hit"
    case .messagingLimit: "Message failed to send because there are restrictions on how many messages can be sent"
    case .throttled: "Rate limit hit"
    }
  }
}
