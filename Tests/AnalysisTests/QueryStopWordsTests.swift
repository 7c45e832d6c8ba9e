// AnalysisTests: the stop lists of ranked queries, and the names that choose them.
import Analysis
import XCTest

final class QueryStopWordsTests: XCTestCase {
    /// Every language the messages name has a list, and every list is folded as queries are.
    func testEveryNamedLanguageHasAFoldedList() throws {
        for language in QueryStopWords.languages {
            XCTAssertNoThrow(try QueryStopWords.check(language), language)
            let list = try XCTUnwrap(try QueryStopWords.list(language), language)
            XCTAssertFalse(list.words.isEmpty, language)
            XCTAssertTrue(list.words.allSatisfy { Tokenizer.tokens($0) == [$0] }, language)
            XCTAssertTrue(list.words.allSatisfy(list.contains), language)
            XCTAssertFalse(list.contains("zzzz"), language)
        }
        XCTAssertNil(try QueryStopWords.list("none"))
    }

    func testAnUnknownLanguageIsRefusedByName() {
        XCTAssertThrowsError(try QueryStopWords.check("klingon")) { XCTAssertTrue("\($0)".contains("klingon"), "\($0)") }
        XCTAssertThrowsError(try QueryStopWords.list("klingon"))
    }
}
