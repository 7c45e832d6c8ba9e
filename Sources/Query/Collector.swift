// Query: gathering a search's results as a matcher yields them: the count and the top k.
// Owns result order (score, then doc id; or date) and the bounded heap that keeps the best.
import InvertedIndex

/// Receives every matching document of a search once, in doc-id order.
struct Collector {
    var top: TopK
    let reader: IndexReader
    /// False when only the count is wanted: matchers may then skip scoring.
    let scoring: Bool
    private let byDate: Bool
    private(set) var count = 0

    init(top: TopK, reader: IndexReader, scoring: Bool) {
        self.top = top
        self.reader = reader
        self.scoring = scoring
        byDate = top.order != .relevance
    }

    /// In relevance order with the top k full, the score a later document must beat to enter
    /// it (it arrives with a higher doc id, so a tie loses); nil while anything may enter.
    var entryScore: Double? {
        guard scoring && !byDate else { return nil }
        return top.lowestKeptScore
    }

    /// Counts matches that cannot enter the top k, without looking at them.
    mutating func addUnscored(_ matches: Int) { count += matches }

    @inline(__always)
    mutating func add(_ doc: UInt32, score: Double) throws {
        count += 1
        guard scoring else { return }
        if byDate {
            top.offer(Hit(doc: doc, score: score, day: try reader.norms(of: doc).day))
        } else if top.wouldKeep(doc: doc, score: score) {
            top.offer(Hit(doc: doc, score: score))
        }
    }
}

/// The best `capacity` hits seen so far, in `order`; lower doc id breaks the last ties.
struct TopK {
    let capacity: Int
    let order: ResultOrder
    private var heap: [Hit] = []  // min-heap by rank: the worst kept hit at the root

    init(capacity: Int, order: ResultOrder = .relevance) {
        self.capacity = capacity
        self.order = order
    }

    static func byScore(_ a: Hit, _ b: Hit) -> Bool { a.score > b.score || (a.score == b.score && a.doc < b.doc) }

    func better(_ a: Hit, _ b: Hit) -> Bool {
        switch order {
        case .relevance: return TopK.byScore(a, b)
        case .date, .dateOldestFirst:
            // Undated documents go last in either direction.
            guard let da = a.day else { return b.day == nil && TopK.byScore(a, b) }
            guard let db = b.day else { return true }
            if da != db { return order == .date ? da > db : da < db }
            return TopK.byScore(a, b)
        }
    }

    mutating func offer(_ hit: Hit) {
        guard capacity > 0 else { return }
        if heap.count < capacity {
            heap.append(hit)
            siftUp(heap.count - 1)
        } else if better(hit, heap[0]) {
            heap[0] = hit
            siftDown(0)
        }
    }

    /// A cheap early test for relevance order: false when a hit with this score and doc could
    /// not enter the heap.
    @inline(__always)
    func wouldKeep(doc: UInt32, score: Double) -> Bool {
        guard capacity > 0 else { return false }
        guard heap.count == capacity else { return true }
        return TopK.byScore(Hit(doc: doc, score: score), heap[0])
    }

    /// The score of the worst kept hit once the heap is full.
    var lowestKeptScore: Double? {
        guard capacity > 0 else { return -.infinity }
        return heap.count == capacity ? heap[0].score : nil
    }

    func sorted() -> [Hit] { heap.mergeSorted(by: better) }

    private mutating func siftUp(_ i: Int) {
        var c = i
        while c > 0 {
            let p = (c - 1) / 2
            guard better(heap[p], heap[c]) else { break }
            heap.swapAt(p, c)
            c = p
        }
    }

    private mutating func siftDown(_ i: Int) {
        var p = i
        while true {
            let l = 2 * p + 1, r = l + 1
            var worst = p
            if l < heap.count && better(heap[worst], heap[l]) { worst = l }
            if r < heap.count && better(heap[worst], heap[r]) { worst = r }
            if worst == p { return }
            heap.swapAt(p, worst)
            p = worst
        }
    }
}
