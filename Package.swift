// swift-tools-version: 6.1
import PackageDescription

// Dependencies point one way:
//   CampaignSimCLI → Reporting → Analysis → ScenarioFormat → RunPlan → CampaignModel → Platform → SimKernel
//   CampaignSimCLI → BenchHarness → CampaignModel
//   CampaignSimCLI → Emulator → Reporting, Platform (the HTTP server of `serve`, MODEL.md §10)
// SimKernel knows nothing of WhatsApp; Platform holds WhatsApp's rules once (for the batch engine
// and the HTTP emulator) and knows no event loop; CampaignModel knows nothing of files nor of what
// is checked after a run; RunPlan (thresholds, the sweep plan, the figure catalogue) is what a
// scenario file asks of runs beyond the model; Analysis (replications, statistics, threshold
// checks, compare, sweeps) knows nothing of rendering.
let package = Package(
  name: "CampaignSim",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "campaign-sim", targets: ["CampaignSimCLI"]),
    // The scenario parser as a libFuzzer target (scripts/fuzz.sh); built normally it replays files.
    .executable(name: "scenario-fuzz", targets: ["ScenarioFuzz"]),
    .library(name: "SimKernel", targets: ["SimKernel"]),
    .library(name: "Platform", targets: ["Platform"]),
    .library(name: "CampaignModel", targets: ["CampaignModel"]),
    .library(name: "RunPlan", targets: ["RunPlan"]),
    .library(name: "ScenarioFormat", targets: ["ScenarioFormat"]),
    .library(name: "Analysis", targets: ["Analysis"]),
    .library(name: "Reporting", targets: ["Reporting"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
  ],
  targets: [
    .target(name: "SimKernel"),
    .target(
      name: "Platform",
      dependencies: [
        "SimKernel",
        .product(name: "DequeModule", package: "swift-collections"),
        .product(name: "HeapModule", package: "swift-collections"),
      ]
    ),
    .target(
      name: "CampaignModel",
      dependencies: [
        "Platform", "SimKernel",
        .product(name: "DequeModule", package: "swift-collections"),
        .product(name: "Histogram", package: "hdrhistogram-swift"),
      ]
    ),
    .target(
      name: "RunPlan",
      dependencies: ["CampaignModel", "SimKernel", .product(name: "Histogram", package: "hdrhistogram-swift")]
    ),
    .target(
      name: "ScenarioFormat",
      dependencies: ["CampaignModel", "RunPlan", "SimKernel", .product(name: "Yams", package: "Yams")]
    ),
    .target(name: "Analysis", dependencies: ["CampaignModel", "RunPlan", "ScenarioFormat", "SimKernel"]),
    .target(
      name: "Reporting",
      dependencies: [
        "Analysis", "CampaignModel", "RunPlan", "ScenarioFormat", "SimKernel",
        .product(name: "Histogram", package: "hdrhistogram-swift"),
        .product(name: "Mustache", package: "swift-mustache"),
      ]
    ),
    .target(name: "BenchHarness", dependencies: ["CampaignModel"]),
    .target(
      name: "Emulator",
      dependencies: [
        "CampaignModel", "Platform", "ScenarioFormat", "Reporting", "SimKernel",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        .product(name: "HeapModule", package: "swift-collections"),
        .product(name: "DequeModule", package: "swift-collections"),
      ]
    ),
    .systemLibrary(
      name: "CJemalloc",
      pkgConfig: "jemalloc",
      providers: [.apt(["libjemalloc-dev"])]
    ),
    .executableTarget(name: "ScenarioFuzz", dependencies: ["ScenarioFormat"]),
    .executableTarget(
      name: "CampaignSimCLI",
      dependencies: [
        "CJemalloc", "Analysis", "BenchHarness", "CampaignModel", "Emulator", "RunPlan", "ScenarioFormat",
        "Reporting", "SimKernel",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "SimKernelTests", dependencies: ["SimKernel"]),
    .testTarget(name: "PlatformTests", dependencies: ["Platform", "SimKernel"]),
    .testTarget(name: "BenchHarnessTests", dependencies: ["BenchHarness", "CampaignModel"]),
    .testTarget(name: "CampaignModelTests", dependencies: ["CampaignModel", "SimKernel"]),
    .testTarget(
      name: "ScenarioFormatTests",
      dependencies: [
        "ScenarioFormat", "CampaignModel", "RunPlan", "SimKernel", .product(name: "Yams", package: "Yams"),
      ]
    ),
    .testTarget(
      name: "AnalysisTests", dependencies: ["Analysis", "CampaignModel", "RunPlan", "ScenarioFormat", "SimKernel"]
    ),
    .testTarget(
      name: "ReportingTests",
      dependencies: ["Analysis", "CampaignModel", "RunPlan", "ScenarioFormat", "Reporting", "SimKernel"]
    ),
    .testTarget(
      name: "EmulatorTests",
      dependencies: [
        "Emulator", "CampaignModel", "ScenarioFormat", "Reporting", "SimKernel",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]
    ),
    .testTarget(
      name: "EndToEndTests",
      dependencies: [
        "Analysis", "CampaignModel", "RunPlan", "ScenarioFormat", "Reporting", "SimKernel",
        .product(name: "Yams", package: "Yams"),
      ]
    ),
  ]
)
