// Analysis: the analyzer chain (tokenize, fold, stem) as the index and the query parser both use it.
// Owns the stem cache that makes stemming a once-per-distinct-word cost.

/// Analyzes text into terms. One per thread: it holds a stemmer and its caches.
public final class Analyzer {
    /// The Snowball language, or nil for no stemming.
    public let language: String?
    private let stemmer: Stemmer?
    /// Stemmed terms; the ids `analyze` produces index this table.
    public private(set) var terms: TermTable
    private var surfaces: TermTable
    private var surfaceToTerm: [Int32] = []
    /// Whether words keep their accents until stemmed. Snowball's stemmers for languages
    /// written with accents read them ("première" and "premier" meet only as written); the
    /// English ones work on a to z, where stripping first
    /// lets "résumés" meet "resumes". The stem then loses its accents, so "Café" still finds
    /// "cafe".
    public let keepsDiacritics: Bool
    private var strippedStem: [UInt8] = []
    /// Bumped whenever `terms` is emptied, so holders of old ids know to forget them.
    public private(set) var generation = 0

    /// `language` is a Snowball language name, or "none". `expectedTerms` sizes the tables
    /// up front (they grow past it): an indexer wants tens of thousands, a query a handful,
    /// and zeroing a megabyte of table was a tenth of a one-query process.
    /// How Chinese and Japanese are cut: as the index says, for an index made before pairs.
    public let eastAsian: EastAsianTerms

    public init(language: String, eastAsian: EastAsianTerms = .pairs, expectedTerms: Int = 1 << 16) throws {
        self.eastAsian = eastAsian
        terms = TermTable(capacity: expectedTerms)
        surfaces = TermTable(capacity: expectedTerms)
        if language == "none" {
            self.language = nil
            stemmer = nil
        } else {
            let s = try Stemmer(language: language)
            self.language = language
            stemmer = s
        }
        keepsDiacritics = stemmer != nil && !Self.stemsUnaccented(language)
        turkic = language == "turkish"
    }

    /// Turkish casing and suffixes for the Turkish stemmer (see `Tokenizer`): capitals had
    /// lowercased to other words ("ÇOCUKLARI" stemmed apart from "çocukları"), and a name with
    /// its suffix ("Türkiye'nin") apart from the name.
    public let turkic: Bool

    /// Appends the term id of every token of `text` to `out`, one per position, and the pairs
    /// of Chinese and Japanese characters to `pairs`, each with the position in `out` it is
    /// stacked on (`EastAsianTerms.pairs`).
    ///
    /// The tokens are gathered first and looked up after, each lookup prefetching the table
    /// slot of the token `lookAhead` places on, so that the cache misses of several lookups
    /// overlap instead of following one another.
    public func analyze(_ text: String, into out: inout [Int32], pairs: inout [StackedTerm]) {
        var copy = text
        copy.withUTF8 { analyze($0, into: &out, pairs: &pairs) }
    }

    private func analyze(_ text: UnsafeBufferPointer<UInt8>, into out: inout [Int32], pairs: inout [StackedTerm]) {
        // Locals, not the properties themselves: a class's array property is reached through
        // the class on every token (and checked for overlapping access in debug builds).
        var tokens: [PendingToken] = [], rewritten: [UInt8] = []
        swap(&tokens, &pendingTokens)  // unshared, so emptying keeps the buffers
        swap(&rewritten, &rewrittenBytes)
        tokens.removeAll(keepingCapacity: true)
        rewritten.removeAll(keepingCapacity: true)
        let textStart = Int(bitPattern: text.baseAddress), textEnd = textStart + text.count
        Tokenizer.tokenizeStacking(text, keepingDiacritics: keepsDiacritics, turkic: turkic, eastAsian: eastAsian) { token, _, stacked in
            let key = TermTable.key(token)
            let address = Int(bitPattern: token.baseAddress)
            if address >= textStart && address + token.count <= textEnd {
                tokens.append(PendingToken(start: address - textStart, count: token.count, key: key, stacked: stacked))
            } else {  // lowercased, joined or paired: only the tokenizer's scratch holds it
                tokens.append(PendingToken(start: ~rewritten.count, count: token.count, key: key, stacked: stacked))
                rewritten.append(contentsOf: token)
            }
        }
        let n = tokens.count
        out.reserveCapacity(out.count + n)
        tokens.withUnsafeBufferPointer { tokens in
            rewritten.withUnsafeBufferPointer { rewritten in
                for i in 0..<n {
                    if i + Self.lookAhead < n { prefetch(tokens[i + Self.lookAhead].key) }
                    let t = tokens[i]
                    let bytes = t.start >= 0 ? text.baseAddress! + t.start : rewritten.baseAddress! + ~t.start
                    let id = termID(ofToken: UnsafeBufferPointer(start: bytes, count: t.count), key: t.key)
                    if t.stacked {
                        pairs.append(StackedTerm(position: UInt32(out.count - 1), term: id))
                    } else {
                        out.append(id)
                    }
                }
            }
        }
        pendingTokens = tokens
        rewrittenBytes = rewritten
    }

