// swift-tools-version: 6.1
import PackageDescription

// Kernel micro-benchmarks (ordo-one/benchmark). A package of its own so the
// normal build and CI never build the benchmark framework:
//   cd Benchmarks && swift package benchmark
let package = Package(
  name: "CampaignSimBenchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "CampaignSim", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
  ],
  targets: [
    .executableTarget(
      name: "KernelBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "SimKernel", package: "CampaignSim"),
        .product(name: "CampaignModel", package: "CampaignSim"),
        .product(name: "Histogram", package: "hdrhistogram-swift"),
      ],
      path: "Benchmarks/KernelBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
  ]
)
