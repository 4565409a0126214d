import Platform
import Testing

@Suite struct ExactFractionTests {
  @Test func readsDecimalTextExactly() throws {
    let f = try #require(ExactFraction(decimal: "0.3"))
    #expect(f.numerator == 3 && f.denominator == 10)
    // 0.3 × 10000 in binary floating point is 3000.0000000000005, whose ceiling is 3001.
    #expect(f.ceilTimes(10000) == 3000)
    #expect(ExactFraction(decimal: "0.5")!.ceilTimes(2001) == 1001)
    #expect(ExactFraction(decimal: "1")!.ceilTimes(250) == 250)
    #expect(ExactFraction(decimal: "0.010")!.description == "0.01")
  }

  @Test func refusesWhatIsNotAPlainDecimal() {
    for text in ["", ".5", "1.", "-0.1", "1e-3", "0.5.1", "abc", "0.1234567890123456789"] {
      #expect(ExactFraction(decimal: text) == nil, "\(text)")
    }
  }

  @Test func comparesRatesExactly() {
    let onePercent = ExactFraction(decimal: "0.01")!
    #expect(onePercent.isReached(by: 1, of: 100))
    #expect(!onePercent.isReached(by: 1, of: 101))
    #expect(!onePercent.isReached(by: 0, of: 0))
    #expect(ExactFraction(decimal: "0")!.isReached(by: 0, of: 0))
  }
}

@Suite struct ExactFractionDescriptionTests {
  @Test func aFractionBuiltInCodeWithoutADecimalFormStillDescribesItself() {
    #expect(ExactFraction(numerator: 1, denominator: 3).description == "1/3")
    #expect(ExactFraction(numerator: 1, denominator: 2).description == "1/2")
    #expect(ExactFraction(numerator: 5, denominator: 10).description == "0.5")
  }
}
