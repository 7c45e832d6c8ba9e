// InvertedIndex: opening an index directory: the LMDB environment, its tables and its metadata.
// Owns the format-version check and the errors a person sees when an index is missing or foreign.
import Analysis
import Storage
#if canImport(Glibc)
import Glibc
#endif

public enum IndexError: Error, CustomStringConvertible {
    case missing(path: String)
    case wrongVersion(path: String, found: String)
    case stemmerMismatch(path: String, existing: String, requested: String)
    case notADirectory(path: String)
    /// The index folder cannot be made or its lock opened (permissions, a missing disk): the
    /// index, if any, is not damaged.
    case unusable(path: String, problem: String)
    case storage(LMDBError, path: String)
    /// The data file is shorter than its last commit (a partial copy, a full disk).
    case truncated(path: String, bytes: Int, needed: Int)
    /// An LMDB environment another program made (its main table names none of newsidx's
    /// tables), or newsidx's tables without the format record: writing there would destroy
    /// what it holds.
    case foreign(path: String, what: String)
    case corrupt(String)

    public var description: String {
        switch self {
        case let .missing(path):
            return "no index at \(path); create one with: newsidx index --index \(path) PATH..."
        case let .wrongVersion(path, found):
            return "index at \(path) has format '\(found)', this newsidx reads '\(Format.version)' and '\(Format.runsVersion)'; rebuild it"
        case let .stemmerMismatch(path, existing, requested):
            return "index at \(path) was built with --stemmer \(existing), not \(requested); use a new --index folder to change it"
        case let .notADirectory(path):
            return "\(path) is not a directory; give --index a folder for the index"
        case let .unusable(path, problem):
            return "\(path): \(problem)"
        case let .storage(error, path):
            if (error.code == ENOSPC || error.code == EIO) && freeBytes(path) < 16 << 20 {
                return "\(path): the disk is full (\(error)); the index keeps its last committed state; free space and run the command again"
            }
            return "\(path): \(error)"
        case let .truncated(path, bytes, needed):
            return "\(path)/data.mdb is shorter than its last commit says it is (\(bytes) bytes, \(needed) needed): the file was cut short, "
                + "or the header that records its size is damaged; restore it or rebuild the index"
        case let .corrupt(what):
            return "index data is corrupt: \(what)"
        case let .foreign(path, what):
            return "\(path) holds an LMDB database that is no newsidx index (\(what)); it is left as it is: give --index another folder"
        }
    }
}

/// What damage to the index's data an error reports, without the "index data is corrupt"
/// prefix; nil for any other error (a missing, foreign or truncated index, an LMDB failure).
public func indexDamage(_ error: Error) -> String? {
    switch error {
    case let format as FormatError: return format.what
    case let IndexError.corrupt(what): return what
    default: return nil
    }
}

/// The `meta` table's short values by key (a few, compared by name: see `NamedTables`).
struct MetaValues {
    var entries: [(key: String, value: String)] = []

    subscript(key: String) -> String? {
        for e in entries where e.key == key { return e.value }
        return nil
    }
}

/// An opened index: environment, tables, and what `meta` says about it.
public final class IndexStore {
    public let path: String
    let env: Environment
    let tables: NamedTables
    public let stemmer: String
    /// Its `meta` format: `Format.version`, or `Format.runsVersion` for an index made before.
    public let format: String
    /// How its Chinese and Japanese text was cut into terms; queries cut theirs the same way.
    public let eastAsian: EastAsianTerms
    /// Whether `words` has held every indexed word since the index was empty (its `meta` key
    /// `words`): a prefix then needs no other way to reach a stem. An index that gained the
    /// table later lacks the words of documents written before.
    public let wordsCoverEveryDocument: Bool

    func table(_ name: String) -> Table { tables[name]! }
    /// One of `Format.TableName.optional`, when the index has it.
    func optionalTable(_ name: String) -> Table? { tables[name] }
    /// The names of the tables this index holds, optional ones included.
    var tableNames: [String] { Format.TableName.all + Format.TableName.optional.filter { tables[$0] != nil } }

