// InvertedIndex: packing: rewriting the data file with full pages once it has grown loose.
// Owns when to pack, and how each table is copied (text and terms blocks cut again to fill pages).
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// The folder a packing copy is made in: the packed environment's two files and the final copy.
private struct PackingScratch {
    let folder: String
    var packedData: String { folder + "/data.mdb" }
    var packedLock: String { folder + "/lock.mdb" }
    var finalCopy: String { folder + "/data.mdb.copy" }

    init(indexPath: String) { folder = indexPath + "/.pack" }
}

extension IndexStore {
    /// Rewrites the data file packed, when its pages hold much less than they could.
    ///
    /// LMDB never shrinks its file: pages freed by updates wait on a free list, and pages split
    /// by inserts stay part empty. When the free pages or the growth since the last packing pass
    /// a threshold, every table is copied in key order into a new file (full pages, no free
    /// list), which is copied once more in 2 MiB pieces (`DataFileCopy`, for readers' mappings)
    /// and then replaces the old one atomically (rename). Readers that have the old file open
    /// keep their consistent snapshot of it; the caller must hold the writer lock, so no other
    /// writer has the old file open. Returns whether it packed.
    /// `stop` is asked as the copy goes; when it says so, packing ends with `CopyStopped` and
    /// the file stays as it was.
    @discardableResult
    public func packIfWorthIt(slack: Double = 0.15, stop: () -> Bool = { false }) throws -> Bool {
        do {
            let usage = try env.pageUsage()
            let live = usage.used - usage.free
            let stats = try env.read { try readStats($0) }
            let meta = try IndexStore.readMeta(env: env, table: table(Format.TableName.meta))
            let packedPages = Double(meta["packed-pages"] ?? "") ?? 0
            let packedDocs = max(Double(meta["packed-documents"] ?? "") ?? 1, 1)
            let expected = packedPages * max(1, Double(stats.documents) / packedDocs)
            let wasted = Double(usage.free) > slack * Double(usage.used)
                || (packedPages > 0 && Double(live) > (1 + slack) * expected)
            guard usage.used > 16, wasted || packedPages == 0 else { return false }
            try env.write { txn in
                try txn.put(table(Format.TableName.meta), Array("packed-documents".utf8), Array(String(stats.documents).utf8))
            }
            try replaceWithPackedCopy(liveBytes: live * env.pageSize, stop: stop)
            return true
        } catch let e as LMDBError {
            throw IndexError.storage(e, path: path)
        }
    }

    /// Packs into a scratch folder, then renames the synced final copy over `data.mdb`. On
    /// failure the scratch files go (the final copy's head start alone may be a gigabyte of
    /// zeros), and the old file stays as it was. The packed copy needs at most `liveBytes`; the
    /// final copy gets a head start of zeros only where the disk holds both beside the old file
    /// with room to spare, so a nearly full disk needs no more than packing did before.
    private func replaceWithPackedCopy(liveBytes: Int, stop: () -> Bool) throws {
        let scratch = PackingScratch(indexPath: path)
        func removeScratch() { Self.removePackingLeftovers(indexPath: path) }
        removeScratch()
        guard mkdir(scratch.folder, 0o755) == 0 || errno == EEXIST else {
            // Said as it is: the copy inside had failed next with "No such file or directory".
            throw IndexError.storage(LMDBError(code: errno, operation: "create \(scratch.folder)"), path: path)
        }
        do {
            let room = freeBytes(path) - 2 * liveBytes - (64 << 20)
            let final = try DataFileCopy(path: scratch.finalCopy, following: scratch.packedData, headStartBytes: max(room, 0))
            let refilled = [Format.TableName.text, Format.TableName.terms]
            try env.packedCopy(tables: tableNames.filter { !refilled.contains($0) }, to: scratch.folder, stop: stop)
            try copyTextRefilled(to: scratch.folder, stop: stop)
            try copyTermsRefilled(to: scratch.folder, stop: stop)
            try recordPackedSize(scratch.folder)
            if stop() { throw CopyStopped() }
            try final.copy(from: scratch.packedData)
            guard rename(scratch.finalCopy, path + "/data.mdb") == 0 else {
                throw IndexError.corrupt("cannot replace \(path)/data.mdb with its packed copy: \(String(cString: strerror(errno)))")
            }
        } catch {
            removeScratch()
            throw error
        }
        removeScratch()
    }

