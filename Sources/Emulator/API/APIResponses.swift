import CampaignModel
import Foundation

/// HTTP 200 to an accepted send (Cloud API shape).
struct SendResponse: Codable, Equatable {
  struct Contact: Codable, Equatable {
    var input: String
    var wa_id: String
  }
  struct Message: Codable, Equatable {
    var id: String
    var message_status: String?
  }
  var messaging_product = "whatsapp"
  var contacts: [Contact]
  var messages: [Message]
}

/// Every non-200 answer: Graph API's error envelope.
struct ErrorBody: Codable, Equatable {
  struct Details: Codable, Equatable {
    var code: Int
    var message: String
    var type: String
    var error_data: ErrorData?
    var is_transient: Bool?
    var fbtrace_id: String
  }
  struct ErrorData: Codable, Equatable {
    var messaging_product: String
    var details: String
  }
  var error: Details
}

/// Why a request was refused, with the HTTP status and Graph error code of MODEL.md §10.
enum APIError: Equatable {
  case unauthorized
  case tooLarge(limit: Int)
  case unknownPhoneNumber(String)
  case badBody(String)
  case unknownTemplate(String)
  case throttled(bucket: Bool)
  case outage
  case transient
  case notFound
  case methodNotAllowed

  var status: Int {
    switch self {
    case .unauthorized: 401
    case .tooLarge: 413
    case .unknownPhoneNumber, .badBody: 400
    case .unknownTemplate, .notFound: 404
    case .throttled: 429
    case .outage: 503
    case .transient: 500
    case .methodNotAllowed: 405
    }
  }

  var code: Int {
    switch self {
    case .unauthorized: 190
    case .tooLarge, .unknownPhoneNumber, .badBody, .notFound, .methodNotAllowed: 100
    case .unknownTemplate: 132001
    case .throttled: ErrorCode.throttled.rawValue
    case .outage: ErrorCode.outage.rawValue
    case .transient: ErrorCode.transient.rawValue
    }
  }

  var message: String {
    switch self {
    case .unauthorized: "Invalid OAuth access token - Cannot parse access token"
    case .tooLarge: "(#100) Request body too large"
    case .unknownPhoneNumber(let id):
      "Unsupported post request. Object with ID '\(id)' does not exist, cannot be loaded due to missing permissions, or does not support this operation."
    case .badBody: "(#100) Invalid parameter"
    case .unknownTemplate: "(#132001) Template name does not exist in the translation"
    case .throttled: "(#130429) Rate limit hit"
    case .outage: "(#131016) Service unavailable"
    case .transient: "(#131000) Something went wrong"
    case .notFound: "Unknown path components"
    case .methodNotAllowed: "Unsupported method"
    }
  }

  var type: String {
    switch self {
    case .unauthorized, .unknownPhoneNumber, .badBody, .tooLarge, .notFound, .methodNotAllowed: "OAuthException"
    default: "WhatsAppBusinessApiException"
    }
  }

  var details: String? {
    switch self {
    case .tooLarge(let limit): "the request body is larger than \(limit) bytes"
    case .unknownPhoneNumber(let id): "unknown phone-number id \(id)"
    case .badBody(let details): details
    case .unknownTemplate(let name): "template name (\(name)) does not exist"
    case .throttled(let bucket):
      bucket ? "beyond the sender's throughput (token bucket)" : "inside a throttle window"
    case .outage: "the sender's phone number is in an outage window"
    case .transient: "transient error, retry later"
    default: nil
    }
  }

  func body(trace: String) -> ErrorBody {
    ErrorBody(
      error: .init(
        code: code, message: message, type: type,
        error_data: details.map { .init(messaging_product: "whatsapp", details: $0) },
        is_transient: self == .transient ? true : nil, fbtrace_id: trace))
  }
}
