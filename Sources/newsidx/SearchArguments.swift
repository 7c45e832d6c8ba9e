// newsidx (CLI): the values of `newsidx search`'s options: their defaults, their checks and the
// query options they make. ArgumentParser (SearchCommand) and SearchArgumentReader both fill it.
import ArgumentParser
import Query

struct SearchArguments: Equatable {
    var index: String? = nil
    var limit = 10
    var offset = 0
    var any = false
    var words = false
    var format = HitFormat.text
    var since: String? = nil
    var until: String? = nil
    var sort = SortChoice.relevance
    var explain = false
    var dedup = false
    var count = false
    var batch = false
    var analyze = false
    var context = 12
    var snippets: Bool? = nil
    var color = ColorChoice.auto
    var k1 = 1.2
    var b = 0.75
    var stopwords = "auto"
    var proximity = SearchOptions().proximityWeight
    var proximityWindow = SearchOptions().proximityWindow
    var proximityAllPairs = false
    var bigramWeight = SearchOptions().bigramWeight
    var titleWeight = SearchOptions().titleWeight
    var query: [String] = []

    static let defaults = SearchArguments()
    /// Far above any k1 in use (Lucene's 1.2, 0.9 to 2 in the literature): past about 1e300 the
    /// formula overflows, and every score is 0.
    static let largestK1 = 1000.0
    /// The largest ranked-OR weight (proximity, bigram, title).
    static let largestWeight = 1000.0

    func validate() throws {
        guard limit >= 0, offset >= 0 else { throw ValidationError("--limit and --offset must not be negative") }
        guard context >= 0 && context <= 1000 else { throw ValidationError("--context must be between 0 and 1000") }
        if let since, PeriodParser.first(since) == nil { throw ValidationError("--since '\(since)' is not a date (yyyy, yyyy-mm or yyyy-mm-dd)") }
        if let until, PeriodParser.last(until) == nil { throw ValidationError("--until '\(until)' is not a date (yyyy, yyyy-mm or yyyy-mm-dd)") }
        // Infinite or huge weights overflowed every score to the same printed 0.
        guard [proximity, bigramWeight, titleWeight].allSatisfy({ $0 >= 0 && $0 <= Self.largestWeight }),
              proximityWindow >= 0, proximityWindow <= 1000 else {
            throw ValidationError("--proximity, --bigram-weight and --title-weight must be between 0 and 1000; --proximity-window 0 to 1000")
        }
        guard k1 >= 0, k1 <= Self.largestK1, b >= 0, b <= 1 else {
            throw ValidationError("--k1 must be between 0 and 1000 and --b between 0 and 1")
        }
        if explain && (count || [.tsv, .paths, .paths0].contains(format)) {
            throw ValidationError("--explain shows in text, jsonl and json output, not with \(count ? "--count" : "--format \(format.rawValue)")")
        }
        if analyze && [.tsv, .paths, .paths0].contains(format) {
            throw ValidationError("--analyze prints the query in text, json or jsonl, not --format \(format.rawValue)")
        }
        if batch && !query.isEmpty { throw ValidationError("--batch reads queries from stdin; give no QUERY") }
        let unbatched = [("--format", format != .text), ("--count", count), ("--explain", explain), ("--dedup", dedup),
                         ("--analyze", analyze)].filter { $0.1 }.map { $0.0 }
        if batch && !unbatched.isEmpty {
            throw ValidationError("--batch writes one JSON object per query; \(unbatched.joined(separator: " and ")) \(unbatched.count == 1 ? "does" : "do") not apply to it")
        }
        if !batch && query.isEmpty { throw ValidationError("a QUERY is needed (or --batch)") }
    }

    var options: SearchOptions {
        var o = SearchOptions()
        o.limit = limit
        o.offset = offset
        o.bm25 = BM25Parameters(k1: k1, b: b)
        o.defaultOperator = any ? .any : .all
        o.wordsOnly = words
        o.stopWords = stopwords
        o.proximityWeight = proximity
        o.proximityWindow = proximityWindow
        o.proximityAllPairs = proximityAllPairs || o.proximityAllPairs
        o.bigramWeight = bigramWeight
        o.titleWeight = titleWeight
        o.since = since.flatMap(PeriodParser.first)
        o.until = until.flatMap(PeriodParser.last)
        o.order = sort.order
        return o
    }
}
