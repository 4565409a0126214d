import CampaignModel

/// How a campaign turned out for the people it was meant to reach. MODEL.md's campaign state says
/// only whether every message settled (`completed`) or the campaign stopped early (`failed`), so a
/// campaign `completed` with 1 % delivered is, by its state alone, a success. Summaries keep the
/// state's word but colour it, and say the outcome, by the share that reached delivery
/// (delivered, read or responded): `good` from 90 %, `partial` from 50 %, `poor` below.
public struct Outcome: Sendable, Equatable {
  public enum Grade: String, Sendable {
    case good, partial, poor
  }

  public static let goodFrom = 0.9
  public static let partialFrom = 0.5

  /// Messages that reached delivery.
  public let reached: Int
  /// `nil` for an empty campaign: nothing to judge.
  public let grade: Grade?

  public init(_ c: CampaignResult) {
    reached = MessageState.allCases.filter(\.reachedDelivery).reduce(0) { $0 + c.count($1) }
    grade = c.audience > 0 ? Self.grade(Double(reached) / Double(c.audience)) : nil
  }

  public static func grade(_ reachedFraction: Double) -> Grade {
    reachedFraction >= goodFrom ? .good : reachedFraction >= partialFrom ? .partial : .poor
  }

  var style: ANSIStyle? {
    switch grade {
    case .good: .green
    case .partial: .yellow
    case .poor: .red
    case nil: nil
    }
  }
}

extension ErrorCode {
  /// A few words for a table row; `meaning` is the whole story.
  var shortName: String {
    switch self {
    case .transient: "transient"
    case .outage: "outage"
    case .invalidContact: "invalid contact"
    case .blocked: "blocked"
    case .messagingLimit: "messaging limit"
    case .throttled: "throttled"
    }
  }
}
