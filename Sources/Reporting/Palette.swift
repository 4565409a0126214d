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
}
