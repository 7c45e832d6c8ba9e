// newsidx (CLI): `newsidx search`: one query from the arguments, or many with --batch.
// Owns query options, timing for --batch, and the exit code that says whether anything matched.
import ArgumentParser
import InvertedIndex
import Query
import Ingest

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index; print ranked hits.",
        discussion: """
        Bare words must all match (AND); --any ranks documents matching any of them.

        Query language:
          "exact phrase"        words in this order, next to each other
                                (typographic quotes too: “exact phrase”)
          a NEAR/5 b            at most 5 words between a and b, either order
                                (NEAR alone: 10; at most 100000; no word counts
                                for two operands: bank NEAR/5 bank needs two)
          a ADJ/5 b             the same, b after a; chains: a NEAR/3 b NEAR/3 c
                                (at most 3 other words in the window holding
                                all; the smallest distance of a chain applies;
                                at most 16 operands)
          a AND b, a OR b       boolean operators (upper case; lower case are words)
          a NOT b, -b, -"p q"   exclusion (a query starting with - goes after --)
          --any +a b c          a required, b and c ranking what it finds
                                (as in Lucene; also a OR +b)
          ( ... )               grouping
          title:word            titles only (also title:"a b")
          econom*               prefix ('*' only at a word's end)
          (a query holds at most 1,024 words and 64 KiB)

        Exit status: 0 when something matched, 1 when nothing did, 2 on error.

        Examples:
          newsidx search 'syria rebels'
          newsidx search '"free syrian army" -isis' --limit 5
          newsidx search --any --format jsonl 'oil price opec'
          newsidx search --count 'title:election'
          printf 'oil\\ngold\\n' | newsidx search --batch
        """
    )

    @OptionGroup var location: IndexLocation

    @Option(help: "Hits to print.")
    var limit: Int = SearchArguments.defaults.limit

    @Option(help: "Hits to skip first (for paging).")
    var offset: Int = SearchArguments.defaults.offset

    @Flag(help: "Rank documents matching any word (ranked OR) instead of requiring all.")
    var any = false

    @Flag(help: "Treat every token of the query as a plain word: no operators, quotes, fields or prefixes.")
    var words = false

    @Option(help: "Output format: text, jsonl, json, tsv, paths or paths0 (NUL-separated ids, for xargs -0). (default: text)")
    var format: HitFormat?

    @Option(help: ArgumentHelp("Only documents dated on or after DATE (yyyy, yyyy-mm or yyyy-mm-dd).", valueName: "DATE"))
    var since: String?

    @Option(help: ArgumentHelp("Only documents dated on or before DATE (yyyy, yyyy-mm or yyyy-mm-dd).", valueName: "DATE"))
    var until: String?

    @Option(parsing: .unconditional, help: "Order: relevance, date (newest first) or -date (oldest first); undated documents last.")
    var sort: SortChoice = SearchArguments.defaults.sort

    @Flag(help: "Show how each hit's score was computed, term by term.")
    var explain = false

    @Flag(help: "Collapse near-duplicate hits (syndicated copies) to the best of each group, with a count.")
    var dedup = false

    @Flag(help: "With --format paths or paths0: list after each hit's id the ids of its identical copies (files holding the same text, stored once), for xargs delete or rm.")
    var copies = false

    @Flag(help: "Print only the number of matching documents.")
    var count = false

    @Flag(help: """
        Read queries from stdin, one per line; write one JSON object per query. A line may be a \
        JSON request instead: {"q": "oil", "limit": 5, "offset", "any", "words", "since", "until", \
        "sort", "k1", "b"}, each overriding the command line's option.
        """)
    var batch = false

    @Flag(help: "Print the parsed and analyzed query instead of running it (with --format json or jsonl, an object: query, analyzed).")
    var analyze = false

    @Option(help: "Words of context either side of a match in snippets (0 to 1000).")
    var context: Int = SearchArguments.defaults.context

    @Flag(inversion: .prefixedNo, help: "Snippets in text and jsonl output (with --batch, off unless asked).")
    var snippets: Bool?

    @Option(help: "Colour matches: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorChoice = SearchArguments.defaults.color

    @Option(help: "BM25 k1 (term frequency saturation), 0 to 1000.")
    var k1: Double = SearchArguments.defaults.k1

    @Option(help: "BM25 b (length normalization, 0 to 1).")
    var b: Double = SearchArguments.defaults.b

    @Option(help: ArgumentHelp("Stop words dropped from ranked OR (--any) queries: a language, none, or auto (the index's stemming language; none for a language without a list, english for an unstemmed or porter index). Without --any, a written OR keeps them.", valueName: "LANG"))
    var stopwords: String = SearchArguments.defaults.stopwords

    @Option(help: "Ranked OR: weight of query word pairs found near each other (0 to 1000; 0 turns it off).")
    var proximity: Double = SearchArguments.defaults.proximity

    @Option(help: "Ranked OR: words apart that still count as near, for --proximity.")
    var proximityWindow: Int = SearchArguments.defaults.proximityWindow

    @Flag(help: "Ranked OR: pair every query word with every other for --proximity, not only with the next.")
    var proximityAllPairs = false

    @Option(help: "Ranked OR: weight of consecutive query words found as an exact two-word phrase (0 to 1000; 0 turns it off).")
    var bigramWeight: Double = SearchArguments.defaults.bigramWeight

    @Option(help: "Ranked OR: extra weight of query words found in the title (0 to 1000; 0 turns it off).")
    var titleWeight: Double = SearchArguments.defaults.titleWeight

    @Argument(help: "The query (omit with --batch).")
    var query: [String] = []

    /// The parsed values, as `SearchArgumentReader` also produces them.
    var arguments: SearchArguments {
        SearchArguments(
            index: location.index, limit: limit, offset: offset, any: any, words: words, format: format,
            since: since, until: until, sort: sort, explain: explain, dedup: dedup, copies: copies, count: count, batch: batch,
            analyze: analyze, context: context, snippets: snippets, color: color, k1: k1, b: b,
            stopwords: stopwords, proximity: proximity, proximityWindow: proximityWindow,
            proximityAllPairs: proximityAllPairs, bigramWeight: bigramWeight, titleWeight: titleWeight, query: query)
    }

    func validate() throws { try arguments.validate() }

    func run() throws { try arguments.run() }
}

