// Ingest: finding the documents under the paths given to `newsidx index`, in a stable order.
// Owns file kinds by name, ids (paths as reached from the argument), and binary-file skipping.
import Cleaning
import InvertedIndex
#if canImport(Glibc)
import Glibc
#endif

public struct IngestOptions: Sendable {
    /// Run JSONL records' text through the plain-text cleaner too.
    public var cleanJSONL = false
    /// The encoding of text files and undeclared HTML pages that are not UTF-8 (`--encoding`).
    public var legacyEncoding: LegacyEncoding?
    public init() {}
}

/// How a file is read, decided by its name.
enum FileKind {
    /// `sniffed`: named on the command line without a known extension; HTML when it reads as
    /// markup (`ArchiveWalker.looksLikeMarkup`, as a page on stdin does), else plain text. Read as
    /// plain text whatever it held, a saved page named `story` had been indexed with its markup
    /// as words.
    case plainText, html, jsonLines, sniffed

    init?(path: String, explicit: Bool) {
        var name = path.lowercased()
        for suffix in [".gz", ".zst"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") || path == "-" { self = .jsonLines }
        else if name.hasSuffix(".html") || name.hasSuffix(".htm") || name.hasSuffix(".xhtml") { self = .html }
        else if name.hasSuffix(".txt") || name.hasSuffix(".text") { self = .plainText }
        else if explicit { self = .sniffed }
        else { return nil }
    }
}

/// How the walker asks the index what it already has, so unchanged inputs are not read.
public struct SourceChecks {
    /// A file (id = its path) with this size and mtime is indexed as it is.
    public var isUnchanged: (String, UInt64, Int64) throws -> Bool
    /// A JSON Lines file with this size and mtime was read whole before.
    public var isUnchangedFile: (String, UInt64, Int64) throws -> Bool
    /// A JSON Lines file was read to its end, with this many records.
    public var finishedFile: (String, UInt64, Int64, Int) -> Void
    /// Whether a JSON Lines file found unchanged must be read again for its records' ids
    /// (`--prune`, when no pruning run has met them since it was last read whole)...
    public var unchangedFileNeedsIDs: (String) throws -> Bool
    /// ...which go here; it returns whether the file must be read whole after all. Not called
    /// for a file that cannot be read to its end or holds a line that is no record (that line
    /// may be the new version of any record).
    public var unchangedFileIDs: (String, [String]) throws -> Bool
    /// A file that holds no text any more (it turned binary): the document its path had, if
    /// any, goes, as a fresh build would not have it.
    public var holdsNoDocument: (String) throws -> Void