    /// Opens an existing index for reading (and writing unless `readOnly`).
    ///
    /// An index whose first `index` run was killed before its first commit (an empty file, or
    /// no tables or format yet) is reported as missing, with how to create it. A read-only index
    /// on a folder this process cannot write (LMDB wants to write `lock.mdb`) is opened without
    /// LMDB's reader lock table, which is safe as long as nothing writes to it meanwhile.
    public static func open(path: String, readOnly: Bool) throws -> IndexStore {
        // A file there holds no index, and `newsidx index --index` cannot make one in it.
        if access(path, F_OK) == 0 && !isDirectory(path) { throw IndexError.notADirectory(path: path) }
        var data = stat()
        guard stat(path + "/data.mdb", &data) == 0 else {
            // There but unreadable (a symlink loop, a path too long): "no index" had hidden why.
            if errno != ENOENT && errno != ENOTDIR {
                throw IndexError.unusable(path: path + "/data.mdb", problem: String(cString: strerror(errno)))
            }
            throw IndexError.missing(path: path)
        }
        guard data.st_size > 0 else { throw IndexError.missing(path: path) }
        do {
            var options = Environment.Options()
            options.readOnly = readOnly
            let env: Environment
            do {
                env = try Environment(path: path, options: options)
            } catch let e as LMDBError where readOnly && (e.code == EACCES || e.code == EROFS) {
                options.noLock = true
                env = try Environment(path: path, options: options)
            }
            try checkNotTruncated(env, path: path)
            let tables: NamedTables
            do {
                tables = try env.openTables(Format.TableName.all, optional: Format.TableName.optional, create: false)
            } catch let e as LMDBError where e.isNotFound {
                // An index of an older format may lack a table added since: its format says so.
                let meta = try? env.openTables([Format.TableName.meta], create: false)[Format.TableName.meta]
                if let meta, let format = try readMeta(env: env, table: meta)["format"], Format.eastAsianTerms(format) == nil {
                    throw IndexError.wrongVersion(path: path, found: format)
                }
                // Another program's database is no missing index: `index` will not make one there.
                try refuseForeignData(env, path: path)
                throw IndexError.missing(path: path)
            }
            let meta = try readMeta(env: env, table: tables[Format.TableName.meta]!)
            guard let format = meta["format"] else {
                try refuseForeignData(env, path: path)
                throw IndexError.missing(path: path)
            }
            guard let eastAsian = Format.eastAsianTerms(format) else { throw IndexError.wrongVersion(path: path, found: format) }
            return IndexStore(path: path, env: env, tables: tables, stemmer: meta["stemmer"] ?? "none", format: format,
                              eastAsian: eastAsian, wordsComplete: meta[Format.wordsMetaKey] == Format.wordsComplete)
        } catch let error as LMDBError {
            throw IndexError.storage(error, path: path)
        }
    }

