// IndexQueryTests: the proximity definitions on hand-made positions, edge cases included.
import Query
import XCTest

final class WindowTests: XCTestCase {
    func spans(_ positions: [UInt32], length: UInt32 = 1) -> [Span] { positions.map { Span(start: $0, end: $0 + length - 1) } }

    func testPhraseStarts() {
        XCTAssertEqual(Windows.phraseStarts([[1, 5, 9], [2, 7, 10], [3, 11]]), [1, 9])
        XCTAssertEqual(Windows.phraseStarts([[4, 5], [5, 6]]), [4, 5])
    }

    /// The matcher's rarest-word-first phrase check (shift one word's positions to starts,
    /// then keep the starts each other word confirms) finds what phraseStarts finds.
    func testShiftAndKeepFindThePhraseStarts() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let words = Int.random(in: 2...4, using: &rng)
            let lists = (0..<words).map { _ in
                Array(Set((0..<Int.random(in: 0...12, using: &rng)).map { _ in UInt32.random(in: 0..<30, using: &rng) })).sorted()
            }
            let expected = Windows.phraseStarts(lists)
            for first in 0..<words {
                var starts = [UInt32](repeating: 0, count: lists[first].count + 1)
                let n = starts.withUnsafeMutableBufferPointer { s in
                    var n = lists[first].withUnsafeBufferPointer { Windows.shiftStarts($0, by: UInt32(first), into: s.baseAddress!) }
                    for k in 0..<words where k != first {
                        n = lists[k].withUnsafeBufferPointer {
                            Windows.keepStarts(s.baseAddress!, count: n, confirmedBy: $0, offset: UInt32(k))
                        }
                    }
                    return n
                }
                XCTAssertEqual(Array(starts.prefix(n)), expected, "lists \(lists), starting from word \(first)")
            }
        }
    }

    /// The two-word merges count what the general span definitions count, ties and repeated
    /// words included.
    func testWordPairMergesCountWhatTheDefinitionsCount() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let a = Array(Set((0..<Int.random(in: 0...10, using: &rng)).map { _ in UInt32.random(in: 0..<25, using: &rng) })).sorted()
            let b = Bool.random(using: &rng) ? a
                : Array(Set((0..<Int.random(in: 0...10, using: &rng)).map { _ in UInt32.random(in: 0..<25, using: &rng) })).sorted()
            let distance = Int.random(in: 0...6, using: &rng)
            let (unordered, ordered) = a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    (Windows.unorderedPairMatches(pa, pb, distance: distance), Windows.orderedPairMatches(pa, pb, distance: distance))
                }
            }
            let sets = [spans(a), spans(b)]
            let bothPresent = !a.isEmpty && !b.isEmpty
            XCTAssertEqual(unordered, bothPresent ? Windows.unorderedMatches(sets, distance: distance) : 0, "\(a) NEAR/\(distance) \(b)")
            XCTAssertEqual(ordered, bothPresent ? Windows.orderedMatches(sets, distance: distance) : 0, "\(a) ADJ/\(distance) \(b)")
        }
    }

    /// Ordered chains of three or four operands (phrases of one to three words each, so spans of
    /// one length per operand) count what the definition counts: each first occurrence with the
    /// first occurrence of each next operand after the one before, searched from the list's start.
    func testOrderedChainsCountWhatTheDefinitionCounts() {
        var rng = SystemRandomNumberGenerator()
        func definition(_ lists: [[Span]], distance: Int) -> Int {
            lists[0].filter { first in
                var previousEnd = first.end, gaps = 0
                for list in lists.dropFirst() {
                    guard let next = list.first(where: { $0.start > previousEnd }) else { return false }
                    gaps += Int(next.start) - Int(previousEnd) - 1
                    previousEnd = next.end
                }
                return gaps <= distance
            }.count
        }
        for _ in 0..<2_000 {
            let lists = (0..<Int.random(in: 3...4, using: &rng)).map { _ in
                let positions = Set((0..<Int.random(in: 1...15, using: &rng)).map { _ in UInt32.random(in: 0..<40, using: &rng) })
                return spans(positions.sorted(), length: UInt32.random(in: 1...3, using: &rng))
            }
            let distance = Int.random(in: 0...8, using: &rng)
            XCTAssertEqual(Windows.orderedMatches(lists, distance: distance), definition(lists, distance: distance),
                           "\(lists.map { $0.map { "\($0.start)-\($0.end)" } }) ADJ/\(distance)")
        }
    }

    /// Unordered chains of three or four operands: a match exactly when some choice of one
    /// occurrence per operand leaves at most `distance` of the window's words to none of them
    /// (every combination tried), and whatever the ordered chain matches, the unordered one
    /// matches too (`ADJ` is `NEAR` with the operands in order).
    func testUnorderedChainsMatchWhatTheDefinitionMatches() {
        var rng = SystemRandomNumberGenerator()
        func otherWords(_ chosen: [Span]) -> Int {
            let width = Int(chosen.map(\.end).max()!) - Int(chosen.map(\.start).min()!) + 1
            return width - chosen.reduce(0) { $0 + Int($1.end) - Int($1.start) + 1 }
        }
        func fewestOtherWords(_ lists: [[Span]], _ chosen: [Span] = []) -> Int {
            guard chosen.count < lists.count else { return otherWords(chosen) }
            return lists[chosen.count].map { fewestOtherWords(lists, chosen + [$0]) }.min()!
        }
        for _ in 0..<2_000 {
            let lists = (0..<Int.random(in: 3...4, using: &rng)).map { _ in
                let positions = Set((0..<Int.random(in: 1...6, using: &rng)).map { _ in UInt32.random(in: 0..<30, using: &rng) })
                return spans(positions.sorted(), length: UInt32.random(in: 1...4, using: &rng))
            }
            let distance = Int.random(in: 0...6, using: &rng)
            let described = "\(lists.map { $0.map { "\($0.start)-\($0.end)" } }) NEAR/\(distance)"
            let unordered = Windows.unorderedMatches(lists, distance: distance)
            XCTAssertEqual(unordered > 0, fewestOtherWords(lists) <= distance, described)
            if Windows.orderedMatches(lists, distance: distance) > 0 { XCTAssertGreaterThan(unordered, 0, described) }
        }
    }

    /// Operands that may cover the same words (one list given twice, lists of mixed lengths
    /// drawn from few positions): a match exactly when some choice of pairwise disjoint
    /// occurrences, one per operand, leaves at most `distance` other words in the window; the
    /// ordered chain's matches are among them, and one word twice counts as `repeatedWordMatches`.
    func testOperandsCoveringTheSameWordsMatchWhatTheDefinitionMatches() {
        var rng = SystemRandomNumberGenerator()
        func disjoint(_ chosen: [Span]) -> Bool {
            chosen.indices.allSatisfy { i in chosen[..<i].allSatisfy { $0.end < chosen[i].start || chosen[i].end < $0.start } }
        }
        func qualifies(_ lists: [[Span]], _ distance: Int, _ chosen: [Span] = []) -> Bool {
            guard chosen.count < lists.count else {
                let width = Int(chosen.map(\.end).max()!) - Int(chosen.map(\.start).min()!) + 1
                return disjoint(chosen) && width - chosen.reduce(0) { $0 + Int($1.end) - Int($1.start) + 1 } <= distance
            }
            return lists[chosen.count].contains { qualifies(lists, distance, chosen + [$0]) }
        }
        // The starts that open a qualifying window: one occurrence starts there, none earlier.
        func opening(_ lists: [[Span]], _ distance: Int) -> Int {
            let widest = distance + lists.reduce(0) { $0 + Int($1[0].end) - Int($1[0].start) + 1 }
            func fits(_ s: UInt32, _ chosen: [Span]) -> Bool {
                guard chosen.count < lists.count else {
                    return disjoint(chosen) && chosen.contains { $0.start == s } && Int(chosen.map(\.end).max()!) - Int(s) + 1 <= widest
                }
                return lists[chosen.count].contains { $0.start >= s && fits(s, chosen + [$0]) }
            }
            return Set(lists.joined().map(\.start)).filter { fits($0, []) }.count
        }
        for _ in 0..<2_000 {
            var lists: [[Span]] = []
            for _ in 0..<Int.random(in: 2...4, using: &rng) {
                if let earlier = lists.randomElement(using: &rng), Bool.random(using: &rng) { lists.append(earlier); continue }
                let positions = Set((0..<Int.random(in: 1...6, using: &rng)).map { _ in UInt32.random(in: 0..<14, using: &rng) })
                lists.append(spans(positions.sorted(), length: UInt32.random(in: 1...3, using: &rng)))
            }
            let distance = Int.random(in: 0...4, using: &rng)
            let described = "\(lists.map { $0.map { "\($0.start)-\($0.end)" } }) NEAR/\(distance)"
            let matches = Windows.disjointUnorderedMatches(lists, distance: distance)
            XCTAssertEqual(matches > 0, qualifies(lists, distance), described)
            XCTAssertEqual(matches, opening(lists, distance), "windows counted, \(described)")
            if Windows.orderedMatches(lists, distance: distance) > 0 { XCTAssertGreaterThan(matches, 0, described) }
        }
        for _ in 0..<500 {
            let word = Array(Set((0..<Int.random(in: 1...10, using: &rng)).map { _ in UInt32.random(in: 0..<25, using: &rng) })).sorted()
            let distance = Int.random(in: 0...4, using: &rng)
            XCTAssertEqual(word.withUnsafeBufferPointer { Windows.repeatedWordMatches($0, distance: distance) },
                           Windows.disjointUnorderedMatches([spans(word), spans(word)], distance: distance), "\(word) twice, \(distance)")
        }
        // Eight "the" and eight "said" in a window that holds only seven "said": each word's
        // operands are searched apart from the other's, so the 40 "the" are not tried in every
        // combination for each start (that had taken minutes; so had eight words beside a
        // shared pair, `"new york" NEAR a NEAR ... NEAR york`).
        let the = spans((0..<40).map { UInt32($0 * 2) }), said = spans((0..<7).map { UInt32($0 * 2 + 1) })
        XCTAssertEqual(Windows.disjointUnorderedMatches(Array(repeating: the, count: 8) + Array(repeating: said, count: 8), distance: 200), 0)
        let words = (0..<9).map { w in spans((0..<20).map { UInt32($0 * 10 + w + 2) }) }
        XCTAssertEqual(Windows.disjointUnorderedMatches([spans([0], length: 2)] + words + [spans([1])], distance: 1_000), 0)
        XCTAssertEqual(Windows.disjointUnorderedMatches([spans([0], length: 2)] + words + [spans([1, 300])], distance: 1_000), 1)
        // "the united states said" fifteen times, and four operands each of "the united states",
        // "united states", "the united" and "united": each needs a "united" of its own, one short
        // (a search over occurrences had tried every combination: 20 s for this one document).
        func repeated(_ times: Int) -> [[Span]] {
            let kinds: [(offset: UInt32, length: UInt32)] = [(0, 3), (1, 2), (0, 2), (1, 1)]
            return kinds.flatMap { kind in
                Array(repeating: spans((0..<times).map { UInt32($0 * 4) + kind.offset }, length: kind.length), count: 4)
            }
        }
        XCTAssertEqual(Windows.disjointUnorderedMatches(repeated(15), distance: 100), 0)
        XCTAssertEqual(Windows.disjointUnorderedMatches(repeated(16), distance: 100), 2, "from the first \"the\" and the first \"united\"")
        // One occurrence never fills two operands: "alpha beta" NEAR/0 beta in "alpha beta".
        XCTAssertEqual(Windows.disjointUnorderedMatches([spans([0], length: 2), spans([1])], distance: 0), 0)
        XCTAssertEqual(Windows.disjointUnorderedMatches([spans([0], length: 2), spans([1, 2])], distance: 0), 1)
    }

    func testNearChainCountsOnlyOtherWords() {
        // x y z: no other word in the window, as `x ADJ/0 y ADJ/0 z` finds.
        XCTAssertEqual(Windows.unorderedMatches([spans([0]), spans([1]), spans([2])], distance: 0), 1)
        XCTAssertEqual(Windows.unorderedMatches([spans([2]), spans([0]), spans([1])], distance: 0), 1)
        // a q b q c: two other words.
        XCTAssertEqual(Windows.unorderedMatches([spans([0]), spans([2]), spans([4])], distance: 2), 1)
        XCTAssertEqual(Windows.unorderedMatches([spans([0]), spans([2]), spans([4])], distance: 1), 0)
        // A four-word phrase whose later occurrence would stretch the window past the word at 4.
        XCTAssertEqual(Windows.unorderedMatches([spans([0, 3], length: 4), spans([0]), spans([4])], distance: 0), 1)
    }

    /// Lists of very different lengths take `lopsidedPairMatches`; it counts what the
    /// definitions count whichever word is the long one, ties included.
    func testLopsidedPairsCountWhatTheDefinitionsCount() {
        var rng = SystemRandomNumberGenerator()
        func list(_ n: ClosedRange<Int>) -> [UInt32] {
            Array(Set((0..<Int.random(in: n, using: &rng)).map { _ in UInt32.random(in: 0..<80, using: &rng) })).sorted()
        }
        for _ in 0..<1_000 {
            var long = list(20...60), short = list(1...4)
            if Bool.random(using: &rng), let shared = long.randomElement(using: &rng) {
                short = Array(Set(short + [shared])).sorted()  // a position both words hold
            }
            let (a, b) = Bool.random(using: &rng) ? (long, short) : (short, long)
            guard a.count >= Windows.skew * b.count || b.count >= Windows.skew * a.count else { continue }
            let distance = Int.random(in: 0...6, using: &rng)
            let counted = a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { Windows.unorderedPairMatches(pa, $0, distance: distance) }
            }
            XCTAssertEqual(counted, Windows.unorderedMatches([spans(a), spans(b)], distance: distance), "\(a) NEAR/\(distance) \(b)")
        }
    }

    /// The matcher reads a document's title length only when the whole field has a window:
    /// that is sound because splitting the lists at any boundary never adds windows.
    func testSplittingAtTheTitleNeverAddsWindows() {
        var rng = SystemRandomNumberGenerator()
        func list() -> [UInt32] {
            Array(Set((0..<Int.random(in: 0...8, using: &rng)).map { _ in UInt32.random(in: 0..<20, using: &rng) })).sorted()
        }
        for _ in 0..<500 {
            let a = list(), b = list()
            let distance = Int.random(in: 0...5, using: &rng), boundary = UInt32.random(in: 0...20, using: &rng)
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    let (titleA, bodyA) = Windows.split(pa, at: boundary), (titleB, bodyB) = Windows.split(pb, at: boundary)
                    XCTAssertEqual(titleA.count + bodyA.count, a.count)
                    XCTAssertTrue(titleA.allSatisfy { $0 < boundary } && bodyA.allSatisfy { $0 >= boundary })
                    for count in [Windows.unorderedPairMatches, Windows.orderedPairMatches] {
                        let split = count(titleA, titleB, distance) + count(bodyA, bodyB, distance)
                        XCTAssertLessThanOrEqual(split, count(pa, pb, distance), "\(a) \(b) split at \(boundary)")
                    }
                }
            }
        }
    }

    func testUnorderedNearCountsWordsBetween() {
        // a at 0, b at 3: two words between.
        XCTAssertEqual(Windows.unorderedMatches([spans([0]), spans([3])], distance: 2), 1)
        XCTAssertEqual(Windows.unorderedMatches([spans([0]), spans([3])], distance: 1), 0)
        XCTAssertEqual(Windows.unorderedMatches([spans([3]), spans([0])], distance: 2), 1)
        // Overlapping occurrences (the same position) qualify at any distance.
        XCTAssertEqual(Windows.unorderedMatches([spans([4]), spans([4])], distance: 0), 1)
        // A two-word phrase at 0-1 and a word at 4: two words between (2, 3).
        XCTAssertEqual(Windows.unorderedMatches([spans([0], length: 2), spans([4])], distance: 2), 1)
        XCTAssertEqual(Windows.unorderedMatches([spans([0], length: 2), spans([4])], distance: 1), 0)
    }

    func testOrderedAdjacency() {
        XCTAssertEqual(Windows.orderedMatches([spans([0]), spans([3])], distance: 2), 1)
        XCTAssertEqual(Windows.orderedMatches([spans([3]), spans([0])], distance: 10), 0)
        XCTAssertEqual(Windows.orderedMatches([spans([0]), spans([0])], distance: 10), 0)
        // Chains add the gaps: 0 -> 2 -> 5 has 1 + 2 = 3 words between.
        XCTAssertEqual(Windows.orderedMatches([spans([0]), spans([2]), spans([5])], distance: 3), 1)
        XCTAssertEqual(Windows.orderedMatches([spans([0]), spans([2]), spans([5])], distance: 2), 0)
    }
}
