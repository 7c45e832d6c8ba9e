// newsidx (CLI): the output layer for search hits: one printer, several formats.
// Owns field names and order of each format; they are a stable contract for scripts.
import ArgumentParser
import InvertedIndex
import Query
#if canImport(Glibc)
import Glibc
#endif

enum HitFormat: String, ExpressibleByArgument, CaseIterable {
    case text, jsonl, json, tsv, paths, paths0
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    /// `auto` colours only a terminal, and never when NO_COLOR is set (no-color.org).
    var enabled: Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            // As grep and ripgrep do, a terminal that says it is dumb gets no colour either.
            let dumb = getenv("TERM").map { String(cString: $0) == "dumb" } ?? false
            return Terminal.stdoutIsTerminal && !dumb && getenv("NO_COLOR").map { $0.pointee == 0 } ?? true
        }
    }
}

struct HitPrinter {
    let reader: IndexReader
    let format: HitFormat
    /// Nil when the format or the caller wants no snippets.
    let snippets: SnippetMaker?
    var color = false
    var context = 12
    /// Set for `--dedup`: how many near-duplicates each printed hit stands for, in the hits'
    /// order (a list: a dictionary keyed by doc had cost a one-query process a scan of the
    /// binary's protocol conformances when it was made).
    var duplicates: [Int]? = nil
    /// Set for `--copies`: paths and paths0 list each hit's identical copies after it.
    var listsCopies = false
    /// Set for `--explain`: the breakdown of each hit's score.
    var explain: ((Hit) throws -> Explanation)? = nil

    static let tsvColumns = ["rank", "id", "score", "title", "date", "snippet"]

    func print(_ result: SearchResult, offset: Int, query: String) throws {
        switch format {
        case .json:
            // The hits array is written as each hit is made, as jsonl is: held whole, 70,000
            // hits with long snippets had taken a gigabyte before the first byte went out.
            var o = JSONObject()
            o.add("query", query)
            o.add("count", result.count)
            // What stderr says too, for a reader of the object alone (as `--batch` answers carry it).
            if !result.warnings.isEmpty { o.addRaw("warnings", JSONText.array(result.warnings.map(JSONText.quoted))) }
            o.addRaw("hits", "[")
            Terminal.out(o.renderedOpen)
            do {
                for (i, hit) in result.hits.enumerated() {
                    Terminal.out((i == 0 ? "" : ",") + (try jsonHit(hit, rank: offset + i + 1, duplicates: duplicates?[i])))
                }
            } catch {
                // A hit that fails (damaged stored text) ends the array there, and the object
                // says so in an `error` after it, as a `--batch` answer does: closed without
                // one, the cut list had parsed as a whole answer, whose exit status 2 a pipe
                // into jq loses.
                Terminal.out("],\"error\":" + JSONText.quoted(String(describing: error)) + "}\n")
                throw error
            }
            Terminal.out("]}\n")
            return
        case .tsv:
            // With --dedup, each hit's count of near-duplicates, as jsonl and text give it.
            let columns = HitPrinter.tsvColumns + (duplicates == nil ? [] : ["duplicates"])
            Terminal.out(join(columns, separator: "\t") + "\n")
        default:
            break
        }
        let copies = listsCopies && [.paths, .paths0].contains(format) ? try Copies(reader) : nil
        for (i, hit) in result.hits.enumerated() {
            let rank = offset + i + 1
            switch format {
            case .jsonl: Terminal.out(try jsonHit(hit, rank: rank, duplicates: duplicates?[i]) + "\n")
            case .tsv: Terminal.out(try tsvHit(hit, rank: rank, duplicates: duplicates?[i]))
            case .paths, .paths0:
                let end = format == .paths ? "\n" : "\0"
                Terminal.out(try reader.document(hit.doc).externalID + end)
                for id in copies?.ids(of: hit.doc) ?? [] { Terminal.out(id + end) }
            case .text: Terminal.out(try textHit(hit, rank: rank, duplicates: duplicates?[i]))
            case .json: break
            }
        }
    }

