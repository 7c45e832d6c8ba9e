// InvertedIndex: the on-disk format of a newsidx index in LMDB, its writer and its reader.
// Owns table names, key layouts, the format version and the collection statistics.

import Analysis

/// Names and layouts of the LMDB tables. ARCHITECTURE.md lists the same; keep both true.
public enum Format {
    /// Bumped on any change a reader of the previous version would misread.
    public static let version = "newsidx-index-13"
    /// The format before Chinese and Japanese were indexed a character at a position with
    /// their pairs stacked on them: the same tables, with such text in runs from punctuation to
    /// punctuation. Still read and added to as it is (`EastAsianTerms.runs`), so an index need
    /// not be rebuilt; the new number keeps a newsidx of format 12 from adding runs to an index
    /// of pairs, whose queries would not find them.
    public static let runsVersion = "newsidx-index-12"

    /// How an index of format `format` cuts Chinese and Japanese; nil for a format not read.
    public static func eastAsianTerms(_ format: String) -> EastAsianTerms? {
        format == version ? .pairs : format == runsVersion ? .runs : nil
    }

    public enum TableName {
        public static let meta = "meta"
        public static let terms = "terms"
        public static let postings = "postings"
        public static let positions = "positions"
        public static let docs = "docs"
        public static let ids = "ids"
        public static let norms = "norms"
        public static let text = "text"
        public static let hashes = "hashes"
        public static let aliases = "aliases"
        public static let origins = "origins"
        public static let all = [meta, terms, postings, positions, docs, ids, norms, text, hashes, aliases, origins]
        /// Word to stem, for words whose stem differs: a prefix search on a stemmed index finds
        /// the stems of the words it begins through it. Added to format 13 without a new
        /// version: an index written before has none until a run adds to it.
        public static let words = "words"
        /// Opened where they exist, created with the others.
        public static let optional = [words]
    }

    /// The `meta` key and value saying `words` has held every word since the index was empty.
    public static let wordsMetaKey = "words"
    public static let wordsComplete = "every document"

    /// Documents per posting block; a block is one LMDB value.
    public static let blockSize = 128
    /// Documents per norms chunk (12 bytes each: 1.5 KiB, inside one page).
    public static let normsChunk = 128
    /// A positions value takes at most this (a block closes early), so it never needs overflow
    /// pages: with its 8-byte key and LMDB's 8-byte node header and 2-byte pointer, two such
    /// values fill a 4 KiB page exactly.
    public static let maxPositionsBytes = 2_022
    /// A term whose only block (posting and positions values together) is at most this large
    /// keeps it in its `terms` value (`InlineBlock`).
    public static let maxInlineBlockBytes = 256
    /// Body positions start one past the title's end: the empty slot keeps phrases from
    /// spanning title and body; proximity windows are split at the title's length instead.
    public static let bodyPositionGap: UInt32 = 1
    /// The largest NEAR/ADJ distance a query may ask for. At any distance a window stays on
    /// one side of the title's end: windows are split there, not kept apart by a position gap.
    public static let maxNearDistance = 100_000
}

/// The fields a term can be indexed under. `text` holds title and body; `title` the title alone.
public enum Field: UInt8, Sendable, CaseIterable {
    case text = 0x01
    case title = 0x02

    public var name: String { self == .text ? "text" : "title" }
}

/// Collection statistics kept in `meta` under "stats", updated with every batch.
public struct CollectionStats: Equatable, Sendable {
    public var documents: UInt64 = 0
    public var textLength: UInt64 = 0
    public var titleLength: UInt64 = 0
    public var nextDocID: UInt32 = 0
    public var nextTermID: UInt32 = 0

    public init() {}

    public func averageLength(_ field: Field) -> Double {
        guard documents > 0 else { return 1 }
        let total = field == .text ? textLength : titleLength
        return max(Double(total) / Double(documents), 1e-9)
    }

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.varint(documents); w.varint(textLength); w.varint(titleLength)
        w.varint(UInt64(nextDocID)); w.varint(UInt64(nextTermID))
        return w.bytes
    }

    static func decode(_ raw: UnsafeRawBufferPointer) throws -> CollectionStats {
        var r = ByteReader(raw)
        var s = CollectionStats()
        s.documents = try r.varint(); s.textLength = try r.varint(); s.titleLength = try r.varint()
        s.nextDocID = UInt32(try r.varint()); s.nextTermID = UInt32(try r.varint())
        return s
    }
}

/// Keys are big-endian so LMDB's byte order is numeric order.
enum Keys {
    static func docID(_ id: UInt32) -> [UInt8] { bigEndian(id) }

    /// Posting and position blocks: term id, then the last doc id in the block.
    static func block(term: UInt32, lastDoc: UInt32) -> [UInt8] { bigEndian(term) + bigEndian(lastDoc) }

    static func term(_ field: Field, _ term: [UInt8]) -> [UInt8] { [field.rawValue] + term }

    static func hash(_ h: UInt64) -> [UInt8] { bigEndian(UInt32(h >> 32)) + bigEndian(UInt32(h & 0xFFFF_FFFF)) }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    static func readBigEndian(_ raw: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt32 {
        (UInt32(raw[offset]) << 24) | (UInt32(raw[offset + 1]) << 16)
            | (UInt32(raw[offset + 2]) << 8) | UInt32(raw[offset + 3])
    }
}
