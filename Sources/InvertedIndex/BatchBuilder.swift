// InvertedIndex: the in-memory inverted index of one batch, merged from analyzed documents.
// Owns the mapping from each worker's local term ids to the batch's field-qualified terms.
import Analysis

/// The words a worker's analyzer has seen, mirrored on the merging thread by local id,
/// so the merger never reads an analyzer that a worker may be writing to.
struct LocalVocabulary {
    var generation = -1
    var arena: [UInt8] = []
    var starts: [Int] = [0]

    mutating func record(_ doc: AnalyzedDocument) {
        if doc.generation != generation {
            generation = doc.generation
            arena.removeAll(keepingCapacity: true)
            starts = [0]
        }
        precondition(starts.count - 1 == doc.firstNewTerm, "worker vocabulary out of step")
        let base = arena.count
        arena.append(contentsOf: doc.newTermBytes)
        for end in doc.newTermEnds { starts.append(base + end) }
    }
}

/// Everything one batch will write: documents, and one entry per (field term, document).
/// Entries are appended in doc order; `arrangeForEncoding` groups them by term, keeping that order.
final class BatchBuilder {
    private(set) var keys = TermTable(capacity: 1 << 16)
    let entryTerm = GrowableBuffer<UInt32>(capacity: 1 << 20)
    let entryDoc = GrowableBuffer<UInt32>(capacity: 1 << 20)
    let entryTF = GrowableBuffer<UInt32>(capacity: 1 << 20)
    let entryLength = GrowableBuffer<UInt32>(capacity: 1 << 20)
    let entryPositionStart = GrowableBuffer<UInt32>(capacity: 1 << 20)
    let positions = GrowableBuffer<UInt32>(capacity: 1 << 22)
    private(set) var documents: [(id: UInt32, record: DocumentRecord, text: PendingText)] = []
    /// Dictionaries trained while this batch filled, written before its documents.
    var newDictionaries: [AdoptedDictionary] = []
    /// What compresses the documents whose text was kept as a training sample.
    var dictionary: TextDictionary?
    /// Documents to remove before this batch's are added (replaced versions, prunes, deletes).
    var removals: [UInt32] = []
    /// Ids of aliases to forget (deleted, or pruned with their file), before removals.
    var droppedAliases: [String] = []
    /// Unchanged documents whose file was touched: new stamps for their records.
    var restamps: [(doc: UInt32, source: SourceStamp)] = []
    /// Inputs identical to an indexed document, recorded so the next run skips them unread.
    var aliases: [(externalID: String, source: SourceStamp, canonical: UInt32)] = []
    /// JSON Lines files read whole, with their stamps, so an unchanged file is not read again.
    var files: [FinishedFile] = []
    /// JSON Lines files whose "read whole" entry goes, after `files`: a record of theirs was
    /// deleted, so the next run must read them again.
    var filesToReadAgain: [String] = []
    /// Numbers given to JSON Lines files first met in this batch (`OriginNumbers`).
    var origins: [(path: String, number: UInt32)] = []
    /// Words met in this batch whose stems differ from them, by word (`Format.TableName.words`).
    var stemmedWords: [[UInt8]: [UInt8]] = [:]
    /// Per worker and field: local term id -> batch term id + 1 (0 = not seen in this batch).
    private var localToBatch: [[UInt32]]
    private let fieldCount = Field.allCases.count

    init(workers: Int) {
        localToBatch = Array(repeating: [], count: workers * Field.allCases.count)
    }

    var isEmpty: Bool { documents.isEmpty && removals.isEmpty && droppedAliases.isEmpty && restamps.isEmpty && aliases.isEmpty && files.isEmpty
        && filesToReadAgain.isEmpty && origins.isEmpty && stemmedWords.isEmpty }
    var positionCount: Int { positions.count }

    func add(_ doc: AnalyzedDocument, id: UInt32, vocabulary: LocalVocabulary) {
        documents.append((id, doc.record, doc.storedText))
        addField(.text, doc.text, doc: id, worker: doc.worker, vocabulary: vocabulary)
        addField(.title, doc.title, doc: id, worker: doc.worker, vocabulary: vocabulary)
    }

    /// Forgets local ids of a worker whose analyzer started afresh.
    func resetWorker(_ worker: Int) {
        for f in 0..<fieldCount { localToBatch[worker * fieldCount + f].removeAll(keepingCapacity: true) }
    }

    private func addField(_ field: Field, _ grouped: GroupedTerms, doc: UInt32, worker: Int,
                          vocabulary: LocalVocabulary) {
        let mapIndex = worker * fieldCount + (field == .text ? 0 : 1)
        var p = 0
        grouped.positions.withUnsafeBufferPointer { allPositions in
            for (i, local) in grouped.localTerms.enumerated() {
                let term = batchTerm(Int(local), field: field, mapIndex: mapIndex, vocabulary: vocabulary)
                let tf = Int(grouped.tfs[i])
                entryTerm.append(term)
                entryDoc.append(doc)
                entryTF.append(UInt32(tf))
                entryLength.append(grouped.length)
                entryPositionStart.append(UInt32(positions.count))
                positions.append(contentsOf: UnsafeBufferPointer(rebasing: allPositions[p..<p + tf]))
                p += tf
            }
        }
    }

