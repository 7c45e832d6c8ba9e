// IndexQueryTests: the search path's own stable sort against the standard library's.
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
}
