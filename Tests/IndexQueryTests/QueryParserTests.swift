// IndexQueryTests: the query language's syntax tree, precedence, and errors with their columns.
import Query
import XCTest

final class QueryParserTests: XCTestCase {
    func parse(_ q: String, _ op: DefaultOperator = .all) throws -> QueryNode { try QueryParser.parse(q, defaultOperator: op) }

    func w(_ t: String, _ c: Int, field: String? = nil) -> QueryNode { .word(field: field, text: t, column: c) }

    func testDefaultOperatorAndPrecedence() throws {
        XCTAssertEqual(try parse("a b"), .all([w("a", 1), w("b", 3)], excluded: []))
        XCTAssertEqual(try parse("a b", .any), .any([w("a", 1), w("b", 3)], excluded: []))
        // AND (written or implied) binds tighter than OR, as in SQLite FTS5.
        XCTAssertEqual(try parse("a OR b c"), .any([w("a", 1), .all([w("b", 6), w("c", 8)], excluded: [])], excluded: []))
        XCTAssertEqual(try parse("a AND b OR c"), .any([.all([w("a", 1), w("b", 7)], excluded: []), w("c", 12)], excluded: []))
        XCTAssertEqual(try parse("a NOT b"), .all([w("a", 1)], excluded: [w("b", 7)]))
        XCTAssertEqual(try parse("a and b"), .all([w("a", 1), w("and", 3), w("b", 7)], excluded: []))
    }

    func testExclusionsFieldsPrefixesAndPhrases() throws {
        XCTAssertEqual(try parse("a -b -\"c d\""),
                       .all([w("a", 1)], excluded: [w("b", 3), .phrase(field: nil, text: "c d", column: 6)]))
        XCTAssertEqual(try parse("title:x title:\"y z\""),
                       .all([w("x", 1, field: "title"), .phrase(field: "title", text: "y z", column: 9)], excluded: []))
        XCTAssertEqual(try parse("econ*"), .prefix(field: nil, text: "econ", column: 1))
    }

    /// An exclusion followed by NOT: both words are excluded from the list it stands in (the
    /// NOT had taken the exclusion as something to match, and the plan dropped both).
    func testExclusionThenNotExcludesBoth() throws {
        XCTAssertEqual(try parse("a -b NOT c"), .all([w("a", 1)], excluded: [w("b", 3), w("c", 10)]))
        XCTAssertEqual(try parse("a -b -c NOT d"), .all([w("a", 1)], excluded: [w("b", 3), w("c", 6), w("d", 13)]))
        XCTAssertEqual(try parse("a -b NOT c", .any), .any([w("a", 1)], excluded: [w("b", 3), w("c", 10)]))
        assertError("-b NOT c", column: 1, contains: "only exclusions")
    }

    /// A group of nothing but exclusions excludes them from the list it stands in, as a lone
    /// exclusion in parentheses did (both had been dropped: `(-b -c) a` was `a`); after NOT it
    /// is refused, since it names nothing to exclude.
    func testAGroupOfOnlyExclusionsExcludesFromItsList() throws {
        XCTAssertEqual(try parse("(-b -c) a"), .all([w("a", 9)], excluded: [w("b", 2), w("c", 5)]))
        XCTAssertEqual(try parse("a (-b -c)"), .all([w("a", 1)], excluded: [w("b", 4), w("c", 7)]))
        XCTAssertEqual(try parse("-b -c OR a"), .any([w("a", 10)], excluded: [w("b", 1), w("c", 4)]))
        assertError("a NOT (-b -c)", column: 7, contains: "NOT needs something to match after it")
        assertError("(-b -c)", column: 1, contains: "only exclusions")
    }

    func testNearChains() throws {
        XCTAssertEqual(try parse("a NEAR b"), .near([w("a", 1), w("b", 8)], distance: 10, ordered: false))
        XCTAssertEqual(try parse("a NEAR/3 b NEAR/5 \"c d\""),
                       .near([w("a", 1), w("b", 10), .phrase(field: nil, text: "c d", column: 19)], distance: 3, ordered: false))
        XCTAssertEqual(try parse("a ADJ/2 b"), .near([w("a", 1), w("b", 9)], distance: 2, ordered: true))
    }

