import Foundation
import ScenarioFormat

/// Feeds one input to the scenario parser. Any outcome but a crash, a hang or
/// an error without a position is fine: a scenario, or a located refusal.
func check(_ data: UnsafeRawBufferPointer) {
  guard let text = String(bytes: data, encoding: .utf8) else { return }
  do {
    _ = try ScenarioLoader.parse(text, file: "fuzz.yaml")
  } catch {
    if error.line == nil || error.column == nil { fatalError("unlocated error: \(error)") }
  }
}

#if FUZZING
  /// libFuzzer's entry point (scripts/fuzz.sh builds with -sanitize=fuzzer -D FUZZING).
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    check(UnsafeRawBufferPointer(start: bytes, count: count))
    return 0
  }

  typealias FuzzTarget = @convention(c) (UnsafePointer<UInt8>, Int) -> Int32

  /// libFuzzer's driver, for a program that has its own main.
  @_silgen_name("LLVMFuzzerRunDriver")
  func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ target: FuzzTarget
  ) -> Int32

  /// SwiftPM links an executable target's entry point under this name, so
  /// libFuzzer's own main never gets in: hand over to its driver from here.
  @_cdecl("ScenarioFuzz_main")
  public func scenarioFuzzMain(
    _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
  ) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzOneInput)
  }
#else
  /// Without libFuzzer: replays the files given (a corpus, a crash reproducer).
  @main
  struct Replay {
    static func main() {
      for path in CommandLine.arguments.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else {
          FileHandle.standardError.write(Data("\(path): cannot read\n".utf8))
          exit(2)
        }
        data.withUnsafeBytes(check)
      }
    }
  }
#endif