extension SearchArguments {
    func run() throws {
        if batch {
            // The batch holds the only reference to each view, so a replaced one is let go.
            var batch = try BatchSearch(path: IndexLocation.resolve(index), options: options, snippets: snippets ?? false,
                                        context: context)
            return try batch.run()
        }
        let store = try IndexStore.open(path: IndexLocation.resolve(index), readOnly: true)
        let searcher = try Searcher(reader: try IndexReader(store: store))
        let text = join(query, separator: " ")
        let plan = try searcher.plan(text, options: options)
        if analyze {
            printAnswer(query: text, plain: plan.description) { $0.add("analyzed", plan.description) }
            Terminal.flush()
            return
        }
        var opts = options
        if count { opts.limit = 0 }
        if dedup && !count {
            // Every match, then collapse: groups, and so pages and counts, must not depend on
            // how many hits are asked for.
            opts.offset = 0
            opts.limit = Int.max
        }
        var result = try searcher.search(plan: plan, options: opts)
        var duplicates: [Int]? = nil
        if dedup && !count {
            let groups = try Dedup.collapse(result.hits, reader: searcher.reader)
            let shown = groups.dropFirst(offset).prefix(limit)
            result.hits = shown.map { $0.hit }
            duplicates = shown.map { $0.duplicates }
        }
        for w in result.warnings { Terminal.stderr("newsidx: \(w)") }
        if count {
            printAnswer(query: text, plain: "\(result.count)") {
                $0.add("count", result.count)
                if !result.warnings.isEmpty { $0.addRaw("warnings", JSONText.array(result.warnings.map(JSONText.quoted))) }
            }
        } else {
            let wantsSnippets = (snippets ?? true) && ![.paths, .paths0].contains(hitFormat)
            let maker = wantsSnippets ? try SnippetMaker(plan: plan, reader: searcher.reader, maxPrefixTerms: options.maxPrefixTerms) : nil
            var printer = HitPrinter(reader: searcher.reader, format: hitFormat, snippets: maker)
            printer.color = color.enabled
            printer.context = context
            printer.duplicates = duplicates
            printer.listsCopies = copies
            if explain {
                let options = opts
                printer.explain = { try searcher.explain(plan, doc: $0.doc, options: options) }
            }
            try printer.print(result, offset: offset, query: text)
        }
        Terminal.flush()
        if result.count == 0 { throw ExitStatus.noMatch }
    }

