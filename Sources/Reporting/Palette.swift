import CampaignModel

/// Colours of the HTML report, chosen to survive colour-vision deficiency:
/// success states are one blue ramp told apart by lightness, failures are the
/// Okabe–Ito warm hues (and hatched, so they differ without colour at all),
/// work in progress is grey and yellow.
enum Palette {
  static func state(_ state: MessageState) -> String {
    switch state {
    case .queued: "#cfcfcf"
    case .sending: "#8c8c8c"
    case .retrying: "#f0e442"
    case .sent: "#c6dbef"
    case .delivered: "#6baed6"
    case .read: "#2171b5"
    case .responded: "#08306b"
    case .failed: "#d55e00"
    case .invalidContact: "#e69f00"
    case .blockedOrSpam: "#cc79a7"
    }
  }

  /// Stacking order of the cumulative-flow chart, bottom to top: success grows
  /// from the floor, failures hang from the ceiling, work in progress drains between.
  static let stackOrder: [MessageState] = [
    .responded, .read, .delivered, .sent, .sending, .retrying, .queued, .failed, .invalidContact, .blockedOrSpam,
  ]

  /// Attempts, as a line: the ink of the page (the busiest-second line is the same colour, dashed).
  static let sends = "#222222"
  static let acceptances = "#0072b2"
  /// Attempts refused at dispatch: not a state (a refused message may retry), so not `failed`'s vermillion.
  static let errors = "#a50f15"
  /// The messaging limit and its upgrades: purple, apart from `blocked_or_spam`'s pink.
  static let limit = "#7b3294"
  /// The limit drawn behind the data as a broad translucent band (CSS `.rule.ceiling` uses the same).
  static let limitBand = "#c2a5cf"
  static let attempts = "#56b4e9"
  /// Tier levels drawn for reference on an unlimited run's limit chart (CSS `.rule.tier` too).
  static let tierReference = "#7a7a7a"
  /// Outage windows: the errors' red, faint, as a time when every attempt errs.
  static let outageShade = "#f2dcdd"
  /// Throttle windows: a slate that no state uses.
  static let throttleShade = "#e5e8ec"

  /// A failure reason is drawn in the colour of the state it ends messages in.
  static func reason(_ reason: FailureReason) -> String { state(Self.state(of: reason)) }

  static func state(of reason: FailureReason) -> MessageState {
    switch reason {
    case .retriesExhausted, .expired: .failed
    case .invalid: .invalidContact
    case .blocked, .messagingLimit, .marketingCap: .blockedOrSpam
    }
  }

  /// Latency spans: hues no state, flow or limit uses, told apart by dashes as well.
  static func span(_ span: LatencySpan) -> (colour: String, dash: String) {
    switch span {
    case .startToSent: ("#000000", "none")
    case .sentToDelivered: ("#009e73", "8 4")
    case .deliveredToRead: ("#7570b3", "none")
    case .readToResponded: ("#a6761d", "3 3")
    }
  }

  /// Every colour with its one meaning (CSS keeps copies of the shades and the limit: see
  /// `HTMLTemplate`); a test checks that no colour means two things.
  static var meanings: [(meaning: String, colour: String)] {
    MessageState.allCases.map { ("state \($0)", state($0)) }
      + LatencySpan.allCases.map { ("latency \($0)", span($0).colour) }
      + [
        ("attempts", sends), ("accepted", acceptances), ("errors", errors), ("messaging limit", limit),
        ("messaging limit band", limitBand), ("attempts per message", attempts), ("outage", outageShade),
        ("throttle", throttleShade), ("tier levels", tierReference),
      ]
  }

  /// Lines and bars of a sweep, one per combination of the other parameters (a sweep page
  /// shows no states, so these categorical hues mean only "series k" there): the Okabe–Ito
  /// hues, darkest first, yellow last (it barely shows on white).
  static let series = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#000000", "#e69f00", "#56b4e9", "#f0e442"]

  /// Dash patterns of those lines: series k and k + 1 always differ in colour, dash and
  /// marker, so equal lines stay visible.
  static let seriesDashes = ["none", "8 4", "3 3", "12 4 3 4"]

  /// Line widths and marker sizes shrink along the series: where lines coincide, each is drawn
  /// over a wider one, which shows round it (a ring round a smaller marker, a dashed line over
  /// a solid one).
  static let seriesWidths = ["3.4", "2.4", "2", "1.6"]
  static let seriesMarkerScales = ["1.45", "1.15", "0.9", "0.75"]
}

/// Marker symbols as path data around the origin, about 10 px across: four shapes told apart
/// without colour.
enum MarkerShape {
  static let circle = "M-4.5,0a4.5,4.5 0 1,0 9,0a4.5,4.5 0 1,0 -9,0Z"
  static let square = "M-4,-4h8v8h-8Z"
  static let triangle = "M0,-5.2L5,3.5L-5,3.5Z"
  static let diamond = "M0,-5.6L5.6,0L0,5.6L-5.6,0Z"
  static let all = [circle, square, triangle, diamond]
}
