// InvertedIndex: the in-memory inverted index of one batch, merged from analyzed documents.
// Owns the mapping from each worker's local term ids to the batch's field-qualified terms.
import Analysis

/// One term's postings within a batch, in doc-id order.
final class BatchPostings {
    var docs: [UInt32] = []
    var tfs: [UInt32] = []
    var lengths: [UInt32] = []
    var positions: [UInt32] = []
}

/// Everything one batch will write: documents, and postings per (field, term).
final class BatchBuilder {
    private(set) var keys = TermTable(capacity: 1 << 16)
    private(set) var postings: [BatchPostings] = []
    private(set) var documents: [(id: UInt32, record: DocumentRecord, text: [UInt8])] = []
    private(set) var positionCount = 0
    private(set) var textBytes = 0
    /// Per worker and field: local term id -> batch term id, -1 when not seen yet.
    private var localMaps: [[Int32]] = []
    private var mapGenerations: [Int] = []
    private let analyzers: [Analyzer]

    init(analyzers: [Analyzer]) {
        self.analyzers = analyzers
        localMaps = Array(repeating: [], count: analyzers.count * Field.allCases.count)
        mapGenerations = Array(repeating: -1, count: analyzers.count)
    }

    var isEmpty: Bool { documents.isEmpty }

    func add(_ doc: AnalyzedDocument, id: UInt32) {
        if mapGenerations[doc.worker] != doc.generation {
            for f in 0..<Field.allCases.count { localMaps[doc.worker * Field.allCases.count + f] = [] }
            mapGenerations[doc.worker] = doc.generation
        }
        documents.append((id, doc.record, doc.compressedText))
        textBytes += doc.compressedText.count
        addField(.text, doc.text, doc: id, worker: doc.worker)
        addField(.title, doc.title, doc: id, worker: doc.worker)
    }

    private func addField(_ field: Field, _ grouped: GroupedTerms, doc: UInt32, worker: Int) {
        let mapIndex = worker * Field.allCases.count + Int(field == .text ? 0 : 1)
        var p = 0
        for (i, local) in grouped.localTerms.enumerated() {
            let target = batchTerm(local, field: field, mapIndex: mapIndex, worker: worker)
            let list = postings[Int(target)]
            let tf = grouped.tfs[i]
            list.docs.append(doc)
            list.tfs.append(tf)
            list.lengths.append(grouped.length)
            list.positions.append(contentsOf: grouped.positions[p..<p + Int(tf)])
            p += Int(tf)
        }
        positionCount += grouped.positions.count
    }

    private func batchTerm(_ local: Int32, field: Field, mapIndex: Int, worker: Int) -> Int32 {
        if Int(local) < localMaps[mapIndex].count, localMaps[mapIndex][Int(local)] >= 0 {
            return localMaps[mapIndex][Int(local)]
        }
        var key: [UInt8] = [field.rawValue]
        analyzers[worker].terms.withBytes(local) { key.append(contentsOf: $0) }
        let id = key.withUnsafeBufferPointer { keys.intern($0) }
        if Int(id) == postings.count { postings.append(BatchPostings()) }
        if localMaps[mapIndex].count <= Int(local) {
            localMaps[mapIndex].append(contentsOf: repeatElement(-1, count: Int(local) + 1 - localMaps[mapIndex].count))
        }
        localMaps[mapIndex][Int(local)] = id
        return id
    }
}
