import AsyncHTTPClient
import Foundation
import NIOCore

/// The subscribe handshake a real receiver expects before any webhook (Meta's verification
/// request): `GET URL?hub.mode=subscribe&hub.challenge=C&hub.verify_token=T` must answer 200
/// with exactly `C` as its body.
enum WebhookVerification {
  static func verify(url: String, token: String?, client: HTTPClient) async throws {
    let challenge = String(UInt64.random(in: 100_000_000...999_999_999))
    guard var parts = URLComponents(string: url) else {
      throw EmulatorError.verificationFailed(url: url, reason: "not a URL")
    }
    var query = parts.queryItems ?? []
    query += [
      URLQueryItem(name: "hub.mode", value: "subscribe"), URLQueryItem(name: "hub.challenge", value: challenge),
      URLQueryItem(name: "hub.verify_token", value: token ?? ""),
    ]
    parts.queryItems = query
    guard let full = parts.string else { throw EmulatorError.verificationFailed(url: url, reason: "not a URL") }
    let response: HTTPClientResponse
    let body: ByteBuffer
    do {
      response = try await client.execute(HTTPClientRequest(url: full), timeout: .seconds(10))
      body = try await response.body.collect(upTo: 1 << 16)
    } catch {
      throw EmulatorError.verificationFailed(url: url, reason: "no answer (\(error))")
    }
    guard response.status.code == 200 else {
      throw EmulatorError.verificationFailed(url: url, reason: "HTTP \(response.status.code)")
    }
    let echoed = String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
    guard echoed == challenge else {
      throw EmulatorError.verificationFailed(
        url: url, reason: "the answer was not the challenge (\(echoed.prefix(40).debugDescription))")
    }
  }
}
