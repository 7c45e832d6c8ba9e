// newsidx (CLI): `newsidx show` and `newsidx stats`: reading one document and the index's figures.
// Owns how a stored article and the per-table sizes are printed.
import ArgumentParser
import Glibc
import InvertedIndex
import Query

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the stored cleaned text of a document.",
        discussion: """
        An identical copy of a document (search lists the content once, under the document's id) shows that document's text.

        Examples:
          newsidx show bbc/business/001.txt
          newsidx search --format paths0 --limit 1 opec | xargs -0r newsidx show --
          newsidx show --highlight '"oil price"' --color always reuters-12 | less -R
        """
    )

    @OptionGroup var location: IndexLocation

    @Option(help: ArgumentHelp("Mark what QUERY matches, as search's snippets do (in colour on a terminal).", valueName: "QUERY"))
    var highlight: String?

    @Option(help: "Colour matches: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorChoice = .auto

    @Argument(help: "The document id, as search prints it.")
    var id: String

    func run() throws {
        let store = try IndexStore.open(path: location.path, readOnly: true)
        let reader = try IndexReader(store: store)
        guard let doc = try reader.docID(forExternalID: id) ?? reader.docID(forCopy: id) else {
            Terminal.stderr("newsidx: no document with id '\(id)' in \(location.path)")
            throw ExitStatus.noMatch
        }
        var text = try reader.storedText(doc)
        // Escape sequences in a page's text would act on the reader's terminal, as in search's
        // text output; into a pipe without colour the stored text goes as it is.
        if Terminal.stdoutIsTerminal || color.enabled { text = HitPrinter.printableKeepingLines(text) }
        // Planned even when nothing will be coloured, so a query error is an error here as in search.
        let plan = try highlight.map { try Searcher(reader: reader).plan($0, options: SearchOptions()) }
        if let plan, color.enabled {
            let marked = try SnippetMaker(plan: plan, reader: reader)
                .highlightAll(text, title: try reader.document(doc).title)
            text = HitPrinter.coloured(marked)
        }
        Terminal.out(text.hasSuffix("\n") ? text : text + "\n")
        Terminal.flush()
    }
}

enum StatsFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print the index's documents, terms, sizes and settings.",
        discussion: """
        Examples:
          newsidx stats
          newsidx stats --format json | jq .tables
        """
    )

    @OptionGroup var location: IndexLocation

    @Option(help: "Output format: text or json.")
    var format: StatsFormat = .text

    func run() throws {
        let store = try IndexStore.open(path: location.path, readOnly: true)
        let reader = try IndexReader(store: store)
        let s = reader.stats
        // Scoring takes 1 for an empty index (no division by zero); stats say what is there.
        func averageLength(_ field: Field) -> Double { s.documents == 0 ? 0 : s.averageLength(field) }
        let tables = try store.tableSizes()
        let terms = try Field.allCases.flatMap { try reader.allTerms($0) }
        let termCount = terms.count
        let postings = terms.reduce(UInt64(0)) { $0 + $1.documentFrequency }
        let positions = s.textLength + s.titleLength
        let updated = store.metaValue("updated").flatMap { Int($0) }
        switch format {
        case .json:
            var o = JSONObject()
            o.add("index", location.path)
            o.add("format", store.format)
            o.add("stemmer", store.stemmer)
            o.add("east_asian", store.eastAsian.rawValue)
            o.add("documents", s.documents)
            o.add("terms", termCount)
            o.add("postings", postings)
            o.add("positions", positions)
            if let updated { o.add("updated", updated) }
            o.add("average_length", averageLength(.text))
            o.add("average_title_length", averageLength(.title))
            o.add("total_bytes", tables.reduce(0) { $0 + $1.bytes })
            let items = tables.map { t -> String in
                var j = JSONObject()
                j.add("name", t.name); j.add("entries", t.entries); j.add("bytes", t.bytes)
                return j.rendered
            }
            o.addRaw("tables", JSONText.array(items))
            Terminal.out(o.rendered + "\n")
        case .text:
            Terminal.out("""
            index:            \(store.path)
            format:           \(store.format)
            stemmer:          \(store.stemmer)
            Chinese/Japanese: \(store.eastAsian == .pairs ? "characters, with the pairs they begin" : "runs from punctuation to punctuation")
            documents:        \(s.documents)
            terms:            \(termCount) (text and title fields)
            postings:         \(postings)
            positions:        \(positions)
            last update:      \(updated.map(Self.utcTime) ?? "unknown")
            average length:   \(formatScore(averageLength(.text))) words (title \(formatScore(averageLength(.title))))

            """)
            for t in tables {
                Terminal.out("table \(t.name + String(repeating: " ", count: max(0, 10 - t.name.count))) \(String(t.entries).leftPadded(10)) entries \(String(t.bytes).leftPadded(12)) bytes\n")
            }
        }
        Terminal.flush()
    }

    /// "2026-11-27 04:31:12 UTC" for seconds since 1970.
    static func utcTime(_ seconds: Int) -> String {
        var t = time_t(seconds), parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) UTC"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