    /// Opens the index for writing, creating it with `stemmer` when it does not exist yet.
    public static func openOrCreate(path: String, stemmer: String?, deferSync: Bool) throws -> IndexStore {
        if !fileExists(path) { mkdir(path, 0o755) }
        guard isDirectory(path) else { throw IndexError.notADirectory(path: path) }
        do {
            var options = Environment.Options()
            options.deferSync = deferSync
            let env = try Environment(path: path, options: options)
            try checkNotTruncated(env, path: path)
            try checkFreePages(env)
            env.clearStaleReaders()  // slots of killed readers would pin old pages forever
            try refuseForeignData(env, path: path)
            // Tables and format are created in one commit: a kill leaves all of them or none.
            // Packing by a binary that knew no `words` table drops it (and keeps `meta`); made
            // again here, it lacks the words of every document already indexed, so the key that
            // says otherwise goes in the commit that makes it: a kill cannot part the two.
            let hadWords = try env.openTables([], optional: [Format.TableName.words], create: false)[Format.TableName.words] != nil
            let wordsKey = Array(Format.wordsMetaKey.utf8)
            let fresh = [("format", Format.version), ("stemmer", stemmer ?? "english"), (Format.wordsMetaKey, Format.wordsComplete)]
            let tables = try env.openTables(Format.TableName.all, optional: Format.TableName.optional, create: true) { txn, tables in
                let metaTable = tables[Format.TableName.meta]!
                guard try txn.get(metaTable, Array("format".utf8)) == nil else {
                    if !hadWords { _ = try txn.delete(metaTable, wordsKey) }
                    return
                }
                for (k, v) in fresh { try txn.put(metaTable, Array(k.utf8), Array(v.utf8)) }
            }
            let meta = try readMeta(env: env, table: tables[Format.TableName.meta]!)
            var format = meta["format"] ?? "none"
            guard var eastAsian = Format.eastAsianTerms(format) else { throw IndexError.wrongVersion(path: path, found: format) }
            var existing = meta["stemmer"] ?? "none"
            let empty = try holdsNothing(env, tables)
            if let stemmer, stemmer != existing {
                guard empty else {
                    throw IndexError.stemmerMismatch(path: path, existing: existing, requested: stemmer)
                }
                try env.write { try $0.put(tables[Format.TableName.meta]!, Array("stemmer".utf8), Array(stemmer.utf8)) }
                existing = stemmer
            }
            // An index made before pairs keeps its runs; one that holds nothing yet can change.
            if format != Format.version && empty {
                try env.write { try $0.put(tables[Format.TableName.meta]!, Array("format".utf8), Array(Format.version.utf8)) }
                format = Format.version
                eastAsian = .pairs
            }
            // An index that holds nothing yet has every word its documents will bring.
            let wordsComplete = meta[Format.wordsMetaKey] == Format.wordsComplete
            if empty && !wordsComplete {
                try env.write { try $0.put(tables[Format.TableName.meta]!, wordsKey, Array(Format.wordsComplete.utf8)) }
            }
            return IndexStore(path: path, env: env, tables: tables, stemmer: existing, format: format, eastAsian: eastAsian,
                              wordsComplete: wordsComplete || empty)
        } catch let error as LMDBError {
            throw IndexError.storage(error, path: path)
        }
    }

    /// Another program's LMDB environment in the folder: `index` had created its tables beside
    /// that program's keys and packed the file, keeping only its own (1,000 keys lost; found by
    /// a fault QA helper). Its main table holds keys and names none of newsidx's tables; a key
    /// beside newsidx's tables is damage to the index, for `check` to report (taken for another
    /// program's, it had made `check` refuse the index; review). Tables that hold documents
    /// without their format record are damage too, not a new index.
    private static func refuseForeignData(_ env: Environment, path: String) throws {
        let ours = Set(Format.TableName.all + Format.TableName.optional)
        let keys = try env.read { try $0.mainTableKeys() }
        let named = keys.filter { ours.contains(String(decoding: $0, as: UTF8.self)) }
        if named.isEmpty, let other = keys.first {
            let name = IntegrityCheck.printable(other.prefix(40))
            throw IndexError.foreign(path: path, what: "it has a key '\(name)' that names no table of newsidx")
        }
        guard keys.contains(Array(Format.TableName.meta.utf8)) else { return }
        let tables = try env.openTables([], optional: Format.TableName.all + Format.TableName.optional, create: false)
        let holdsDocuments = try env.read { txn in
            try [Format.TableName.terms, Format.TableName.docs, Format.TableName.aliases].contains {
                try tables[$0].map { try txn.stats($0).entries > 0 } ?? false
            }
        }
        guard holdsDocuments, try readMeta(env: env, table: tables[Format.TableName.meta]!)["format"] == nil else { return }
        throw IndexError.foreign(path: path, what: "its tables hold documents but no format record: a damaged index; index the sources again into a new --index folder")
    }

    /// No word, document or copy yet (a first run that read nothing, as for a path that did not
    /// exist): its stemmer can still be chosen, where it had been fixed by that failed run.
    private static func holdsNothing(_ env: Environment, _ tables: NamedTables) throws -> Bool {
        try env.read { txn in
            try [Format.TableName.terms, Format.TableName.docs, Format.TableName.aliases].allSatisfy {
                try txn.stats(tables[$0]!).entries == 0
            }
        }
    }

