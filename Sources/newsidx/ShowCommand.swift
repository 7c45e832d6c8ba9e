// newsidx (CLI): `newsidx show` and `newsidx stats`: reading one document and the index's figures.
// Owns how a stored article and the per-table sizes are printed.
import ArgumentParser
import Glibc
import InvertedIndex
import Query

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the stored cleaned text of documents.",
        discussion: """
        An identical copy of a document (search lists the content once, under the document's id) shows that document's text. Text output prints the documents one after another, as cat prints files; json and jsonl give each its id, title, date and text (with --highlight, the matched spans as [start, end) code point offsets into the text). An id not in the index is named on stderr, the others are printed, and the exit status is 1.

        Examples:
          newsidx show bbc/business/001.txt
          newsidx show --format jsonl reuters-12 reuters-40 | jq -r .date
          newsidx search --format paths0 --limit 3 opec | xargs -0r newsidx show --
          newsidx show --highlight '"oil price"' --color always reuters-12 | less -R
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, jsonl
    }

    @OptionGroup var location: IndexLocation

    @Option(help: "Output format: text, json (one object for one id, an array of them for several) or jsonl (one object per id per line).")
    var format: Format = .text

    @Option(help: ArgumentHelp("Mark what QUERY matches, as search's snippets do (in colour on a terminal; as highlights in json).", valueName: "QUERY"))
    var highlight: String?

    @Option(help: "Colour matches: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorChoice = .auto

    @Argument(help: "The document ids, as search prints them.")
    var ids: [String]

    func validate() throws {
        if ids.isEmpty { throw ValidationError("Missing expected argument '<ids> ...'") }
    }

    func run() throws {
        let store = try IndexStore.open(path: location.path, readOnly: true)
        let reader = try IndexReader(store: store)
        // Planned even when nothing will be marked, so a query error is an error here as in search.
        let plan = try highlight.map { try Searcher(reader: reader).plan($0, options: SearchOptions()) }
        let marker = try plan.map { try SnippetMaker(plan: $0, reader: reader) }
        let jsonArray = format == .json && ids.count > 1
        if jsonArray { Terminal.out("[") }
        var printed = 0, missing = 0
        for id in ids {
            guard let doc = try reader.docID(forExternalID: id) ?? reader.docID(forCopy: id) else {
                Terminal.stderr("newsidx: no document with id '\(id)' in \(location.path)")
                missing += 1
                continue
            }
            if jsonArray && printed > 0 { Terminal.out(",") }
            try printDocument(doc, asked: id, reader: reader, marker: marker, ending: jsonArray ? "" : "\n")
            printed += 1
        }
        if jsonArray { Terminal.out("]\n") }
        Terminal.flush()
        if missing > 0 { throw ExitStatus.noMatch }
    }

    /// One document in the chosen format; `ending` follows a JSON object (none inside an array).
    private func printDocument(_ doc: UInt32, asked id: String, reader: IndexReader, marker: SnippetMaker?, ending: String) throws {
        let record = try reader.document(doc)
        let text = try reader.storedText(doc)
        switch format {
        case .text:
            printText(text, title: record.title, marker: marker)
        case .json, .jsonl:
            Terminal.out(Self.json(id: id, record: record, text: text, marked: marker?.highlightAll(text, title: record.title)) + ending)
        }
    }

    private func printText(_ stored: String, title: String, marker: SnippetMaker?) {
        var text = stored
        // Escape sequences in a page's text would act on the reader's terminal, as in search's
        // text output; into a pipe without colour the stored text goes as it is.
        if Terminal.stdoutIsTerminal || color.enabled { text = HitPrinter.printableKeepingLines(text) }
        if let marker, color.enabled { text = HitPrinter.coloured(marker.highlightAll(text, title: title)) }
        Terminal.out(text.hasSuffix("\n") ? text : text + "\n")
    }

    /// Fields, in order: `id` (as asked), `same_as` (the document whose text an identical copy
    /// shows), `title`, `date` (when known), `text` (as text output prints it, less its last
    /// line end), and with --highlight `highlights`, as search's json gives them for a snippet.
    static func json(id: String, record: DocumentRecord, text: String, marked: Snippet?) -> String {
        var o = JSONObject()
        o.add("id", id)
        if record.externalID != id { o.add("same_as", record.externalID) }
        o.add("title", record.title)
        if let date = record.date { o.add("date", date) }
        o.add("text", text)
        if let marked {
            o.addRaw("highlights", JSONText.array(marked.highlights.map { "[\($0.start),\($0.end)]" }))
        }
        return o.rendered
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
