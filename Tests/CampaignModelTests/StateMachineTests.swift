import CampaignModel
import Testing

@Suite struct StateMachineTests {
  /// The edges of MODEL.md §3's diagram, written out independently of the code.
  static let diagram: Set<String> = [
    "queued→sending", "retrying→sending",
    "sending→sent", "sending→retrying", "sending→invalid_contact", "sending→blocked_or_spam", "sending→failed",
    "sent→delivered", "delivered→read", "delivered→responded", "read→responded",
    "queued→failed", "retrying→failed",
  ]

  @Test func exactlyTheDiagramsEdgesAreLegal() {
    for from in MessageState.allCases {
      for to in MessageState.allCases {
        let legal = Self.diagram.contains("\(from)→\(to)")
        #expect(from.canTransition(to: to) == legal, "\(from) → \(to)")
        #expect((MessageTransition(from: from, to: to) != nil) == legal, "\(from) → \(to)")
      }
    }
  }

  @Test func everyEdgeCaseIsADiagramEdgeAndFinishesSendingAgreesWithTheStates() {
    #expect(MessageTransition.allCases.count == Self.diagram.count)
    #expect(MessageTransition.count == MessageTransition.allCases.count)
    for edge in MessageTransition.allCases {
      #expect(Self.diagram.contains("\(edge.from)→\(edge.to)"), "\(edge)")
      #expect(MessageTransition(from: edge.from, to: edge.to) == edge)
      #expect(edge.finishesSending == (edge.from.isInProgress && !edge.to.isInProgress), "\(edge)")
    }
  }

  @Test func terminalStatesHaveNoWayOut() {
    for state in MessageState.allCases where state.isTerminal {
      #expect(MessageState.allCases.allSatisfy { !state.canTransition(to: $0) })
    }
  }

  @Test func campaignStates() {
    #expect(CampaignState.queued.after(.firstDispatch) == .sending)
    #expect(CampaignState.sending.after(.firstDispatch) == nil)
    #expect(CampaignState.sending.after(.runEnded(anyDelivered: true)) == .completed)
    #expect(CampaignState.sending.after(.runEnded(anyDelivered: false)) == .failed)
    #expect(CampaignState.completed.after(.firstDispatch) == nil)
    #expect(CampaignState.failed.after(.runEnded(anyDelivered: true)) == nil)
  }
}