    public init(isUnchanged: @escaping (String, UInt64, Int64) throws -> Bool = { _, _, _ in false },
                isUnchangedFile: @escaping (String, UInt64, Int64) throws -> Bool = { _, _, _ in false },
                finishedFile: @escaping (String, UInt64, Int64, Int) -> Void = { _, _, _, _ in },
                unchangedFileNeedsIDs: @escaping (String) throws -> Bool = { _ in false },
                unchangedFileIDs: @escaping (String, [String]) throws -> Bool = { _, _ in false },
                holdsNoDocument: @escaping (String) throws -> Void = { _ in }) {
        self.isUnchanged = isUnchanged
        self.isUnchangedFile = isUnchangedFile
        self.finishedFile = finishedFile
        self.unchangedFileNeedsIDs = unchangedFileNeedsIDs
        self.unchangedFileIDs = unchangedFileIDs
        self.holdsNoDocument = holdsNoDocument
    }
}

/// Size and modification time (nanoseconds) of a file.
func fileStamp(_ st: stat) -> (size: UInt64, modified: Int64) {
    (UInt64(st.st_size), Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
}

public enum ArchiveWalker {
    /// Calls `emit` for every document under `paths`; unreadable inputs go to `problem`.
    public static func walk(_ paths: [String], options: IngestOptions, checks: SourceChecks = SourceChecks(),
                            emit: @escaping (PendingDocument) throws -> Void,
                            problem: @escaping (IngestError) -> Void) throws {
        var walk = Walk(options: options, checks: checks, emit: emit, problem: problem)
        try walk.run(paths)
    }
}

/// One walk over the paths given to `index`.
struct Walk {
    let options: IngestOptions
    let checks: SourceChecks
    let emit: (PendingDocument) throws -> Void
    let problem: (IngestError) -> Void
    /// Files already read in this walk: a path given twice, or a file given with its folder,
    /// is read once.
    /// By their bytes: two names that differ only in how an accent is written (composed or
    /// not) are two files, which `String` equality had taken for one.
    var visited = Set<[UInt8]>()

    mutating func run(_ paths: [String]) throws {
        for path in paths {
            if path == "-" {
                try JSONLinesReader.read(path: "-", options: options, emit: emit, problem: problem)
                continue
            }
            var st = stat()
            guard stat(path, &st) == 0 else {
                problem(IngestError.cannotOpen(path))
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                try walkDirectory(path)
            } else {
                try file(path, st, explicit: true)
            }
        }
    }

    private mutating func walkDirectory(_ root: String) throws {
        var stack = [root]
        while let dir = stack.popLast() {
            guard let handle = opendir(dir) else {
                problem(IngestError(path: dir, String(cString: strerror(errno))))
                continue
            }
            var files: [(String, stat)] = [], dirs: [String] = []
            while let entry = readdir(handle) {
                let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    Array(raw.prefix { $0 != 0 })
                }
                let name = String(decoding: bytes, as: UTF8.self)
                if name.hasPrefix(".") { continue }  // hidden files and folders, as ripgrep skips them
                let child = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                // Ids and paths are text: such a name cannot be opened again from its id, and it
                // had been dropped without a word.
                guard String(validating: bytes, as: UTF8.self) != nil else {
                    problem(IngestError(path: child, "file name is not valid UTF-8; skipped (rename it to index it)"))
                    continue
                }
                var st = stat()
                guard lstat(child, &st) == 0 else {
                    // Gone since the folder was listed: nothing to say. Any other failure (a
                    // path past PATH_MAX) is a file not indexed, which had passed silently.
                    if errno != ENOENT { problem(IngestError(path: child, String(cString: strerror(errno)))) }
                    continue
                }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: dirs.append(child)
                case S_IFREG: files.append((child, st))
                default: continue
                }
            }
            closedir(handle)
            for (f, st) in files.sorted(by: { $0.0 < $1.0 }) { try file(f, st, explicit: false) }
            stack.append(contentsOf: dirs.sorted().reversed())
        }
    }

    private mutating func file(_ path: String, _ st: stat, explicit: Bool) throws {
        guard let kind = FileKind(path: path, explicit: explicit), visited.insert(Array(path.utf8)).inserted else { return }
        let (size, modified) = fileStamp(st)
        if kind == .jsonLines {
            if try checks.isUnchangedFile(path, size, modified) {
                guard try checks.unchangedFileNeedsIDs(path), let ids = JSONLinesReader.ids(path: path),
                      try checks.unchangedFileIDs(path, ids) else { return }
            }
            if let records = try JSONLinesReader.read(path: path, options: options, emit: emit, problem: problem) {
                checks.finishedFile(path, size, modified, records)
            }
            return
        }
        if try checks.isUnchanged(path, size, modified) { return }
        let bytes: [UInt8]
        do { bytes = try ArchiveWalker.readPage(path) } catch let e as IngestError { problem(e); return }
        if ArchiveWalker.looksBinary(bytes) {
            // As ripgrep does: a binary file met in a folder is passed over (counted as
            // skipped); one named on the command line is a problem worth a message.
            if explicit { problem(IngestError(path: path, "binary file (it has NUL bytes); skipped")) }
            else { try emit(PendingDocument { nil }) }
            try checks.holdsNoDocument(path)
            return
        }
        let inputKind = ArchiveWalker.inputKind(kind, bytes), legacy = options.legacyEncoding
        try emit(PendingDocument(sourceBytes: bytes.count) {
            let article = Cleaner.clean(bytes, kind: inputKind, legacy: legacy)
            try DocumentLimit.check(title: article.title, body: article.body, path: path)
            let source = SourceStamp(size: size, modified: modified, contentHash: ArchiveWalker.contentHash(bytes, legacy))
            var input = DocumentInput(externalID: path, title: article.title, body: article.body, date: article.date,
                                      source: source)
            input.notes = article.warnings.map { "\(path): \($0)" }
            return input
        })
    }
}

