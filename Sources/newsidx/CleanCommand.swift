// newsidx (CLI): `newsidx clean`: what the cleaner keeps of a page, and why.
// Owns the text, json and --explain renderings of a cleaned article.
import ArgumentParser
import Cleaning
import Ingest

struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Print the article the cleaner finds in each page.",
        discussion: """
        Plain text (.txt) and HTML (.html, .htm, also gzipped) pages are cleaned of navigation, teasers and other boilerplate, as indexing does. - reads one page from stdin, and a file without one of those extensions is read the same way: HTML when it opens with a tag and holds a closing tag, else plain text. In text, each page begins with a line "== FILE" when there are several, or with --explain. Exit status: 0 when some page held article text, 1 when none did, 2 when a page could not be read.

        Examples:
          newsidx clean page.txt
          newsidx clean --explain page.html.gz
          newsidx clean --format json page.html | jq .dropped
          newsidx clean --format jsonl pages/*.html | jq -r .title
          curl -s https://example.org/story | newsidx clean -
          newsidx clean --encoding shift_jis old-page.txt
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, jsonl
    }

    @Option(help: "Output format: text, json (one object for one page, an array of them for several) or jsonl (one object per page per line).")
    var format: Format = .text

    @Flag(help: "Print every block with KEEP or DROP and the reason (with --format json, as \"blocks\").")
    var explain = false

    @Option(help: ArgumentHelp("Encoding of pages that are not UTF-8 and declare no charset, as for index.", valueName: "NAME"))
    var encoding: String?

    func validate() throws { _ = try LegacyEncoding.option(encoding) }

    @Argument(help: "Pages to clean.")
    var files: [String]

    func run() throws {
        var failed = false, printed = false, anyText = false
        // `json` is one document whatever the count, as search's is: several pages had printed
        // one object per line, which a JSON parser refuses.
        let jsonArray = format == .json && files.count > 1
        let legacy = try LegacyEncoding.option(encoding)
        if jsonArray { Terminal.out("[") }
        for file in files {
            let page: (bytes: [UInt8], kind: InputKind)
            do { page = try ArchiveWalker.loadPage(file) } catch {
                Terminal.stderr("newsidx: \(error)")
                failed = true
                continue
            }
            let article = Cleaner.clean(page.bytes, kind: page.kind, legacy: legacy)
            // As index refuses it: decoding can make a page three times or more as large.
            do { try DocumentLimit.check(title: article.title, body: article.body, path: file) } catch {
                Terminal.stderr("newsidx: \(error)")
                failed = true
                continue
            }
            for w in article.warnings { Terminal.stderr("newsidx: \(file): \(w)") }
            anyText = anyText || !article.title.isEmpty || !article.paragraphs.isEmpty
            if format != .text {
                if jsonArray && printed { Terminal.out(",") }
                printJSON(article, file: file, ending: jsonArray ? "" : "\n")  // holds what --explain prints, as fields
            } else if explain {
                printExplanation(article, file: file)
            } else {
                // As head(1) does, several pages are told apart by their names.
                if printed { Terminal.out("\n") }
                if files.count > 1 { Terminal.out("== \(HitPrinter.printable(file))\n") }
                if article.title.isEmpty && article.paragraphs.isEmpty {
                    // Three blank lines had stood for nothing found. After the pages before it,
                    // which wait in stdout's buffer.
                    Terminal.flush()
                    Terminal.stderr("newsidx: \(file): no article text found")
                } else {
                    Terminal.out(Self.shown(article.title + "\n\n" + article.paragraphs.joined(separator: "\n\n")) + "\n")
                }
            }
            printed = true
        }
        if jsonArray { Terminal.out("]\n") }
        Terminal.flush()
        if failed { throw ExitStatus.failure }
        // As grep finding nothing: a script cleaning an empty page learns it from the status.
        if !anyText { throw ExitStatus.noMatch }
    }

    /// One object per page, naming it: a page that fails to load has none, so the file
    /// is what ties each object to its page. With several pages, `json` joins them in one array.
    private func printJSON(_ article: Article, file: String, ending: String) {
        var o = JSONObject()
        o.add("file", file)
        o.add("title", article.title)
        o.add("date", article.date)
        o.add("body", article.body)
        let dropped = article.dropped.map { block -> String in
            var d = JSONObject()
            d.add("text", block.text)
            d.add("reason", block.reason)
            return d.rendered
        }
        o.addRaw("dropped", JSONText.array(dropped))
        if explain {
            let blocks = article.blocks.map { block -> String in
                var b = JSONObject()
                b.add("kept", block.kept)
                b.add("reason", block.reason)
                b.add("text", block.text)
                return b.rendered
            }
            o.addRaw("blocks", JSONText.array(blocks))
        }
        Terminal.out(o.rendered + ending)
    }

    private func printExplanation(_ article: Article, file: String) {
        // A name is one line, and its control characters must not act on the terminal.
        Terminal.out("== \(HitPrinter.printable(file))\nTITLE \(Self.shown(article.title))\nDATE  \(article.date ?? "-")\n")
        for block in article.blocks {
            let oneLine = block.text.split(separator: "\n").joined(separator: " ")
            Terminal.out("\(block.kept ? "KEEP" : "DROP") [\(block.reason)] \(Self.shown(oneLine))\n")
        }
    }

    /// A page's text as a terminal may show it: its control characters (escape sequences,
    /// bells) as U+FFFD, as search and show print them; into a pipe, as cleaned.
    private static func shown(_ text: String) -> String {
        Terminal.stdoutIsTerminal ? HitPrinter.printableKeepingLines(text) : text
    }
}

extension LegacyEncoding {
    /// The `--encoding` option of `index` and `clean`, checked before any file is read.
    static func option(_ label: String?) throws -> LegacyEncoding? {
        guard let label else { return nil }
        do { return try LegacyEncoding(label: label) } catch {
            throw ValidationError("--encoding \(error)")
        }
    }
}
