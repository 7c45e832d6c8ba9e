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
    /// Nil when not given: `--batch` refuses a format other than its own, the default too.
    var format: HitFormat? = nil
    var since: String? = nil
    var until: String? = nil
    var sort = SortChoice.relevance
    var explain = false
    var dedup = false
    var copies = false
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

    var hitFormat: HitFormat { format ?? .text }

    func validate() throws {
        for (name, value) in [("--limit", limit), ("--offset", offset)] where value < 0 {
            throw ValidationError("\(name) \(value) must not be negative")
        }
        try Self.check("--context", context, 0...1000)
        if let since, PeriodParser.first(since) == nil { throw ValidationError("--since '\(since)' is not a date (yyyy, yyyy-mm or yyyy-mm-dd)") }
        if let until, PeriodParser.last(until) == nil { throw ValidationError("--until '\(until)' is not a date (yyyy, yyyy-mm or yyyy-mm-dd)") }
        // Infinite or huge weights overflowed every score to the same printed 0.
        for (name, weight) in [("--proximity", proximity), ("--bigram-weight", bigramWeight), ("--title-weight", titleWeight)] {
            try Self.check(name, weight, 0...Self.largestWeight)
        }
        try Self.check("--k1", k1, 0...Self.largestK1)
        try Self.check("--b", b, 0...1)
        try Self.check("--proximity-window", proximityWindow, 0...1000)
        try validateModes()
        if !batch && query.isEmpty { throw ValidationError("a QUERY is needed (or --batch)") }
    }

    /// One rule for output modes, as ripgrep refuses modes that conflict: --count, --analyze and
    /// --explain print in text, json and jsonl (no ids to list in tsv, paths or paths0); a count
    /// has no hits to explain; --analyze runs no search to count, explain or collapse; --batch
    /// writes JSON Lines alone (`--count --format paths0` had printed a count and a newline).
    private func validateModes() throws {
        let listsOnly: [HitFormat] = [.tsv, .paths, .paths0]
        for (name, given) in [("--count", count), ("--analyze", analyze), ("--explain", explain)]
        where given && listsOnly.contains(hitFormat) {
            throw ValidationError("\(name) prints in text, json and jsonl output, not --format \(hitFormat.rawValue)")
        }
        if count && explain { throw ValidationError("--count prints a number; --explain does not apply to it") }
        if copies && (count || batch || ![.paths, .paths0].contains(hitFormat)) {
            throw ValidationError("--copies lists ids: it goes with --format paths or paths0")
        }
        let searching = [("--count", count), ("--explain", explain), ("--dedup", dedup)].filter { $0.1 }.map { $0.0 }
        if analyze && !searching.isEmpty {
            throw ValidationError("--analyze prints the query without searching; \(Self.listed(searching)) not apply to it")
        }
        if batch && !query.isEmpty { throw ValidationError("--batch reads queries from stdin; give no QUERY") }
        let unbatched = [("--format \(format?.rawValue ?? "")", format != nil && format != .jsonl), ("--count", count),
                         ("--explain", explain), ("--dedup", dedup), ("--analyze", analyze)].filter { $0.1 }.map { $0.0 }
        if batch && !unbatched.isEmpty {
            throw ValidationError("--batch writes one JSON object per query (JSON Lines); \(Self.listed(unbatched)) not apply to it")
        }
    }

    private static func listed(_ names: [String]) -> String {
        names.joined(separator: " and ") + (names.count == 1 ? " does" : " do")
    }

    /// Names the option and the value refused.
    private static func check<T: Comparable>(_ name: String, _ value: T, _ range: ClosedRange<T>) throws {
        guard !range.contains(value) else { return }
        func shown(_ v: T) -> String {
            guard let d = v as? Double, d.isFinite, d == d.rounded(), abs(d) < 1e15 else { return "\(v)" }
            return "\(Int(d))"
        }
        throw ValidationError("\(name) \(shown(value)) must be between \(shown(range.lowerBound)) and \(shown(range.upperBound))")
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
