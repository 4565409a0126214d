import CampaignModel
import Foundation
import SimKernel

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// An element of a parsed XML document, with its descendants.
final class Element {
  let name: String
  let attributes: [String: String]
  var children: [Element] = []
  var text = ""

  init(name: String, attributes: [String: String]) {
    self.name = name
    self.attributes = attributes
  }

  /// This element and every element below it, in document order.
  var all: [Element] { [self] + children.flatMap(\.all) }

  func first(id: String) -> Element? { all.first { $0.attributes["id"] == id } }

  var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }
}

/// Parses `text` as XML with Foundation's XMLParser: the root element, or the
/// parser's error (a malformed document is the failure this exists to catch).
func parseXML(_ text: String) throws -> Element {
  let builder = TreeBuilder()
  let parser = XMLParser(data: Data(text.utf8))
  parser.delegate = builder
  guard parser.parse(), let root = builder.root else {
    throw XMLProblem(description: "\(parser.parserError.map { "\($0)" } ?? "no root") at line \(parser.lineNumber)")
  }
  return root
}

struct XMLProblem: Error, CustomStringConvertible {
  let description: String
}

final class TreeBuilder: NSObject, XMLParserDelegate {
  var root: Element?
  var stack: [Element] = []

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    let element = Element(name: elementName, attributes: attributes)
    if let parent = stack.last { parent.children.append(element) } else { root = element }
    stack.append(element)
  }

  func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
    stack.removeLast()
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }
}

/// Every `<svg>…</svg>` fragment of an HTML page (they never nest in reports).
func svgFragments(_ html: String) -> [String] {
  var fragments: [String] = []
  var rest = html[...]
  while let start = rest.range(of: "<svg"), let end = rest[start.upperBound...].range(of: "</svg>") {
    fragments.append(String(rest[start.lowerBound..<end.upperBound]))
    rest = rest[end.upperBound...]
  }
  return fragments
}

/// Two senders, two campaigns, an outage, a throttle and a 24 h limit that
/// bites: every chart of the HTML report has something to draw, in well under a second.
func busyScenario(seed: UInt64 = 11) -> Scenario {
  let latency = Latencies(
    api: .exponential(mean: 200 * Time.millisecond), deliver: .exponential(mean: 5 * Time.second),
    read: .lognormal(median: 10 * Time.minute, p90: 2 * Time.hour), respond: .uniform(Time.minute, 30 * Time.minute))
  return Scenario(
    name: "busy, \"quoted\" <name>", seed: seed, messagingLimit: 3000, pacing: .naive,
    senders: [Sender(id: "fast", throughputMPS: 50), Sender(id: "slow", throughputMPS: 10)],
    campaigns: [
      Campaign(
        id: "promo", sender: "fast", window: Time.day, audience: 4000,
        contacts: ContactMix(invalid: 0.03, blocked: 0.02, offline: 0.05, readReceiptsOff: 0.2),
        engagement: Engagement(read: 0.7, respond: 0.2), latency: latency),
      Campaign(
        id: "vip, \"gold\"", sender: "slow", window: Time.day, audience: 800,
        engagement: Engagement(read: 0.9, respond: 0.5), latency: latency),
    ],
    faults: Faults(
      transientErrorRate: 0.02, outages: [Outage(sender: "fast", start: 20 * Time.second, duration: 10 * Time.second)],
      throttles: [Throttle(sender: "slow", start: 10 * Time.second, duration: 30 * Time.second, mps: 2)]),
    retry: RetryPolicy(limitBackoff: [2 * Time.hour]))
}
