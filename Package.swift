// swift-tools-version:5.9
// newsidx: an offline full-text search engine for local news archives.
import Foundation
import PackageDescription

/// The posting and scoring loops touch class-held buffers per document; the runtime check for
/// overlapping access cost about a tenth of query time. Debug builds (the tests) keep it.
let hotLoopSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

/// The release is one static executable, not position-independent. A position-independent one
/// relocates about 60,000 pointers in the Swift runtime's metadata at every start, touching a page
/// each time (0.4-0.8 ms of a 4 ms one-query process); loading and binding libstdc++, libm and
/// libc took another 0.6-0.8 ms (`newsidx --version`: 2.3 ms dynamic, 1.6 ms static). glibc warns
/// that name-service and `dlopen` calls in a static program need its shared libraries at run time:
/// newsidx makes none, and libxml2 reaches the network code only without HTML_PARSE_NONET.
/// libxml2 keeps its state per thread only when every pthread function it refers to weakly is
/// linked, and nothing else calls `pthread_equal`: without it, workers cleaning HTML at once
/// corrupted the heap (`HTMLCleaner` stops at once if that comes back).
let startupLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(["-static-executable", "-Xlinker", "--undefined=pthread_equal"], .when(configuration: .release)),
]

/// The C libraries are linked from their static archives (see each module map): loading
/// libxml2.so with the ICU, lzma and zlib libraries it needs took 0.6-0.8 ms of every one-query
/// process. SwiftPM's `pkgConfig:` would also add `-lxml2` ahead of every object, which binds
/// libxml2 dynamically, so libxml2's header folder is asked of pkg-config here instead.
func compilerFlags(ofPkgConfigPackage name: String) -> [String] {
    let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
    guard let tool = searchPath.split(separator: ":").map({ "\($0)/pkg-config" })
        .first(where: FileManager.default.isExecutableFile(atPath:)) else { return [] }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = ["--cflags", name]
    let output = Pipe()
    process.standardOutput = output
    guard (try? process.run()) != nil else { return [] }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return text.split(whereSeparator: \.isWhitespace).flatMap { ["-Xcc", String($0)] }
}

/// Every module that sees Cleaning, which imports libxml2's headers, must find them too.
let libxml2Headers: [SwiftSetting] = [.unsafeFlags(compilerFlags(ofPkgConfigPackage: "libxml-2.0"))]

let package = Package(
    name: "newsidx",
    products: [
        .executable(name: "newsidx", targets: ["newsidx"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Debian system libraries, each behind a module map that links its static archive.
        .systemLibrary(name: "CLMDB", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CStemmer", providers: [.apt(["libstemmer-dev"])]),
        .systemLibrary(name: "CZstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibXML2", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CUTF8Proc", providers: [.apt(["libutf8proc-dev"])]),
        // Header only: a prefetch hint for the term table's lookups and the posting cursors' next blocks.
        .systemLibrary(name: "CPrefetch"),

        .target(name: "Storage", dependencies: ["CLMDB"]),
        .target(name: "Analysis", dependencies: ["CStemmer", "CUTF8Proc", "CPrefetch"], swiftSettings: hotLoopSettings),
        .target(name: "Cleaning", dependencies: ["CLibXML2"], swiftSettings: libxml2Headers),
        .target(name: "InvertedIndex", dependencies: ["Storage", "Analysis", "CZstd", "CPrefetch"],
                swiftSettings: hotLoopSettings),
        .target(name: "Query", dependencies: ["InvertedIndex", "Analysis"], swiftSettings: hotLoopSettings),
        .target(name: "Ingest", dependencies: ["Cleaning", "InvertedIndex", "CZstd", "CZlib"], swiftSettings: libxml2Headers),
        .executableTarget(name: "newsidx", dependencies: [
            "Storage", "Analysis", "Cleaning", "InvertedIndex", "Query", "Ingest",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: libxml2Headers, linkerSettings: startupLinkerSettings),

        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"]),
        .testTarget(name: "CleaningTests", dependencies: ["Cleaning"], swiftSettings: libxml2Headers),
        .testTarget(name: "IndexQueryTests", dependencies: ["InvertedIndex", "Query", "Analysis", "Storage"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest"], swiftSettings: libxml2Headers),
        // Storage only to damage an index the way a failing disk would (CorruptIndexTests).
        .testTarget(name: "CLITests", dependencies: ["Storage"]),
        .testTarget(name: "CLIArgumentTests", dependencies: ["newsidx"], swiftSettings: libxml2Headers),
    ]
)
