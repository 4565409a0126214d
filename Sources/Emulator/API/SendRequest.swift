import Foundation

/// The body of `POST /{version}/{phone-number-id}/messages` (Cloud API). Every field is optional
/// here so that a missing or mistyped one is reported by name (400, code 100) instead of as a
/// generic decoding failure.
struct SendRequest: Decodable {
  struct Template: Decodable {
    struct Language: Decodable {
      var code: String?
    }
    var name: String?
    var language: Language?
  }

  struct Text: Decodable {
    var body: String?
  }

  var messaging_product: String?
  var recipient_type: String?
  var to: String?
  var type: String?
  var template: Template?
  var text: Text?
}

/// What a valid send asks for.
struct SendIntent: Equatable {
  enum Kind: Equatable {
    case template(String)
    case text
  }
  var recipient: String
  var kind: Kind
}

/// A body that is not a send the Cloud API would take, with the field to blame.
struct BodyProblem: Error, Equatable {
  var details: String
}

extension SendRequest {
  /// Recipients are kept for the whole run (one record each), so their length is bounded.
  static let maximumRecipientBytes = 64

  static func parse(_ body: some Collection<UInt8>) -> Result<SendIntent, BodyProblem> {
    let request: SendRequest
    do {
      request = try JSONDecoder().decode(SendRequest.self, from: Data(body))
    } catch let error as DecodingError {
      return .failure(BodyProblem(details: describe(error)))
    } catch {
      return .failure(BodyProblem(details: "the body is not valid JSON"))
    }
    return request.intent()
  }

  func intent() -> Result<SendIntent, BodyProblem> {
    guard let product = messaging_product else {
      return .failure(BodyProblem(details: "missing required parameter messaging_product"))
    }
    guard product == "whatsapp" else {
      return .failure(BodyProblem(details: "messaging_product must be \"whatsapp\""))
    }
    if let recipient_type, recipient_type != "individual" {
      return .failure(BodyProblem(details: "recipient_type must be \"individual\""))
    }
    guard let to else { return .failure(BodyProblem(details: "missing required parameter to")) }
    guard !to.isEmpty, to.utf8.count <= Self.maximumRecipientBytes,
      to.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F })
    else {
      return .failure(
        BodyProblem(details: "to must be a phone number or WhatsApp id of 1 to \(Self.maximumRecipientBytes) bytes"))
    }
    switch type ?? "text" {
    case "template":
      guard let template else { return .failure(BodyProblem(details: "missing required parameter template")) }
      guard let name = template.name, !name.isEmpty else {
        return .failure(BodyProblem(details: "missing required parameter template.name"))
      }
      guard let language = template.language else {
        return .failure(BodyProblem(details: "missing required parameter template.language"))
      }
      guard let code = language.code, !code.isEmpty else {
        return .failure(BodyProblem(details: "missing required parameter template.language.code"))
      }
      return .success(SendIntent(recipient: to, kind: .template(name)))
    case "text":
      guard let text else { return .failure(BodyProblem(details: "missing required parameter text")) }
      guard text.body != nil else { return .failure(BodyProblem(details: "missing required parameter text.body")) }
      return .success(SendIntent(recipient: to, kind: .text))
    case let other:
      return .failure(BodyProblem(details: "type must be \"template\" or \"text\", found \"\(other.prefix(40))\""))
    }
  }

  /// Names the field in `error` the way the Cloud API's `error_data.details` does.
  static func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
      let all = keys + (last.map { [$0] } ?? [])
      let text = all.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
      return text.isEmpty ? "the body" : text
    }
    switch error {
    case .typeMismatch(let type, let context):
      let expected = type == String.self ? "a string" : "an object"
      let field = path(context.codingPath)
      return field == "the body" ? "the body must be a JSON object" : "\(field) must be \(expected)"
    case .valueNotFound(_, let context):
      return "\(path(context.codingPath)) must not be null"
    case .keyNotFound(let key, let context):
      return "missing required parameter \(path(context.codingPath, key))"
    case .dataCorrupted(let context):
      return context.codingPath.isEmpty ? "the body is not valid JSON" : "\(path(context.codingPath)) is malformed"
    @unknown default:
      return "the body is not a valid message"
    }
  }
}
