// Storage: how LMDB fills leaf pages with entries appended in key order, so long values can be cut to fill them.
// Owns the leaf layout arithmetic of LMDB 0.9 (page header, node header, slots, overflow limit).

/// LMDB 0.9 lays out a leaf page as a 16-byte header, a 2-byte slot per entry, and per entry a
/// node: 8 header bytes, the key and the value, rounded up to an even size. A node larger than
/// about half the page goes to overflow pages instead. An entry appended (MDB_APPEND) that does
/// not fit on the last page starts a new page by itself, so the old page keeps its gap.
///
/// This follows the free bytes of a table's last leaf page as parts are appended. Whether an
/// append started a page is read from LMDB's page count (`Transaction.leafPages`), not guessed;
/// until the first page start is seen, the free bytes are unknown.
public struct LeafPageFill {
    private let usable: Int
    private let nodeLimit: Int
    /// Free bytes on the last leaf page; nil while unknown.
    public private(set) var room: Int?

    public init(pageSize: Int) {
        usable = pageSize - 16
        nodeLimit = ((usable / 2) & ~1) - 2
    }

    /// The largest value (under a key of `keySize` bytes) kept on a leaf page, not in overflow pages.
    public func largestValue(keySize: Int) -> Int { nodeLimit - 8 - keySize }

    /// The largest value that still fits on the last leaf page (0 when none does); nil when unknown.
    public func valueFittingLastPage(keySize: Int) -> Int? {
        room.map { max(0, min($0 - 2 - 8 - keySize, largestValue(keySize: keySize))) }
    }

    /// Notes an appended entry, and whether it started a new leaf page.
    public mutating func appended(keySize: Int, valueSize: Int, startedPage: Bool) {
        let taken = ((8 + keySize + valueSize + 1) & ~1) + 2
        if startedPage {
            room = usable - taken
        } else if let r = room {
            room = r - taken
        }
    }
}

extension Transaction {
    /// Appends an entry in key order (MDB_APPEND) and notes it in `fill`, reading from LMDB's
    /// page count whether it started a page.
    public func append(_ table: Table, _ key: [UInt8], _ value: [UInt8], noting fill: inout LeafPageFill) throws {
        let pagesBefore = try leafPages(table)
        try put(table, key, value, flags: .append)
        fill.appended(keySize: key.count, valueSize: value.count, startedPage: try leafPages(table) > pagesBefore)
    }
}
