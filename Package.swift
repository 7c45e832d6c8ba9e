// swift-tools-version:5.9
// newsidx: an offline full-text search engine for local news archives.
import PackageDescription

/// The posting and scoring loops touch class-held buffers per document; the runtime check for
/// overlapping access cost about a tenth of query time. Debug builds (the tests) keep it.
let hotLoopSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

/// A position-independent executable relocates about 60,000 pointers in the Swift runtime's
/// metadata at every start, touching a page each time: 0.4-0.8 ms of a 4 ms one-query process.
/// Shared libraries, heap and stack stay randomized; only the executable's own addresses are fixed.
let startupLinkerSettings: [LinkerSetting] = [.unsafeFlags(["-Xclang-linker", "-no-pie"], .when(configuration: .release))]

let package = Package(
    name: "newsidx",
    products: [
        .executable(name: "newsidx", targets: ["newsidx"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Debian system libraries, each behind a module map.
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CStemmer", providers: [.apt(["libstemmer-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CUTF8Proc", providers: [.apt(["libutf8proc-dev"])]),

        .target(name: "Storage", dependencies: ["CLMDB"]),
        .target(name: "Analysis", dependencies: ["CStemmer", "CUTF8Proc"]),
        .target(name: "Cleaning", dependencies: ["CLibXML2"]),
        .target(name: "InvertedIndex", dependencies: ["Storage", "Analysis", "CZstd"],
                swiftSettings: hotLoopSettings),
        .target(name: "Query", dependencies: ["InvertedIndex", "Analysis"], swiftSettings: hotLoopSettings),
        .target(name: "Ingest", dependencies: ["Cleaning", "InvertedIndex", "CZstd", "CZlib"]),
        .executableTarget(name: "newsidx", dependencies: [
            "Storage", "Analysis", "Cleaning", "InvertedIndex", "Query", "Ingest",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: startupLinkerSettings),

        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"]),
        .testTarget(name: "CleaningTests", dependencies: ["Cleaning"]),
        .testTarget(name: "IndexQueryTests", dependencies: ["InvertedIndex", "Query", "Analysis", "Storage"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest"]),
        .testTarget(name: "CLITests", dependencies: []),
        .testTarget(name: "CLIArgumentTests", dependencies: ["newsidx"]),
    ]
)