    /// A one-line answer (`--count`, `--analyze`): bare, or for a JSON reader (`jq .count`) an
    /// object of the query and the answer's field, as search's json object carries them.
    private func printAnswer(query: String, plain: String, field: (inout JSONObject) -> Void) {
        guard hitFormat == .json || hitFormat == .jsonl else { return Terminal.out(plain + "\n") }
        var o = JSONObject()
        o.add("query", query)
        field(&o)
        Terminal.out(o.rendered + "\n")
    }
}

struct BatchRequestError: Error, CustomStringConvertible {
    let description: String
}

extension BatchSearch {
    /// A batch line is a query, or a JSON object {"q", "limit", "offset", "any", "words",
    /// "since", "until", "sort", "k1", "b"} whose fields override the command line's options.
    static func request(_ line: String, defaults: SearchOptions) throws -> (String, SearchOptions) {
        // A file saved by Windows tools starts with a byte order mark: its first request had
        // been searched as the words of the JSON text, silently matching nothing.
        let line = line.unicodeScalars.first == "\u{FEFF}" ? String(line.unicodeScalars.dropFirst()) : line
        guard line.first(where: { $0 != " " && $0 != "\t" }) == "{" else { return (line, defaults) }
        let fields: [String: String], nonScalar: Set<String>
        do { (fields, nonScalar) = try JSONFields.parse(line) } catch { throw BatchRequestError(description: "\(error)") }
        // An array, object or null in place of a value had been passed over: {"since":["2020"]}
        // ran without its date filter, and an unknown key holding an object was let through.
        if let key = nonScalar.sorted().first {
            let what = requestKeys.contains(key) ? "\"\(key)\" must be \(expectedValue(key)), not an object, array or null"
                : "unknown key \"\(key)\"; a request has \(requestKeys.joined(separator: ", "))"
            throw BatchRequestError(description: what)
        }
        // An unknown key first: {"query":"oil"} (the answers' own key) had been told only that
        // "q" was missing.
        if let unknown = fields.keys.sorted().first(where: { !requestKeys.contains($0) }) {
            throw BatchRequestError(description: "unknown key \"\(unknown)\"; a request has \(requestKeys.joined(separator: ", "))")
        }
        guard let q = fields["q"] else { throw BatchRequestError(description: "a request object needs \"q\"") }
        var o = defaults
        func int(_ key: String) throws -> Int? {
            guard let v = fields[key] else { return nil }
            // JSON writes a whole number as 1000, 1e3 or 1000.0 alike (Double alone also reads 0x2).
            guard v.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
                  let d = Double(v), d >= 0, d == d.rounded() else {
                throw BatchRequestError(description: "\"\(key)\" must be a whole number >= 0")
            }
            return Int(min(d, 1e15))
        }
        func double(_ key: String) throws -> Double? {
            guard let v = fields[key] else { return nil }
            guard let d = Double(v), d >= 0 else { throw BatchRequestError(description: "\"\(key)\" must be a number >= 0") }
            guard d.isFinite else { throw BatchRequestError(description: "\"\(key)\" \(v) is too large") }
            return d
        }
        if let n = try int("limit") { o.limit = min(n, 1_000_000) }
        if let n = try int("offset") { o.offset = min(n, 1_000_000_000) }
        func bool(_ key: String) throws -> Bool? {
            guard let v = fields[key] else { return nil }
            guard v == "true" || v == "false" else { throw BatchRequestError(description: "\"\(key)\" must be true or false") }
            return v == "true"
        }
        if let any = try bool("any") { o.defaultOperator = any ? .any : .all }
        if let words = try bool("words") { o.wordsOnly = words }
        // As the command line's --k1 and --b: a b above 1 had been taken as 1, and a huge k1
        // overflows the formula to scores of 0.
        if let k1 = try double("k1") {
            guard k1 <= SearchArguments.largestK1 else { throw BatchRequestError(description: "\"k1\" must be between 0 and 1000") }
            o.bm25.k1 = k1
        }
        if let b = try double("b") {
            guard b <= 1 else { throw BatchRequestError(description: "\"b\" must be between 0 and 1") }
            o.bm25.b = b
        }
        if let v = fields["since"] {
            guard let d = PeriodParser.first(v) else { throw BatchRequestError(description: "\"since\" '\(v)' is not a date (yyyy, yyyy-mm or yyyy-mm-dd)") }
            o.since = d
        }
        if let v = fields["until"] {
            guard let d = PeriodParser.last(v) else { throw BatchRequestError(description: "\"until\" '\(v)' is not a date (yyyy, yyyy-mm or yyyy-mm-dd)") }
            o.until = d
        }
        if let v = fields["sort"] {
            guard let s = SortChoice(rawValue: v) else { throw BatchRequestError(description: "\"sort\" is relevance, date or -date") }
            o.order = s.order
        }
        return (q, o)
    }

