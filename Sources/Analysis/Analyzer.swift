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
    /// Bumped whenever `terms` is emptied, so holders of old ids know to forget them.
    public private(set) var generation = 0

    /// `language` is a Snowball language name, or "none". `expectedTerms` sizes the tables
    /// up front (they grow past it): an indexer wants tens of thousands, a query a handful,
    /// and zeroing a megabyte of table was a tenth of a one-query process.
    public init(language: String, expectedTerms: Int = 1 << 16) throws {
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
    }

    /// Appends the term id of every token of `text` to `out`, one per position.
    public func analyze(_ text: String, into out: inout [Int32]) {
        Tokenizer.tokenize(text) { token in out.append(termID(ofToken: token)) }
    }

    /// The analyzed terms of `text`, as strings (query side).
    public func analyzedTerms(_ text: String) -> [String] {
        var ids: [Int32] = []
        analyze(text, into: &ids)
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

    /// The term id of one token as the tokenizer gives it (stemming each distinct token once).
    public func termID(ofToken token: UnsafeBufferPointer<UInt8>) -> Int32 {
        // Without a stemmer the surface is the term: a second table would only mirror the first.
        guard let stemmer else { return terms.intern(token) }
        let surface = surfaces.intern(token)
        if Int(surface) < surfaceToTerm.count { return surfaceToTerm[Int(surface)] }
        var id: Int32 = 0
        stemmer.stem(token) { id = terms.intern($0) }
        surfaceToTerm.append(id)
        return id
    }
}
