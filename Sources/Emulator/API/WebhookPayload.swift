/// The body of a status webhook, exactly as MODEL.md §10 (Meta's `messages` field) spells it.
struct WebhookPayload: Codable, Equatable {
  struct Entry: Codable, Equatable {
    var id: String
    var changes: [Change]
  }
  struct Change: Codable, Equatable {
    var field = "messages"
    var value: Value
  }
  struct Value: Codable, Equatable {
    var messaging_product = "whatsapp"
    var metadata: Metadata
    var contacts: [Contact]
    var statuses: [Status]
  }
  struct Metadata: Codable, Equatable {
    var display_phone_number: String
    var phone_number_id: String
  }
  struct Contact: Codable, Equatable {
    struct Profile: Codable, Equatable {
      var name: String
    }
    var wa_id: String
    var profile: Profile
  }
  struct Status: Codable, Equatable {
    var id: String
    var status: String
    /// Unix seconds, as a string (Meta's choice).
    var timestamp: String
    var recipient_id: String
    var pricing: Pricing?
    var errors: [StatusError]?
  }
  struct Pricing: Codable, Equatable {
    var billable: Bool
    var pricing_model = "PMP"
    var category = "marketing"
  }
  struct StatusError: Codable, Equatable {
    struct ErrorData: Codable, Equatable {
      var details: String
    }
    var code: Int
    var title: String
    var message: String
    var error_data: ErrorData
  }

  var object = "whatsapp_business_account"
  var entry: [Entry]
}
