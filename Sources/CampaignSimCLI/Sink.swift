import ArgumentParser
import Emulator
import Foundation

struct Sink: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "webhook-sink",
    abstract: "A webhook receiver for trying `serve`: checks signatures and counts statuses.",
    discussion: """
      Answers the verification handshake (with --verify-token, only that token), checks each \
      post's X-Hub-Signature-256 against the app secret, and on SIGINT or SIGTERM prints its \
      counts as one JSON line: posts, statuses, unique (message, status) pairs, repeats, bad \
      signatures. The first line on stdout is `listening on http://ADDR:PORT`.

      Example:
        CAMPAIGNSIM_APP_SECRET=s campaign-sim webhook-sink --port 9000
      """
  )

  @Option(name: .long, help: "Port to listen on (0: any free port).")
  var port = 9000

  @Option(name: .long, help: "The app secret (default: CAMPAIGNSIM_APP_SECRET).")
  var appSecret: String?

  @Option(name: .long, help: "The verify token to expect in the handshake (default: any).")
  var verifyToken: String?

  func run() async throws {
    guard let secret = appSecret ?? ProcessInfo.processInfo.environment["CAMPAIGNSIM_APP_SECRET"], !secret.isEmpty
    else {
      throw badOption("no app secret: pass --app-secret or set CAMPAIGNSIM_APP_SECRET")
    }
    let sink = WebhookSink(secret: secret, verifyToken: verifyToken)
    try await sink.run(port: port, signals: [.sigterm, .sigint]) { port in
      print("listening on http://127.0.0.1:\(port)")
      fflush(nil)
    }
    let c = sink.counts
    print(
      #"{"posts":\#(c.posts),"statuses":\#(c.statuses),"unique":\#(c.unique),"repeats":\#(c.repeats),"#
        + #""bad_signatures":\#(c.badSignatures),"unreadable":\#(c.unreadable),"verifications":\#(c.verifications)}"#)
  }
}
