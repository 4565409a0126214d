import Crypto
import Foundation

/// `X-Hub-Signature-256` as Meta computes it: `sha256=` and the hex HMAC-SHA256 of the raw body
/// with the app secret as key.
enum Signature {
  static let header = "X-Hub-Signature-256"

  static func sign(_ body: some DataProtocol, secret: String) -> String {
    let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
    return "sha256=" + hex(code)
  }

  /// Whether `header` is the signature of `body`, compared in constant time.
  static func verify(_ header: String, body: some DataProtocol, secret: String) -> Bool {
    constantTimeEqual(Array(header.utf8), Array(sign(body, secret: secret).utf8))
  }

  static func hex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// Compares two byte strings in time that depends only on their lengths, never on where they
/// differ, so a caller cannot find a token one byte at a time by timing refusals.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
  var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
  if a.count != b.count { difference |= 1 }
  let n = max(a.count, b.count)
  for i in 0..<n {
    let x = i < a.count ? a[i] : 0
    let y = i < b.count ? b[i] : 0
    difference |= x ^ y
  }
  return difference == 0
}