    /// The ids of identical copies, which `paths` and `paths0` list after their document's with
    /// `--copies`, as notmuch's `--output=files` lists every file of a message: a pipeline deleting
    /// what matched had left the copies (`delete` said they stayed searchable). Not by default:
    /// a hit is one text, and `--limit 1 | xargs show` had shown it twice (review). An array sorted
    /// by document, searched by halves: a dictionary's first use scans the binary's protocol
    /// conformances (ARCHITECTURE.md). Ids cut in their key (over 383 bytes) are left out, as
    /// no file or record has them.
    struct Copies {
        private let byDoc: [(doc: UInt32, id: String)]

        init(_ reader: IndexReader) throws {
            byDoc = try reader.copies().filter(\.isWhole).map { ($0.doc, $0.id) }.sorted { ($0.doc, $0.id) < ($1.doc, $1.id) }
        }

        func ids(of doc: UInt32) -> [String] {
            var lo = 0, hi = byDoc.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if byDoc[mid].doc < doc { lo = mid + 1 } else { hi = mid }
            }
            var out: [String] = []
            while lo < byDoc.count && byDoc[lo].doc == doc { out.append(byDoc[lo].id); lo += 1 }
            return out
        }
    }

    /// One line per hit; tabs, newlines, carriage returns and backslashes escaped as \t \n \r \\.
    private func tsvHit(_ hit: Hit, rank: Int, duplicates: Int?) throws -> String {
        let doc = try reader.document(hit.doc)
        var fields = [String(rank), doc.externalID, "\(hit.score)", doc.title, doc.date ?? "", try snippet(hit, title: doc.title)?.text ?? ""]
        if let duplicates { fields.append(String(duplicates)) }
        return join(fields.map(HitPrinter.tsvEscaped), separator: "\t") + "\n"
    }

    static func tsvEscaped(_ s: String) -> String {
        // Most fields hold nothing to escape, and appending a scalar at a time was most of a
        // TSV line's cost: they are checked byte by byte and returned as they are.
        if !needsTSVEscape(s) { return s }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            // Other controls (a scraped page's escape sequences) as `\x1b`: raw, they reached a
            // terminal that `--format tsv | column -t` or `less -R` showed them on.
            case _ where isControl(c): out += "\\x" + (c.value < 0x10 ? "0" : "") + String(c.value, radix: 16)
            // Line and paragraph separators end lines for Python's splitlines and editors.
            case "\u{2028}", "\u{2029}": out += "\\u" + String(c.value, radix: 16)
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private static func needsTSVEscape(_ s: String) -> Bool {
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for byte in s.utf8 {
            // C1 controls are U+0080–U+009F: 0xC2 then 0x80–0x9F; U+2028 and U+2029 are E2 80 A8/A9.
            if byte == 0x5C || byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte <= 0x9F)
                || (beforePrevious == 0xE2 && previous == 0x80 && (byte == 0xA8 || byte == 0xA9)) { return true }
            beforePrevious = previous
            previous = byte
        }
        return false
    }

    /// Fields, in order: `rank`, `id`, `score`, `title`, `date` (when known), then with snippets
    /// `snippet` and `highlights` ([start, end) code point offsets into the snippet).
    func jsonHit(_ hit: Hit, rank: Int, duplicates: Int? = nil) throws -> String {
        let doc = try reader.document(hit.doc)
        var o = JSONObject()
        o.add("rank", rank)
        o.add("id", doc.externalID)
        o.add("score", hit.score)
        o.add("title", doc.title)
        if let date = doc.date { o.add("date", date) }
        if let duplicates { o.add("duplicates", duplicates) }
        if let snippet = try snippet(hit, title: doc.title) {
            o.add("snippet", snippet.text)
            o.addRaw("highlights", JSONText.array(snippet.highlights.map { "[\($0.start),\($0.end)]" }))
        }
        if let explain { o.addRaw("explain", HitPrinter.json(try explain(hit))) }
        return o.rendered
    }

    static func json(_ e: Explanation) -> String {
        var o = JSONObject()
        o.add("value", e.value)
        o.add("description", e.description)
        if !e.details.isEmpty { o.addRaw("details", JSONText.array(e.details.map(json))) }
        return o.rendered
    }

    /// `title`: the hit's title as stored, which its text starts with.
    private func snippet(_ hit: Hit, title: String) throws -> Snippet? {
        guard let snippets else { return nil }
        return snippets.snippet(of: try reader.storedText(hit.doc), title: title, context: context)
    }

    /// Control characters from a document (ESC sequences, bells, backspaces) would act on the
    /// reader's terminal: text output shows each as U+FFFD instead.
    static func printable(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isControl) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { isControl($0) ? "\u{FFFD}" : $0 }))
    }

    /// `printable`, keeping line breaks: for whole articles on a terminal.
    static func printableKeepingLines(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" }) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { isControl($0) && $0 != "\n" ? "\u{FFFD}" : $0 }))
    }

    static func isControl(_ c: Unicode.Scalar) -> Bool {
        (c.value < 0x20 && c != "\t") || (c.value >= 0x7F && c.value < 0xA0)
    }

    private func textHit(_ hit: Hit, rank: Int, duplicates: Int?) throws -> String {
        var doc = try reader.document(hit.doc)
        let storedTitle = doc.title
        doc.title = HitPrinter.printable(doc.title)
        doc.externalID = HitPrinter.printable(doc.externalID)
        let title = doc.title.isEmpty ? "(untitled)" : doc.title
        var line2 = "    \(doc.externalID)"
        if let date = doc.date { line2 += "  \(date)" }
        line2 += "  score \(formatScore(hit.score))"
        if let n = duplicates, n > 0 { line2 += "  (+\(n) near-duplicate\(n == 1 ? "" : "s"))" }
        var out = (color ? "\(rank). \u{1B}[1m\(title)\u{1B}[0m" : "\(rank). \(title)") + "\n" + line2 + "\n"
        if var snippet = try snippet(hit, title: storedTitle), !snippet.text.isEmpty {
            snippet.text = HitPrinter.printable(snippet.text)  // one scalar for one: offsets hold
            out += "    " + (color ? highlighted(snippet) : snippet.text) + "\n"
        }
        // The tree names the hit by its id, which may hold line breaks and escapes.
        if let explain { out += join(try explain(hit).lines(indent: "    ").map(HitPrinter.printable), separator: "\n") + "\n" }
        return out
    }

    private func highlighted(_ snippet: Snippet) -> String { HitPrinter.coloured(snippet) }

    /// The text with its matches in bold red, as grep colours matches.
    static func coloured(_ snippet: Snippet) -> String {
        var out = ""
        var scalars = Array(snippet.text.unicodeScalars)[...]
        var position = 0
        for h in snippet.highlights {
            out += String(String.UnicodeScalarView(scalars.prefix(h.start - position)))
            scalars = scalars.dropFirst(h.start - position)
            out += colouredLines(String(String.UnicodeScalarView(scalars.prefix(h.count))))
            scalars = scalars.dropFirst(h.count)
            position = h.end
        }
        return out + String(String.UnicodeScalarView(scalars))
    }

    /// A match that spans lines (a phrase across a paragraph break in `show`) is coloured line
    /// by line, as ripgrep does: a line taken alone by `grep`, `head` or `less -R` never leaves
    /// the terminal red.
    private static func colouredLines(_ match: String) -> String {
        let lines = match.split(separator: "\n", omittingEmptySubsequences: false)
        return join(lines.map { $0.isEmpty ? "" : "\u{1B}[1;31m" + $0 + "\u{1B}[0m" }, separator: "\n")
    }
}

func formatScore(_ s: Double) -> String {
    let r = (s * 1000).rounded() / 1000
    return "\(r)"
}
