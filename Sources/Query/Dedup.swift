// Query: `--dedup`: collapsing near-duplicate hits (syndicated copies, light edits) to the best.
// Owns grouping by fingerprint distance, in rank order, so each group keeps its best hit.
import InvertedIndex

/// A hit standing for itself and the near-duplicates ranked below it.
public struct CollapsedHit: Sendable {
    public var hit: Hit
    /// How many lower-ranked hits were near-duplicates of this one.
    public var duplicates: Int
}

public enum Dedup {
    /// Groups `hits` (all the matches, in output order) by near-duplicate fingerprints. Groups
    /// form in rank order (score, then doc id) whatever the output order, so each is led by its
    /// best-scoring hit and the same documents fall together under every `--sort`; groups come
    /// back in their leaders' output order. A hit joins the best-ranked leader within
    /// `threshold` bits. All matches, not a top slice: a copy ranked past a slice had been
    /// neither shown nor counted, and the counts had changed with `--limit`.
    public static func collapse(_ hits: [Hit], reader: IndexReader, threshold: Int = Fingerprint.threshold) throws -> [CollapsedHit] {
        let prints = try hits.map { try reader.document($0.doc).fingerprint }
        let byRank = hits.indices.sorted { a, b in
            hits[a].score != hits[b].score ? hits[a].score > hits[b].score : hits[a].doc < hits[b].doc
        }
        var leaders = LeaderSlices()
        var leaderOf = [Int](repeating: 0, count: hits.count)
        var duplicates = [Int](repeating: 0, count: hits.count)
        for (rank, i) in byRank.enumerated() {
            let f = prints[i]
            if f != Fingerprint.none, let leader = leaders.best(near: f, within: threshold) {
                leaderOf[i] = leader
                duplicates[leader] += 1
            } else {
                leaderOf[i] = i
                if f != Fingerprint.none { leaders.add(i, rank: rank, fingerprint: f) }
            }
        }
        return hits.indices.filter { leaderOf[$0] == $0 }.map { CollapsedHit(hit: hits[$0], duplicates: duplicates[$0]) }
    }

    /// Every pair of documents in the index at most `threshold` bits apart. Two fingerprints that
    /// close agree on at least one of `threshold + 1` equal slices (pigeonhole: eight 8-bit slices
    /// cover thresholds up to 7), so only documents sharing a slice are compared.
    public static func pairs(reader: IndexReader, threshold: Int = Fingerprint.threshold) throws -> [(UInt32, UInt32, Int)] {
        let docs = try reader.allDocIDs()
        let prints = try docs.map { try reader.document($0).fingerprint }
        var found = Set<UInt64>()
        var out: [(UInt32, UInt32, Int)] = []
        let slices = threshold < 4 ? 4 : 8
        let width = 64 / slices
        for slice in 0..<slices {
            var buckets: [UInt64: [Int]] = [:]
            for (i, f) in prints.enumerated() where f != Fingerprint.none {
                buckets[(f >> UInt64(width * slice)) & ((1 << UInt64(width)) - 1), default: []].append(i)
            }
            for members in buckets.values where members.count > 1 {
                for a in 0..<members.count {
                    for b in (a + 1)..<members.count {
                        let (i, j) = (members[a], members[b])
                        let d = Fingerprint.distance(prints[i], prints[j])
                        let key = UInt64(docs[i]) << 32 | UInt64(docs[j])
                        if d <= threshold && found.insert(key).inserted { out.append((docs[i], docs[j], d)) }
                    }
                }
            }
        }
        return out.sorted { ($0.2, $0.0, $0.1) < ($1.2, $1.0, $1.1) }
    }
}

/// Group leaders' fingerprints bucketed by each of their eight bytes: a fingerprint at most 7
/// bits from a leader shares at least one byte with it, so only leaders in its eight buckets
/// are compared (a scan of every leader had made collapsing all matches quadratic).
private struct LeaderSlices {
    private var buckets = [[(index: Int, rank: Int, print: UInt64)]](repeating: [], count: 8 * 256)

    private static func bucket(_ f: UInt64, slice: Int) -> Int { slice * 256 + Int((f >> UInt64(8 * slice)) & 0xFF) }

    mutating func add(_ index: Int, rank: Int, fingerprint f: UInt64) {
        for slice in 0..<8 { buckets[Self.bucket(f, slice: slice)].append((index, rank, f)) }
    }

    /// The best-ranked leader at most `threshold` (≤ 7) bits from `f`.
    func best(near f: UInt64, within threshold: Int) -> Int? {
        var found: (index: Int, rank: Int)? = nil
        for slice in 0..<8 {
            // Leaders join in rank order: a bucket's first match is its best.
            for leader in buckets[Self.bucket(f, slice: slice)] where Fingerprint.distance(leader.print, f) <= threshold {
                if found.map({ leader.rank < $0.rank }) ?? true { found = (leader.index, leader.rank) }
                break
            }
        }
        return found?.index
    }
}
