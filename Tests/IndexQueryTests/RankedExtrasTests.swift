// IndexQueryTests: how much proximity evidence a ranked OR query gathers, whatever its length.
@testable import Query
import XCTest

final class RankedExtrasTests: XCTestCase {
    /// A pasted article is a query of hundreds of words: the pairs scored for proximity stop at
    /// the first 64 consecutive ones (all pairs: the first ten words'), where 962 pairs had
    /// each read their words' positions in every document holding both.
    func testProximityPairsAreCappedForLongQueries() throws {
        let (path, reader) = try buildIndex(generatedDocuments(count: 20, seed: 3))
        defer { removeDirectory(path) }
        let searcher = try Searcher(reader: reader)
        let words = (0..<500).map { "w\($0)" }
        var options = SearchOptions()
        options.defaultOperator = .any
        let adjacent = searcher.proximityGroups(words, options)
        XCTAssertEqual(adjacent.count, Searcher.maximumAdjacentPairs)
        XCTAssertEqual(adjacent.first?.label, "w0 NEAR/6 w1", "the pairs start at the query's start")
        XCTAssertEqual(searcher.proximityGroups(Array(words.prefix(30)), options).count, 29, "short queries keep every pair")
        options.proximityAllPairs = true
        XCTAssertEqual(searcher.proximityGroups(words, options).count, 45)
    }
}