    @inline(__always)
    private func batchTerm(_ local: Int, field: Field, mapIndex: Int, vocabulary: LocalVocabulary) -> UInt32 {
        if local < localToBatch[mapIndex].count {
            let mapped = localToBatch[mapIndex][local]
            if mapped != 0 { return mapped - 1 }
        } else {
            localToBatch[mapIndex].append(contentsOf: repeatElement(0, count: local + 1 - localToBatch[mapIndex].count))
        }
        var key: [UInt8] = [field.rawValue]
        key.append(contentsOf: vocabulary.arena[vocabulary.starts[local]..<vocabulary.starts[local + 1]])
        let id = UInt32(key.withUnsafeBufferPointer { keys.intern($0) })
        localToBatch[mapIndex][local] = id + 1
        return id
    }

    /// The batch's terms in the byte order of their keys (LMDB's order). Sorted on the first
    /// eight bytes as one integer, and on the whole key only where those tie.
    func termsInKeyOrder() -> [Int32] {
        var heads = (0..<Int32(keys.count)).map { t in
            (head: keys.withBytes(t) { bytes -> UInt64 in
                var head: UInt64 = 0
                for i in 0..<8 { head = head << 8 | UInt64(i < bytes.count ? bytes[i] : 0) }
                return head
            }, term: t)
        }
        heads.sort { a, b in
            if a.head != b.head { return a.head < b.head }
            return keys.withBytes(a.term) { x in keys.withBytes(b.term) { y in x.lexicographicallyPrecedes(y) } }
        }
        return heads.map(\.term)
    }

    /// Puts the entries and their positions in the order the flush encodes them: term by term
    /// in `terms`' order, each term's entries in doc order. Returns where each term's entries
    /// start, plus the end. Read term by term from document order, nearly every entry and
    /// every position run missed the cache (the positions load was 94% of the encoder's time);
    /// here each array is read in order once and its values written to their new places:
    /// independent writes overlap where dependent reads stalled.
    func arrangeForEncoding(termOrder terms: [Int32]) -> [Int] {
        // A counting sort: each term's first place follows the entries of the terms before it,
        // and entries, visited in doc order, take their term's next place.
        var entriesOfTerm = [Int](repeating: 0, count: keys.count)
        for i in 0..<entryTerm.count { entriesOfTerm[Int(entryTerm[i])] += 1 }
        var nextPlace = [Int](repeating: 0, count: keys.count)
        var firstEntry: [Int] = []
        firstEntry.reserveCapacity(terms.count + 1)
        var placed = 0
        for t in terms {
            firstEntry.append(placed)
            nextPlace[Int(t)] = placed
            placed += entriesOfTerm[Int(t)]
        }
        firstEntry.append(placed)
        precondition(placed == entryTerm.count, "every term of the batch is in the order once")
        var destination = [UInt32](repeating: 0, count: entryTerm.count)
        for i in 0..<entryTerm.count {
            let t = Int(entryTerm[i])
            destination[i] = UInt32(nextPlace[t])
            nextPlace[t] += 1
        }
        arrangePositions(destination)
        for values in [entryDoc, entryTF, entryLength] { permute(values, to: destination) }
        return firstEntry
    }

    /// Moves each entry's positions run to where entry `destination[i]` will find it, and
    /// points the entries (in their new order) at their runs.
    private func arrangePositions(_ destination: [UInt32]) {
        let entries = destination.count
        var newStart = [UInt32](repeating: 0, count: entries)
        for i in 0..<entries { newStart[Int(destination[i])] = entryTF[i] }
        var sum: UInt32 = 0
        for k in 0..<entries {
            let tf = newStart[k]
            newStart[k] = sum
            sum += tf
        }
        let arranged = UnsafeMutablePointer<UInt32>.allocate(capacity: max(positions.count, 1))
        defer { arranged.deallocate() }
        for i in 0..<entries {
            (arranged + Int(newStart[Int(destination[i])])).initialize(
                from: positions.base + Int(entryPositionStart[i]), count: Int(entryTF[i]))
        }
        positions.base.update(from: arranged, count: positions.count)
        for k in 0..<entries { entryPositionStart[k] = newStart[k] }
    }

    private func permute(_ values: GrowableBuffer<UInt32>, to destination: [UInt32]) {
        var moved = [UInt32](repeating: 0, count: destination.count)
        for i in 0..<destination.count { moved[Int(destination[i])] = values[i] }
        for k in 0..<moved.count { values[k] = moved[k] }
    }
}
