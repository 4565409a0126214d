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

  static let sends = "#222222"
  static let acceptances = "#0072b2"
  static let errors = "#d55e00"
  static let limit = "#cc79a7"
  static let reason = "#d55e00"
  static let attempts = "#56b4e9"
  static let neutral = "#555555"

  static func span(_ span: LatencySpan) -> (colour: String, dash: String) {
    switch span {
    case .startToSent: ("#000000", "none")
    case .sentToDelivered: ("#0072b2", "8 4")
    case .deliveredToRead: ("#009e73", "none")
    case .readToResponded: ("#cc79a7", "3 3")
    }
  }

  /// Lines and bars of a sweep, one per combination of the other parameters: the Okabe–Ito
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
