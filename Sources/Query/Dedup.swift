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
    /// Groups `hits` (best first) by near-duplicate fingerprints; each group is led by its best hit.
    public static func collapse(_ hits: [Hit], reader: IndexReader, threshold: Int = Fingerprint.threshold) throws -> [CollapsedHit] {
        var groups: [CollapsedHit] = []
        var fingerprints: [UInt64] = []
        for hit in hits {
            let f = try reader.document(hit.doc).fingerprint
            if f != Fingerprint.none, let g = fingerprints.firstIndex(where: { $0 != Fingerprint.none && Fingerprint.distance($0, f) <= threshold }) {
                groups[g].duplicates += 1
            } else {
                groups.append(CollapsedHit(hit: hit, duplicates: 0))
                fingerprints.append(f)
            }
        }
        return groups
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