    static let requestKeys = ["q", "limit", "offset", "any", "words", "since", "until", "sort", "k1", "b"]

    /// What a request key takes, for its error: a date is no boolean.
    static func expectedValue(_ key: String) -> String {
        switch key {
        case "limit", "offset", "k1", "b": return "a number"
        case "any", "words": return "true or false"
        case "since", "until": return "a date string or a year"
        default: return "a string"
        }
    }
}

/// `search --batch`: one JSON object per stdin line, timed inside the process.
struct BatchSearch {
    private var searcher: Searcher
    let options: SearchOptions
    let snippets: Bool
    let context: Int

    init(path: String, options: SearchOptions, snippets: Bool, context: Int) throws {
        searcher = try Self.open(path)
        self.options = options
        self.snippets = snippets
        self.context = context
    }

    private static func open(_ path: String) throws -> Searcher {
        let store = try IndexStore.open(path: path, readOnly: true)
        store.adviseHugePagesForManyQueries()
        return try Searcher(reader: try IndexReader(store: store))
    }

    mutating func run() throws {
        var lineNumber = 0
        var anyMatched = false, anyFailed = false
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            try answerFromTheCurrentIndex()
            var object = JSONObject()
            object.add("query", lineNumber)
            // A stray blank line in a query file asks nothing: answered (a coprocess waits for
            // every line's answer) with no hits and a warning, not an error that fails the run.
            if line.allSatisfy(\.isWhitespace) {
                object.add("elapsed_us", 0)
                object.add("count", 0)
                object.addRaw("hits", "[]")
                object.addRaw("warnings", JSONText.array([JSONText.quoted("a blank line asks for nothing")]))
                Terminal.out(object.rendered + "\n")
                Terminal.flushUnlessInputIsWaiting()
                continue
            }
            let start = Terminal.microseconds()
            do {
                let (text, options) = try BatchSearch.request(line, defaults: self.options)
                let plan = try searcher.plan(text, options: options)
                let result = try searcher.search(plan: plan, options: options)
                let elapsed = Terminal.microseconds() - start
                object.add("elapsed_us", elapsed)
                object.add("count", result.count)
                let maker = snippets ? try SnippetMaker(plan: plan, reader: searcher.reader, maxPrefixTerms: options.maxPrefixTerms) : nil
                var printer = HitPrinter(reader: searcher.reader, format: .jsonl, snippets: maker)
                printer.context = context
                let hits = try result.hits.enumerated().map { i, hit in
                    try printer.jsonHit(hit, rank: options.offset + i + 1)
                }
                object.addRaw("hits", JSONText.array(hits))
                if !result.warnings.isEmpty { object.addRaw("warnings", JSONText.array(result.warnings.map(JSONText.quoted))) }
                anyMatched = anyMatched || result.count > 0
            } catch where error is QuerySyntaxError || error is BatchRequestError {
                // The line's own mistake: answered, and the batch goes on.
                object = Self.failed(lineNumber, String(describing: error))
                anyFailed = true
            } catch {
                // Damage or an I/O failure ends the batch (exit 2), but the answers before it,
                // and this line's error, reach the reader first: they had been lost unflushed.
                // The error's answer holds no count: a failure while printing hits had left the
                // count in it, which a reader testing for one took as an answer.
                Terminal.out(Self.failed(lineNumber, String(describing: error)).rendered + "\n")
                Terminal.flush()
                throw error
            }
            Terminal.out(object.rendered + "\n")
            Terminal.flushUnlessInputIsWaiting()
        }
        Terminal.flush()
        if anyFailed { throw ExitStatus.failure }
        if !anyMatched { throw ExitStatus.noMatch }
    }
}