    private init(path: String, env: Environment, tables: NamedTables, stemmer: String, format: String,
                 eastAsian: EastAsianTerms, wordsComplete: Bool) {
        self.format = format
        self.eastAsian = eastAsian
        wordsCoverEveryDocument = tables[Format.TableName.words] != nil && wordsComplete
        self.path = path
        self.env = env
        self.tables = tables
        self.stemmer = stemmer
    }

    private static func checkNotTruncated(_ env: Environment, path: String) throws {
        let needed = try env.requiredFileSize()
        let actual = try env.openedFileSize()
        if actual >= 0 && actual < needed {
            throw IndexError.truncated(path: path, bytes: actual, needed: needed)
        }
    }

    static func readMeta(env: Environment, table: Table) throws -> MetaValues {
        try env.read { txn in
            var out = MetaValues()
            let cursor = try txn.cursor(table)
            var entry = try cursor.first()
            while let e = entry {
                let key = String(decoding: e.key, as: UTF8.self)
                // Dictionaries are large and read only when text is decompressed.
                if key != "stats" && !TextDictionaryStore.isDictionaryKey(key) {
                    out.entries.append((key, String(decoding: e.value, as: UTF8.self)))
                }
                entry = try cursor.next()
            }
            return out
        }
    }

    /// A value from `meta` ("format", "stemmer", "updated"), as text.
    public func metaValue(_ key: String) -> String? {
        try? env.read { txn in
            try txn.get(table(Format.TableName.meta), Array(key.utf8)).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    func readStats(_ txn: Transaction) throws -> CollectionStats {
        guard let raw = try txn.get(table(Format.TableName.meta), Array("stats".utf8)) else { return CollectionStats() }
        return try CollectionStats.decode(raw)
    }

    func writeStats(_ stats: CollectionStats, _ txn: Transaction) throws {
        try txn.put(table(Format.TableName.meta), Array("stats".utf8), stats.encoded())
    }

    /// Records when the index last changed (seconds since 1970), shown by `stats`.
    func writeUpdateTime(_ txn: Transaction) throws {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        try txn.put(table(Format.TableName.meta), Array("updated".utf8), Array(String(ts.tv_sec).utf8))
    }

    /// Bytes used per table, for `stats`.
    public func tableSizes() throws -> [(name: String, entries: Int, bytes: Int)] {
        try env.read { txn in
            try tableNames.map { name in
                let s = try txn.stats(table(name))
                return (name, s.entries, s.bytes)
            }
        }
    }

    /// Drops the writer's mappings of index pages once the process has more than
    /// `residentFileLimit` bytes of files resident. Writers read the index at random (term and
    /// id lookups, continued blocks) and every read fault maps up to 16 neighbouring pages:
    /// held, they were a fifth of the peak memory on five copies of news-combined.
    func releaseWriterMappedPagesIfLarge() {
        env.releaseMappedPages(ifResidentFileBytesExceed: Self.residentFileLimit)
    }

    /// The program's own code makes about 9 MB of it.
    static let residentFileLimit = 32 << 20

    /// For a reader that will answer many queries (`search --batch`): parts of the index read
    /// from disk from now on come in 2 MiB pieces (`Environment.adviseHugePages`).
    public func adviseHugePagesForManyQueries() {
        env.adviseHugePages()
    }

    public func sync() throws {
        do { try env.sync() } catch let e as LMDBError { throw IndexError.storage(e, path: path) }
    }
}

/// A writer takes pages from LMDB's free list: a damaged one would hand out pages still in
/// use, and the write would damage the tables it touched (reads never look at the list).
private func checkFreePages(_ env: Environment) throws {
    let pageCount = try env.requiredFileSize() / env.pageSize
    if let problem = try env.read({ try $0.freePages(pageCount: pageCount) }).problems.first {
        throw IndexError.corrupt("LMDB's free-page list: \(problem); writing would reuse pages still in use")
    }
}

func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

/// Bytes available to this user on the filesystem holding `path` (Int.max when unknown).
func freeBytes(_ path: String) -> Int {
    var st = statvfs()
    guard statvfs(path, &st) == 0 else { return Int.max }
    return Int(st.f_bavail) * Int(st.f_frsize)
}

func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}
