// libFuzzer harness for the query language: lexer, parser (both default operators, with and
// without --words) and the planner (english analyzer, with and without query stop words).
// Thrown QuerySyntaxError is an expected outcome; only crashes, hangs and leaks are findings.
// Built by Tools/fuzz against the Analysis, InvertedIndex and Query modules (Query with
// -enable-testing, so the planner's internal --words switch can be set as Searcher sets it).
import Analysis
@testable import Query

// One analyzer for the process: building a Snowball stemmer and fresh term tables per input
// would dominate the run time. Its caches are trimmed below so memory stays flat.
nonisolated(unsafe) private let analyzer = try! Analyzer(language: "english")
private let stopWords = try! QueryStopWords.list("english")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data.assumingMemoryBound(to: UInt8.self), count: size)
    let query = String(decoding: bytes, as: UTF8.self)
    for op in [DefaultOperator.all, .any] {
        for wordsOnly in [false, true] {
            guard let node = try? QueryParser.parse(query, defaultOperator: op, wordsOnly: wordsOnly) else { continue }
            // The planner exactly as Searcher.plan configures it, and the bare public one.
            var planner = QueryPlanner(analyzer: analyzer, stopWords: stopWords)
            planner.splitWordsInRankedLists = wordsOnly
            if let plan = try? planner.plan(node) { _ = plan.description }
            if let plan = try? QueryPlanner(analyzer: analyzer).plan(node) { _ = plan.description }
        }
    }
    analyzer.trimCaches(above: 32 << 20)
    return 0
}