    func assertError(_ q: String, column: Int, contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parse(q), file: file, line: line) { error in
            guard let e = error as? QuerySyntaxError else { return XCTFail("not a syntax error: \(error)", file: file, line: line) }
            XCTAssertEqual(e.column, column, "\(q): \(e)", file: file, line: line)
            XCTAssertTrue(e.message.contains(text), "\(q): \(e.message)", file: file, line: line)
        }
    }

    func testErrorsPointAtTheColumn() {
        assertError("a \"b c", column: 3, contains: "unbalanced quote")
        assertError("(a b", column: 1, contains: "never closed")
        assertError("a b)", column: 4, contains: "unbalanced ')'")
        assertError("a AND", column: 3, contains: "AND needs something after it")
        assertError("OR a", column: 1, contains: "OR needs a word or phrase before it")
        assertError("a NEAR/x b", column: 3, contains: "whole number")
        assertError("a NEAR/-1 b", column: 3, contains: "whole number")
        assertError("a NEAR/999999999 b", column: 3, contains: "too large")
        assertError("a NEAR/2 b ADJ/2 c", column: 12, contains: "cannot be mixed")
        assertError("-a", column: 1, contains: "only exclusions")
        assertError("()", column: 1, contains: "empty parentheses")
        assertError("a AND (", column: 7, contains: "never closed")
        assertError("", column: 1, contains: "empty")
        assertError("a NEAR (b OR c)", column: 8, contains: "words or phrases only")
        assertError("\"oil pri*\" x", column: 9, contains: "a prefix ('*') cannot be used inside one")
    }

    /// Groups may nest 100 deep, as documented; the 101st is refused at its parenthesis.
    func testGroupsNestAHundredDeep() throws {
        let hundred = String(repeating: "(", count: 100) + "oil" + String(repeating: ")", count: 100)
        XCTAssertEqual(try parse(hundred), w("oil", 101))
        assertError("(" + hundred + ")", column: 101, contains: "groups nest more than 100 deep")
    }

    /// A phrase pasted from an article comes in typographic quotes; read as words, it had
    /// quietly been an AND of them.
    func testTypographicQuotesMakePhrases() throws {
        let phrase = QueryNode.phrase(field: nil, text: "oil prices", column: 1)
        for quoted in ["\u{201C}oil prices\u{201D}", "\u{201E}oil prices\u{201C}", "\"oil prices\u{201D}"] {
            XCTAssertEqual(try parse(quoted), phrase, quoted)
        }
        XCTAssertEqual(try parse("a \u{201C}b c\u{201D}d"),
                       .all([w("a", 1), .phrase(field: nil, text: "b c", column: 3), w("d", 8)], excluded: []))
        XCTAssertEqual(try parse("-title:\u{201C}b c\u{201D} a"),
                       .all([w("a", 14)], excluded: [.phrase(field: "title", text: "b c", column: 1)]))
        assertError("a \u{201C}b c", column: 3, contains: "this '\u{201C}' is never closed")
    }

    /// Signs the tokenizer would have dropped, changing what the query asks: `*oil` had been
    /// `oil`, `o*l` the phrase "o l", and `title:-oil` the title word oil, not its exclusion.
    func testSignsInsideWordsAreRefusedNotDropped() {
        assertError("a *oil", column: 3, contains: "'*' can only end a word")
        assertError("a o*l", column: 4, contains: "'*' can only end a word")
        assertError("a oil**", column: 6, contains: "'*' can only end a word")
        assertError("title:*oil", column: 7, contains: "'*' can only end a word")
        assertError("a title:-oil", column: 9, contains: "-title:word")
        assertError("a *", column: 3, contains: "at least one letter")
    }

    /// Lucene's syntax that the tokenizer would take for spaces is refused, saying what newsidx
    /// has: `oil !gas` had found documents with gas, `o?l` had been the phrase "o l", `oil^2`
    /// "oil 2", `"a b"~3` an AND with the word 3, and `+title:oil` the phrase "title oil".
    func testOtherEnginesOperatorsAreRefusedNotDropped() throws {
        assertError("oil || gas", column: 5, contains: "write OR")
        assertError("oil && gas", column: 5, contains: "write AND")
        assertError("oil !gas", column: 5, contains: "NOT or -word")
        assertError("a o?l", column: 4, contains: "'?' is no wildcard")
        assertError("oil ||gas", column: 5, contains: "write OR")
        assertError("oil|| gas", column: 4, contains: "write OR")
        assertError("(oil gas)^2", column: 10, contains: "boost")
        assertError("oil^2", column: 4, contains: "boost")
        assertError("\"oil price\"^2", column: 12, contains: "boost")
        assertError("\"oil price\"~3", column: 12, contains: "NEAR/3")
        assertError("a title:oil~", column: 12, contains: "fuzzy")
        assertError("a NEAR/1000000000 b", column: 3, contains: "distance 1000000000 is too large")
        XCTAssertEqual(try parse("a NEAR/0000000005 b"), .near([w("a", 1), w("b", 19)], distance: 5, ordered: false))
        // Where they mean nothing to Lucene either, they stay as they were: punctuation.
        XCTAssertEqual(try parse("what? Yahoo! ~5"), .all([w("what?", 1), w("Yahoo!", 7), w("~5", 14)], excluded: []))
        // Nor where a person writes them as text (found by review).
        for text in ["example.com/page?id=3", "What?!", "www.cs.cmu.edu/~user", "AT&T", "~50", "C++"] {
            XCTAssertEqual(try parse("a \(text)"), .all([w("a", 1), w(text, 3)], excluded: []), text)
        }
        assertError("a ?oil", column: 3, contains: "'?' is no wildcard")
        assertError("oil~gas", column: 4, contains: "in quotes")
        assertError("oil^2.5", column: 4, contains: "boost")
        assertError("title:roam~0.8", column: 11, contains: "fuzzy")
        XCTAssertEqual(try parse("a \"10^6\""), .all([w("a", 1), .phrase(field: nil, text: "10^6", column: 3)], excluded: []))
        // Inside a word too: `oil||gas`, `oil&&gas` and `oil!gas` had been the phrase "oil gas"
        // (found by a documentation QA helper); a URL's query string keeps its marks.
        assertError("oil||gas", column: 4, contains: "write OR")
        assertError("a oil&&gas", column: 6, contains: "write AND")
        assertError("oil!gas", column: 4, contains: "NOT or -word")
        assertError("a b2!c", column: 5, contains: "NOT or -word")
        // A full stop makes no URL, and a run of marks is one (review).
        assertError("oil||gas.", column: 4, contains: "write OR")
        assertError("U.S.||EU", column: 5, contains: "write OR")
        assertError("oil!!gas", column: 4, contains: "NOT or -word")
        for text in ["x.com/?a=1&&b=2", "Yahoo!", "oil!", "Go!!"] {
            XCTAssertEqual(try parse("a \(text)"), .all([w("a", 1), w(text, 3)], excluded: []), text)
        }
    }

    /// A distance written apart from its operator (`NEAR /5`) had been NEAR/10 of the word "5".
    func testNearsDistanceGoesAgainstIt() throws {
        assertError("oil NEAR /5 gas", column: 10, contains: "without a space: NEAR/5")
        assertError("oil ADJ  /12 gas", column: 10, contains: "without a space: ADJ/12")
        assertError("oil NEAR /5. gas", column: 10, contains: "without a space: NEAR/5")
        XCTAssertEqual(try parse("oil NEAR /gas"), .near([w("oil", 1), w("/gas", 10)], distance: 10, ordered: false))
        XCTAssertEqual(try parse("oil NEAR /5th"), .near([w("oil", 1), w("/5th", 10)], distance: 10, ordered: false))
    }

    /// `+` requires what follows, as in Lucene and Xapian: in AND lists it changes nothing and
    /// is dropped; an item of an OR list (written or `--any`'s) becomes required, the list's
    /// other items only adding to the score.
    func testRequiredMarkRequiresItsOperand() throws {
        XCTAssertEqual(try parse("+title:oil +\"a b\" c"),
                       .all([w("oil", 2, field: "title"), .phrase(field: nil, text: "a b", column: 13), w("c", 19)], excluded: []))
        XCTAssertEqual(try parse("+(a b) NOT c"), .all([.all([w("a", 3), w("b", 5)], excluded: [])], excluded: [w("c", 12)]))
        XCTAssertEqual(try parse("+a b"), .all([w("a", 2), w("b", 4)], excluded: []))
        XCTAssertEqual(try parse("+a b -c", .any), .any([.required(w("a", 2)), w("b", 4)], excluded: [w("c", 6)]))
        XCTAssertEqual(try parse("a OR +b"), .any([w("a", 1), .required(w("b", 7))], excluded: []))
        XCTAssertEqual(try parse("+(a b) c", .any), .any([.required(.any([w("a", 3), w("b", 5)], excluded: [])), w("c", 8)], excluded: []))
        // In an AND list that no OR list holds, or within parentheses, it requires what is
        // required anyway; in a part of an OR list it would require its word there alone, where
        // Lucene requires it of every document: refused (review).
        XCTAssertEqual(try parse("+a +(b OR c)"), .all([w("a", 2), .any([w("b", 6), w("c", 11)], excluded: [])], excluded: []))
        XCTAssertEqual(try parse("a OR (+b c)"), .any([w("a", 1), .all([w("b", 8), w("c", 10)], excluded: [])], excluded: []))
        assertError("a OR +b c", column: 6, contains: "one part of an OR list")
        XCTAssertThrowsError(try parse("+a AND b c", .any))
        XCTAssertThrowsError(try parse("+a NEAR/5 b c", .any))
        XCTAssertEqual(try parse("+a", .any), w("a", 2), "a lone item is required anyway")
        assertError("a +-b", column: 3, contains: "either required ('+') or excluded ('-')")
        assertError("a -+b", column: 3, contains: "either required ('+') or excluded ('-')")
        assertError("a NOT +b", column: 7, contains: "either required")
        assertError("a +)", column: 3, contains: "'+' must come before")
    }

    func testWordsModeIgnoresSyntax() throws {
        let node = try QueryParser.parse("WHAT \"IS\" (A) NEAR/x b*", defaultOperator: .any, wordsOnly: true)
        guard case let .any(items, excluded) = node else { return XCTFail("\(node)") }
        XCTAssertEqual(items.count, 5)
        XCTAssertTrue(excluded.isEmpty)
    }
}