    /// A token's bytes: at `start` in the text, or at `~start` in the rewritten tokens' bytes.
    private struct PendingToken {
        let start: Int
        let count: Int
        let key: TermTable.LookupKey
        let stacked: Bool
    }

    /// Snowball languages whose stemmers see only a to z. Not a `Set` (see `StopWordList`).
    static func stemsUnaccented(_ language: String) -> Bool { language == "english" || language == "porter" }

    /// Tokenizes as `analyze` does, stacked pairs included (for snippets, which need each
    /// token's offsets).
    public func tokenizeStacking(_ text: UnsafeBufferPointer<UInt8>, _ emit: Tokenizer.TokenSink) {
        Tokenizer.tokenizeStacking(text, keepingDiacritics: keepsDiacritics, turkic: turkic, eastAsian: eastAsian, emit)
    }

    /// Scratch for `analyze`, kept between calls.
    private var pendingTokens: [PendingToken] = []
    private var rewrittenBytes: [UInt8] = []
    private static let lookAhead = 16

    /// Prefetches the slot of the table a token is first looked up in.
    @inline(__always)
    private func prefetch(_ key: TermTable.LookupKey) {
        if stemmer == nil { terms.prefetch(key) } else { surfaces.prefetch(key) }
    }

    /// The folded, unstemmed tokens of `text` by this analyzer's rules (a query's prefixes and
    /// stop words): Turkish ones too, or "Türkiye'n*" had been two words where "Türkiye'nin" is one.
    public func tokens(_ text: String) -> [String] { Tokenizer.tokens(text, turkic: turkic, eastAsian: eastAsian) }

    /// The analyzed terms of `text`, as strings (query side).
    public func analyzedTerms(_ text: String) -> [String] {
        var ids: [Int32] = []
        var copy = text
        copy.withUTF8 { buf in
            Tokenizer.tokenize(buf, keepingDiacritics: keepsDiacritics, turkic: turkic, eastAsian: eastAsian) {
                ids.append(termID(ofToken: $0))
            }
        }
        return ids.map { terms.string($0) }
    }

    /// The id tokens analyzed to `term` (an already analyzed term, as a query plan holds) get.
    public func termID(ofTerm term: String) -> Int32 {
        var copy = term
        return copy.withUTF8 { terms.intern($0) }
    }

    /// Drops the caches when they hold more than `bytes`, bumping `generation`.
    public func trimCaches(above bytes: Int) {
        guard terms.footprint + surfaces.footprint > bytes else { return }
        terms = TermTable(capacity: 1 << 16)
        surfaces = TermTable(capacity: 1 << 16)
        surfaceToTerm.removeAll(keepingCapacity: true)
        generation += 1
    }

    /// How many distinct words the analyzer has stemmed since its caches were last dropped.
    public var stemmedWordCount: Int { stemmer == nil ? 0 : surfaces.count }

    /// Calls `body` with each word stemmed from the `first`th on whose stem differs from it (as
    /// a query's prefix reads it, without accents), and that stem. A prefix search on a stemmed
    /// index needs them: a word's stem is often no prefix of what starts the word
    /// ("international" stems to "intern", which `interna*` does not begin).
    public func stemmedWords(from first: Int, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        guard stemmer != nil else { return }
        var unaccented: [UInt8] = []
        for surface in first..<surfaces.count {
            surfaces.withBytes(Int32(surface)) { word in
                terms.withBytes(surfaceToTerm[surface]) { stem in
                    guard keepsDiacritics, word.contains(where: { $0 >= 0x80 }) else {
                        if !word.elementsEqual(stem) { body(word, stem) }
                        return
                    }
                    Folding.strippingDiacritics(word, into: &unaccented)
                    unaccented.withUnsafeBufferPointer { if !$0.elementsEqual(stem) { body($0, stem) } }
                }
            }
        }
    }

    /// The term id of one token as the tokenizer gives it (stemming each distinct token once).
    public func termID(ofToken token: UnsafeBufferPointer<UInt8>) -> Int32 {
        termID(ofToken: token, key: TermTable.key(token))
    }

    @inline(__always)
    private func termID(ofToken token: UnsafeBufferPointer<UInt8>, key: TermTable.LookupKey) -> Int32 {
        // Without a stemmer the surface is the term: a second table would only mirror the first.
        guard let stemmer else { return terms.intern(token, key: key) }
        let surface = surfaces.intern(token, key: key)
        if Int(surface) < surfaceToTerm.count { return surfaceToTerm[Int(surface)] }
        var id: Int32 = 0
        stemmer.stem(token) { stem in
            guard keepsDiacritics, stem.contains(where: { $0 >= 0x80 }) else { id = terms.intern(stem); return }
            Folding.strippingDiacritics(stem, into: &strippedStem)
            id = strippedStem.withUnsafeBufferPointer { terms.intern($0) }
        }
        surfaceToTerm.append(id)
        return id
    }
}

/// A term sharing a position with the term at `position` (an index into the analyzed terms):
/// a pair of Chinese or Japanese characters on the position of its first character.
public struct StackedTerm: Equatable, Sendable {
    public var position: UInt32
    public var term: Int32
    public init(position: UInt32, term: Int32) {
        self.position = position
        self.term = term
    }
}
