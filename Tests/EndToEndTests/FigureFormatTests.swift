import Reporting
import Testing

@Suite struct FigureFormatTests {
  @Test(arguments: [
    (259_200.2, "3d 0h 0m 0.2s"), (129_600, "1d 12h"), (300.1875, "5m 0.188s"), (4_000, "1h 6m 40s"),
    (60, "1m"), (33.3, "33.3s"), (0.25, "250ms"), (0.0015, "1.500ms"), (0, "0ms"), (86_400, "1d"),
  ])
  func exactDurationsKeepEveryUnitUpToTheLast(_ seconds: Double, _ text: String) {
    #expect(Format.exactDuration(seconds) == text)
  }

  @Test func figuresPrintInTheirUnit() {
    #expect(Format.figure(0.95, name: "promo.delivered_fraction") == "95.000%")
    #expect(Format.figure(0.94999, name: "delivered_fraction") == "94.999%")
    #expect(Format.figure(1234, name: "promo.errors_131049") == "1,234")
    #expect(Format.figure(12.5, name: "dispatches") == "12.50")
    #expect(Format.figure(nil, name: "promo.sending_finished_at") == "never")
    #expect(Format.figure(.infinity, name: "sending_finished_at") == "never")
    #expect(Format.figure(nil, name: "promo.start_to_sent_p50") == "-")
    #expect(Format.figureChange(-0.0123, name: "failed_fraction") == "-1.230 pp")
    #expect(Format.figureChange(300.1875, name: "sending_finished_at") == "+5m 0.188s")
  }
}