extension ArchiveWalker {
    /// A file's content hash, which decides whether a file read again changed. Bytes that are
    /// not UTF-8 read with `--encoding` hash with its name: read again (touched) with it, a
    /// file indexed without it changes, and its text is decoded anew (it had stayed U+FFFD,
    /// found unchanged, whatever the note had advised).
    static func contentHash(_ bytes: [UInt8], _ legacy: LegacyEncoding?) -> UInt64 {
        let hash = ContentHash.of(bytes)
        guard let legacy, String(validating: bytes, as: UTF8.self) == nil else { return hash }
        // `GB-18030` and `gb18030` alike; iconv's aliases (latin1, iso-8859-1) still differ,
        // which costs one needless reading of the same text.
        return hash ^ ContentHash.of(Array(legacy.label.lowercased().filter { $0.isLetter || $0.isNumber }.utf8))
    }
}

extension IngestError: SourceProblem {
    public var sourcePath: String { path }
}

extension ArchiveWalker {
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(8192).contains(0)
    }

    /// A page or text file's bytes, decompressed, as `index` and `clean` both read them: text
    /// saved as UTF-16 with a byte order mark comes back as UTF-8 (`clean` had refused as
    /// binary a page `index` read).
    static func readPage(_ path: String) throws -> [UInt8] {
        let raw = try readAll(path, limit: DocumentLimit.bytes)
        return utf8(fromUTF16: raw) ?? raw
    }

    /// UTF-8 for text that starts with a UTF-16 byte order mark (as Windows editors save it),
    /// else nil. Its NUL high bytes would have made it look binary.
    static func utf8(fromUTF16 bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 2 else { return nil }
        let littleEndian: Bool
        switch (bytes[0], bytes[1]) {
        case (0xFF, 0xFE): littleEndian = true
        case (0xFE, 0xFF): littleEndian = false
        default: return nil
        }
        let units = stride(from: 2, to: bytes.count - 1, by: 2).map { i -> UInt16 in
            littleEndian ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}

/// Reads JSON Lines records ({"id","title","text" or "contents","date"}) from a file or stdin.
enum JSONLinesReader {
    /// Emits every record; returns how many there were, or nil when the file was not read to its end.
    @discardableResult
    static func read(path: String, options: IngestOptions, emit: (PendingDocument) throws -> Void,
                     problem: (IngestError) -> Void) throws -> Int? {
        let shownPath = path == "-" ? "<stdin>" : path
        var lines: LineReader
        do {
            try checkCompressedWhole(path)
            lines = LineReader(try openChunks(path))
        } catch let e as IngestError {
            problem(e)
            return nil
        }
        do {
            return try forEachRecordLine(&lines, path: shownPath) { line, number in
                // No source bytes given: records are chunked by count alone (`IndexWriter.chunkBytes`).
                try emit(PendingDocument {
                    try record(try line.kept(path: shownPath, line: number), path: shownPath, line: number,
                               origin: path == "-" ? "" : path, options: options)
                })
            }
        } catch let e as IngestError {
            problem(e)
            return nil
        }
    }

    /// The ids of a file's records, as `read` gives them; nil when the file cannot be read to
    /// its end or a line is no record.
    static func ids(path: String) -> [String]? {
        var ids: [String] = []
        do {
            var lines = LineReader(try openChunks(path))
            _ = try forEachRecordLine(&lines, path: path) { line, number in
                ids.append(try parsed(try line.kept(path: path, line: number), path: path, line: number).id)
            }
        } catch {
            return nil
        }
        return ids
    }

    /// Calls `body` with each line that is not blank, a UTF-8 byte order mark dropped from its
    /// start, and its number; returns how many such lines there were (blank ones had counted
    /// too, and a later run said a file of 3 records and a blank line held 4 unchanged ones).
    /// A mark starts any line of files joined with `cat`, not only the first; a UTF-16 mark on
    /// the first says the file is no UTF-8, which its first record's JSON error had not said.
    private static func forEachRecordLine(_ lines: inout LineReader, path: String, _ body: (RecordLine, Int) throws -> Void) throws -> Int {
        var count = 0
        while let read = try lines.nextLine() {
            guard case .bytes(let slice) = read else {
                if case .tooLong(let length) = read {
                    count += 1
                    try body(.tooLong(length), lines.lineNumber)
                }
                continue
            }
            var line = Array(slice)
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
            if lines.lineNumber == 1 && (line.starts(with: [0xFF, 0xFE]) || line.starts(with: [0xFE, 0xFF])) {
                throw IngestError(path: path, "is UTF-16 (its byte order mark says so), and JSON Lines are read as UTF-8; convert it first (iconv -f UTF-16 -t UTF-8)")
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            count += 1
            try body(.bytes(line), lines.lineNumber)
        }
        return count
    }

    /// A record's line as `forEachRecordLine` gives it: its bytes, or the length of one too
    /// long to keep.
    enum RecordLine {
        case bytes([UInt8])
        case tooLong(Int)

        /// The bytes; a line over the limit is a problem of its record, reported with its line.
        func kept(path: String, line number: Int) throws -> [UInt8] {
            switch self {
            case .bytes(let bytes): return bytes
            case .tooLong(let length):
                throw IngestError(path: path, line: number,
                                  "record of \(length) bytes is larger than the \(DocumentLimit.described) (\(DocumentLimit.bytes) bytes) a document may take; skipped")
            }
        }
    }

    /// `origin` is the file the record is read from ("" for stdin), kept with it for `--prune`.
    static func record(_ line: [UInt8], path: String, line number: Int, origin: String,
                       options: IngestOptions) throws -> DocumentInput {
        let (fields, others, text, id, repairedUTF8) = try parsed(line, path: path, line: number)
        var notes: [String] = []
        // A title is shown on one line, and the stored text is the title, a blank line and the body.
        var title = TitleText.collapsed(fields["title"] ?? "")
        // true had become the title "true", and a list or an object was dropped without a word.
        if let other = others["title"], other != .null {
            notes.append("\(path):\(number): \"title\" is not a string (\(other == .boolean ? "true or false" : "an object or array")); the record is untitled")
            title = ""
        }
        var body = text
        var date = fields["date"].flatMap(RecordDate.iso)
        // As a page's are: the record is indexed all the same.
        if repairedUTF8 { notes.append("\(path):\(number): invalid UTF-8 replaced with U+FFFD") }
        if date == nil, let written = fields["date"], !written.allSatisfy(\.isWhitespace) {
            notes.append("\(path):\(number): \"date\" '\(written.prefix(40))' names no whole day of the calendar (a year or month alone is none); the record is undated")
        }
        if options.cleanJSONL {
            // The cleaner reads the first line as the title, so give it the record's own.
            let page = title.isEmpty ? text : title + "\n\n" + text
            let article = Cleaner.clean(Array(page.utf8), kind: .plainText)
            if title.isEmpty { title = article.title }
            body = article.body
            date = date ?? article.date
        }
        // Cleaning changes what is stored, so a record read with `--clean` is not the one read
        // without it, though the line is the same.
        try DocumentLimit.check(title: title, body: body, path: path, line: number)
        let cleaning: UInt64 = options.cleanJSONL ? 0x636C_6561_6E65_6400 : 0
        let source = SourceStamp(size: UInt64(line.count), contentHash: ContentHash.of(line) ^ cleaning)
        var input = DocumentInput(externalID: id, title: title, body: body, date: date, source: source, origin: origin)
        input.notes = notes
        return input
    }

    /// A line's fields, text and id, and whether its strings held bytes that are not UTF-8;
    /// throws what makes it no record.
    private static func parsed(_ line: [UInt8], path: String, line number: Int) throws
        -> (fields: [String: String], others: [String: JSONRecord.OtherValue], text: String, id: String, repairedUTF8: Bool) {
        let fields: [String: String]
        var others: [String: JSONRecord.OtherValue] = [:], repairedUTF8 = false
        do {
            fields = try JSONRecord.fields(line[...], others: &others, repairedUTF8: &repairedUTF8)
        } catch let e as JSONSyntaxError {
            throw IngestError(path: path, line: number, e.description)
        }
        guard let text = fields["text"] ?? fields["contents"] ?? fields["body"] else {
            if let key = ["text", "contents", "body"].first(where: { others[$0]?.isSkipped == true }) {
                throw IngestError(path: path, line: number, "record's \"\(key)\" is not a string (an object, array or null); skipped")
            }
            throw IngestError(path: path, line: number, "record has no \"text\" (or \"contents\") field; skipped")
        }
        // An id that is an object, an array or null names nothing: taken for a missing one, the
        // record had been indexed under FILE:LINE without a word. Nor does true or false, which
        // had been taken for the ids "true" and "false".
        let given = ["id", "_id"].first { fields[$0] != nil && others[$0] != .boolean }.flatMap { fields[$0] }
        if given == nil, let key = ["id", "_id"].first(where: { others[$0] != nil }) {
            throw IngestError(path: path, line: number, "record's \"\(key)\" is not a string or number; skipped")
        }
        let id = given ?? "\(path):\(number)"
        guard !id.isEmpty else { throw IngestError(path: path, line: number, "record has an empty \"id\"; skipped") }
        // Ids go to pipes NUL-terminated (`paths0`, which keeps ids with line breaks apart, as
        // file names may have them) and are given back to show and delete as arguments: an id
        // holding a NUL could be neither.
        guard !id.unicodeScalars.contains("\0") else {
            throw IngestError(path: path, line: number, "record's \"id\" holds a NUL; skipped")
        }
        return (fields, others, text, id, repairedUTF8)
    }
}

extension ArchiveWalker {
    /// Reads one page for `newsidx clean`, decompressed, and its kind: a file's by its extension;
    /// stdin (`-`) has none, so it is HTML when its first character other than white space is
    /// '<'. A JSON Lines file is refused (it had been printed back as one plain-text page).
    public static func loadPage(_ path: String) throws -> (bytes: [UInt8], kind: InputKind) {
        let fileKind = FileKind(path: path, explicit: true)
        if fileKind == .jsonLines && path != "-" {
            throw IngestError(path: path, "a JSON Lines file holds records, not a page (newsidx index --clean cleans each record's text)")
        }
        let bytes = try readPage(path)
        if looksBinary(bytes) { throw IngestError(path: path, "binary file (it has NUL bytes)") }
        return (bytes, inputKind(path == "-" ? .sniffed : fileKind ?? .sniffed, bytes))
    }

    /// How a page's bytes are cleaned: by its kind, or for one without a known extension by
    /// whether it reads as markup.
    static func inputKind(_ kind: FileKind, _ bytes: [UInt8]) -> InputKind {
        switch kind {
        case .html: return .html
        case .sniffed: return looksLikeMarkup(bytes) ? .html : .plainText
        case .plainText, .jsonLines: return .plainText
        }
    }

    /// Past white space and a byte order mark, a tag opens the text ('<' and a letter, '!' or
    /// '?') and a closing tag ("</") follows: a wire story opening "<Reuters> - Oil prices rose"
    /// is text, which '<' alone had read as a page and emptied (found by review). The whole
    /// file is searched: a page's first "</" can lie past 64 KiB of inline style (review).
    static func looksLikeMarkup(_ bytes: [UInt8]) -> Bool {
        guard let start = bytes.firstIndex(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }),
              bytes[start] == UInt8(ascii: "<"), start + 1 < bytes.count else { return false }
        let next = bytes[start + 1] | 0x20  // a letter in lower case
        guard (next >= UInt8(ascii: "a") && next <= UInt8(ascii: "z")) || bytes[start + 1] == UInt8(ascii: "!")
                || bytes[start + 1] == UInt8(ascii: "?") else { return false }
        let rest = bytes[start...]
        return zip(rest, rest.dropFirst()).contains { $0 == UInt8(ascii: "<") && $1 == UInt8(ascii: "/") }
    }
}

extension ArchiveWalker {
    /// Total bytes of the files `walk` would read under `paths` (for a progress ETA).
    public static func totalBytes(_ paths: [String]) -> Int {
        var total = 0
        var stack = paths.filter { $0 != "-" }
        while let path = stack.popLast() {
            var st = stat()
            guard stat(path, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFREG { total += Int(st.st_size); continue }
            guard (st.st_mode & S_IFMT) == S_IFDIR, let handle = opendir(path) else { continue }
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
                if !name.hasPrefix(".") { stack.append(path.hasSuffix("/") ? path + name : path + "/" + name) }
            }
            closedir(handle)
        }
        return total
    }
}
