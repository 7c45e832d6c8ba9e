// IndexQueryTests: the search path's own stable sort against the standard library's, and the
// query-word dedup built on it.
@testable import Query
import XCTest

final class MergeSortTests: XCTestCase {
    /// Keys with many ties, so that stability shows: equal keys keep their original order,
    /// as the standard library's (stable) sort keeps them, at every length around the
    /// powers of two where the merge widths change.
    func testSortsStablyAsTheStandardLibraryDoes() {
        var rng = SystemRandomNumberGenerator()
        for count in Array(0...70) + [127, 128, 129, 1_000, 4_097] {
            let pairs = (0..<count).map { (key: Int.random(in: 0..<max(1, count / 4), using: &rng), index: $0) }
            let ours = pairs.mergeSorted { $0.key < $1.key }
            let theirs = pairs.sorted { $0.key < $1.key }
            XCTAssertEqual(ours.map(\.key), theirs.map(\.key), "\(count) values")
            XCTAssertEqual(ours.map(\.index), theirs.map(\.index), "\(count) values: equal keys out of order")
        }
    }

    func testADescendingOrderSortsDescending() {
        let values = [3, 9, 1, 9, 4, 0, 7]
        XCTAssertEqual(values.mergeSorted(by: >), [9, 9, 7, 4, 3, 1, 0])
    }

    /// Each word once, where it first appears, whatever the repeats (ranked OR's proximity
    /// pairs and `--explain` are built from this list, and scores are summed in its order).
    func testDistinctQueryWordsKeepTheirFirstPlaces() {
        XCTAssertEqual(Searcher.distinctInQueryOrder(["b", "a", "b", "c", "a", "b"]), ["b", "a", "c"])
        XCTAssertEqual(Searcher.distinctInQueryOrder([]), [])
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let words = (0..<Int.random(in: 0...150, using: &rng)).map { _ in "w\(Int.random(in: 0..<40, using: &rng))" }
            var expected: [String] = []
            for w in words where !expected.contains(w) { expected.append(w) }
            XCTAssertEqual(Searcher.distinctInQueryOrder(words), expected)
        }
    }
}