    /// Removes what a writer killed while packing left behind: up to twice the index's size.
    /// The caller holds the writer lock, so no packing is under way.
    public static func removePackingLeftovers(indexPath: String) {
        let scratch = PackingScratch(indexPath: indexPath)
        for f in [scratch.packedData, scratch.packedLock, scratch.finalCopy] { unlink(f) }
        rmdir(scratch.folder)
    }

    /// Copies the `text` table into the packed copy with each document's parts joined and cut
    /// again to fill the new pages: copied as they are, parts cut to fill pages before deleted
    /// documents closed the gaps would no longer line up with the pages.
    private func copyTextRefilled(to directory: String, stop: () -> Bool) throws {
        try copyRefilled(Format.TableName.text, to: directory, stop: stop) { entry, cursor, txn, out, fill in
            guard let e = entry else { return nil }
            let (doc, bytes, next) = try TextChunks.readDocument(at: e, cursor: cursor)
            try TextChunks.append(doc, bytes, txn: txn, table: out, fill: &fill)
            entry = next
            return bytes.count
        }
    }

    /// Copies the `terms` table into the packed copy cut again into blocks that fill its pages
    /// (`TermBlockRecutter`).
    private func copyTermsRefilled(to directory: String, stop: () -> Bool) throws {
        var terms = TermBlockRecutter()
        try copyRefilled(Format.TableName.terms, to: directory, stop: stop) { entry, cursor, txn, out, fill in
            while !terms.holdsEnough, let e = entry {
                try terms.add(blockKey: e.key, value: e.value)
                entry = try cursor.next()
            }
            if terms.isEmpty { return nil }
            let block = terms.nextBlock { fill.valueFittingLastPage(keySize: $0) }
            try txn.append(out, block.key, block.value, noting: &fill)
            return block.key.count + block.value.count
        }
    }

    /// Copies table `name` into the packed copy in commits of about `commitBytes`: `step`
    /// appends what comes next from the source cursor (at `entry`, which it moves on) and
    /// returns the bytes it wrote, or nil when the table is done.
    private func copyRefilled(
        _ name: String, to directory: String, commitBytes: Int = 1 << 20, stop: () -> Bool,
        step: (_ entry: inout Entry?, Cursor, Transaction, Table, inout LeafPageFill) throws -> Int?
    ) throws {
        var options = Environment.Options()
        options.deferSync = true
        let target = try Environment(path: directory, options: options)
        let out = try target.openTables([name], create: true)[name]!
        var fill = LeafPageFill(pageSize: target.pageSize)
        try env.read { source in
            let cursor = try source.cursor(table(name))
            var entry = try cursor.first()
            var done = false
            while !done {
                if stop() { throw CopyStopped() }
                try target.write { txn in
                    defer { env.releaseMappedPages() }
                    var written = 0
                    while written < commitBytes {
                        guard let bytes = try step(&entry, cursor, txn, out, &fill) else {
                            done = true
                            return
                        }
                        written += bytes
                    }
                }
            }
        }
    }

    /// Notes the packed copy's page count in its own meta table, as the baseline for growth.
    ///
    /// Written in two commits, so that both of the file's meta pages describe the finished
    /// copy. LMDB picks a reader's meta page by the parity of the commit number in `lock.mdb`,
    /// which is not reset while any process keeps the index open (a `--batch` coprocess): for
    /// the next writer or reader of the renamed copy, that number is the old file's, and either
    /// page may be taken. With one commit, the other page was the copy before this entry.
    private func recordPackedSize(_ directory: String) throws {
        var options = Environment.Options()
        options.deferSync = true
        let packed = try Environment(path: directory, options: options)
        let pages = try packed.pageUsage().used
        let meta = try packed.openTables([Format.TableName.meta], create: false)[Format.TableName.meta]!
        for _ in 0..<2 { try packed.write { try $0.put(meta, Array("packed-pages".utf8), Array(String(pages).utf8)) } }
    }
}
