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

    /// French's commonest preposition is one ("à", folded "a"); Portuguese "são" (are) is not,
    /// folded it is the "São" of São Paulo, which `--any 'São Paulo'` had dropped.
    func testListsHoldFunctionWordsAndNoPlaceNames() throws {
        let french = try XCTUnwrap(try QueryStopWords.list("french"))
        XCTAssertTrue(french.contains(Tokenizer.tokens("à")[0]))
        let portuguese = try XCTUnwrap(try QueryStopWords.list("portuguese"))
        XCTAssertFalse(portuguese.contains(Tokenizer.tokens("São")[0]))
        XCTAssertTrue(portuguese.contains(Tokenizer.tokens("não")[0]))
    }

    func testAnUnknownLanguageIsRefusedByName() {
        XCTAssertThrowsError(try QueryStopWords.check("klingon")) { XCTAssertTrue("\($0)".contains("klingon"), "\($0)") }
        XCTAssertThrowsError(try QueryStopWords.list("klingon"))
    }
}
