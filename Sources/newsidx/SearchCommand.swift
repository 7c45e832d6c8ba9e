// newsidx (CLI): `newsidx search`: one query from the arguments, or many with --batch.
// Owns query options, timing for --batch, and the exit code that says whether anything matched.
import ArgumentParser
import InvertedIndex
import Query

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index; print ranked hits.",
        discussion: """
        Bare words must all match (AND); --any ranks documents matching any of them.
        Query language:
          "exact phrase"        words in this order, next to each other
          a NEAR/5 b            a and b with at most 5 words between them, either order (NEAR = NEAR/10)
          a ADJ/5 b             the same, b after a; chains: a NEAR/3 b NEAR/3 c
          a AND b, a OR b       boolean operators (upper case; lower case are words)
          a NOT b, -b, -"p q"   exclusion
          ( ... )               grouping
          title:word, title:"a b"  search titles only
          econom*               prefix
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
    var limit: Int = 10

    @Option(help: "Hits to skip first (for paging).")
    var offset: Int = 0

    @Flag(help: "Rank documents matching any word (ranked OR) instead of requiring all.")
    var any = false

    @Flag(help: "Treat every token of the query as a plain word: no operators, quotes, fields or prefixes.")
    var words = false

    @Option(help: "Output format: text or jsonl (default: text).")
    var format: HitFormat = .text

    @Flag(help: "Print only the number of matching documents.")
    var count = false

    @Flag(help: "Read queries from stdin, one per line; write one JSON object per query.")
    var batch = false

    @Flag(help: "Print the parsed and analyzed query instead of running it.")
    var analyze = false

    @Option(help: "Words of context either side of a match in snippets.")
    var context: Int = 12

    @Flag(inversion: .prefixedNo, help: "Snippets in text and jsonl output (with --batch, off unless asked).")
    var snippets: Bool?

    @Option(help: "Colour matches: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorChoice = .auto

    @Option(help: "BM25 k1 (term frequency saturation).")
    var k1: Double = 1.2

    @Option(help: "BM25 b (length normalization, 0 to 1).")
    var b: Double = 0.75

    @Option(help: ArgumentHelp("Stop words dropped from ranked OR (--any, --words) queries: a language or none.", valueName: "LANG"))
    var stopwords: String = "english"

    @Option(help: "Ranked OR: weight of query word pairs found near each other (0 turns it off).")
    var proximity: Double = SearchOptions().proximityWeight

    @Option(help: "Ranked OR: words apart that still count as near, for --proximity.")
    var proximityWindow: Int = SearchOptions().proximityWindow

    @Flag(help: "Ranked OR: pair every query word with every other for --proximity, not only with the next.")
    var proximityAllPairs = false

    @Option(help: "Ranked OR: extra weight of query words found in the title (0 turns it off).")
    var titleWeight: Double = SearchOptions().titleWeight

    @Argument(help: "The query (omit with --batch).")
    var query: [String] = []

    func validate() throws {
        guard limit >= 0, offset >= 0 else { throw ValidationError("--limit and --offset must not be negative") }
        guard context >= 0 && context <= 1000 else { throw ValidationError("--context must be between 0 and 1000") }
        guard proximity >= 0, titleWeight >= 0, proximityWindow >= 0, proximityWindow <= 1000 else {
            throw ValidationError("--proximity and --title-weight must not be negative; --proximity-window 0 to 1000")
        }
        guard k1 >= 0, k1.isFinite, b >= 0, b <= 1 else { throw ValidationError("--k1 must be >= 0 and --b between 0 and 1") }
        if batch && !query.isEmpty { throw ValidationError("--batch reads queries from stdin; give no QUERY") }
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
        o.titleWeight = titleWeight
        return o
    }

    func run() throws {
        let store = try IndexStore.open(path: location.path, readOnly: true)
        let searcher = try Searcher(reader: try IndexReader(store: store))
        if batch {
            return try BatchSearch(searcher: searcher, options: options, snippets: snippets ?? false, context: context).run()
        }
        let text = query.joined(separator: " ")
        let plan = try searcher.plan(text, options: options)
        if analyze {
            Terminal.out(plan.description + "\n")
            Terminal.flush()
            return
        }
        var opts = options
        if count { opts.limit = 0 }
        let result = try searcher.search(plan: plan, options: opts)
        for w in result.warnings { Terminal.stderr("newsidx: \(w)") }
        if count {
            Terminal.out("\(result.count)\n")
        } else {
            let wantsSnippets = (snippets ?? true) && (format == .text || format == .jsonl)
            let maker = wantsSnippets ? try SnippetMaker(plan: plan, language: store.stemmer) : nil
            var printer = HitPrinter(reader: searcher.reader, format: format, snippets: maker)
            printer.color = color.enabled
            printer.context = context
            try printer.print(result, offset: offset)
        }
        Terminal.flush()
        if result.count == 0 { throw ExitStatus.noMatch }
    }
}

/// `search --batch`: one JSON object per stdin line, timed inside the process.
struct BatchSearch {
    let searcher: Searcher
    let options: SearchOptions
    let snippets: Bool
    let context: Int

    func run() throws {
        var lineNumber = 0
        var anyMatched = false, anyFailed = false
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            var object = JSONObject()
            object.add("query", lineNumber)
            let start = Terminal.microseconds()
            do {
                let plan = try searcher.plan(line, options: options)
                let result = try searcher.search(plan: plan, options: options)
                let elapsed = Terminal.microseconds() - start
                object.add("elapsed_us", elapsed)
                object.add("count", result.count)
                let maker = snippets ? try SnippetMaker(plan: plan, language: searcher.reader.store.stemmer) : nil
                var printer = HitPrinter(reader: searcher.reader, format: .jsonl, snippets: maker)
                printer.context = context
                let hits = try result.hits.enumerated().map { i, hit in
                    try printer.jsonHit(hit, rank: options.offset + i + 1)
                }
                object.addRaw("hits", JSONText.array(hits))
                anyMatched = anyMatched || result.count > 0
            } catch let error as QuerySyntaxError {
                object.add("error", error.description)
                anyFailed = true
            }
            Terminal.out(object.rendered + "\n")
        }
        Terminal.flush()
        if anyFailed { throw ExitStatus.failure }
        if !anyMatched { throw ExitStatus.noMatch }
    }
}