extension BatchSearch {
    /// A line's answer when it failed: its number and the error, nothing else.
    static func failed(_ lineNumber: Int, _ message: String) -> JSONObject {
        var object = JSONObject()
        object.add("query", lineNumber)
        object.add("error", message)
        return object
    }

    /// A batch kept open (a coprocess) answers from the index as last committed: it had kept
    /// the view it opened with, so `index` runs meanwhile went unseen, and a packed index's
    /// replaced file stayed mapped. One stat and one read of LMDB's lock per line; a new view
    /// only after a change.
    mutating func answerFromTheCurrentIndex() throws {
        guard try !searcher.reader.isCurrent() else { return }
        searcher = try Self.open(searcher.reader.store.path)
    }
}

enum SortChoice: String, ExpressibleByArgument, CaseIterable {
    case relevance
    case date
    case oldest = "-date"

    var order: ResultOrder {
        switch self {
        case .relevance: return .relevance
        case .date: return .date
        case .oldest: return .dateOldestFirst
        }
    }
}

/// Reads yyyy, yyyy-mm or yyyy-mm-dd as the first or last day of that period.
enum PeriodParser {
    static func first(_ s: String) -> Int32? { bounds(s)?.first }
    static func last(_ s: String) -> Int32? { bounds(s)?.last }

    static func bounds(_ s: String) -> (first: Int32, last: Int32)? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        let widths = [4, 2, 2]
        guard (1...3).contains(parts.count),
              zip(parts, widths).allSatisfy({ $0.count == $1 && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        let numbers = parts.map { Int($0)! }
        let y = numbers[0]
        guard y >= 1 else { return nil }
        let month = numbers.count > 1 ? numbers[1] : nil
        guard month.map({ (1...12).contains($0) }) ?? true else { return nil }
        func lastDay(_ m: Int) -> Int {
            let next = m == 12 ? DayNumber.days(year: y + 1, month: 1, day: 1) : DayNumber.days(year: y, month: m + 1, day: 1)
            return next - DayNumber.days(year: y, month: m, day: 1)
        }
        switch numbers.count {
        case 1:
            return (Int32(DayNumber.days(year: y, month: 1, day: 1)), Int32(DayNumber.days(year: y, month: 12, day: 31)))
        case 2:
            let m = month!
            let first = DayNumber.days(year: y, month: m, day: 1)
            return (Int32(first), Int32(first + lastDay(m) - 1))
        default:
            let m = month!, d = numbers[2]
            guard (1...lastDay(m)).contains(d) else { return nil }
            let day = Int32(DayNumber.days(year: y, month: m, day: d))
            return (day, day)
        }
    }

    private static func format4(_ v: Int) -> String { String(repeating: "0", count: max(0, 4 - String(v).count)) + String(v) }
    private static func format2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
