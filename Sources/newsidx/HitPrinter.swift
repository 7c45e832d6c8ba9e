// newsidx (CLI): the output layer for search hits: one printer, several formats.
// Owns field names and order of each format; they are a stable contract for scripts.
import ArgumentParser
import InvertedIndex
import Query

enum HitFormat: String, ExpressibleByArgument, CaseIterable {
    case text, jsonl, paths, paths0
}

struct HitPrinter {
    let reader: IndexReader
    let format: HitFormat

    func print(_ result: SearchResult, offset: Int) throws {
        for (i, hit) in result.hits.enumerated() {
            let rank = offset + i + 1
            switch format {
            case .jsonl: Terminal.out(try HitPrinter.jsonHit(hit, rank: rank, reader: reader) + "\n")
            case .paths: Terminal.out(try reader.document(hit.doc).externalID + "\n")
            case .paths0: Terminal.out(try reader.document(hit.doc).externalID + "\0")
            case .text: Terminal.out(try textHit(hit, rank: rank))
            }
        }
    }

    /// `rank`, `id`, `score`, `title`, `date` (when known), `snippet`.
    static func jsonHit(_ hit: Hit, rank: Int, reader: IndexReader) throws -> String {
        let doc = try reader.document(hit.doc)
        var o = JSONObject()
        o.add("rank", rank)
        o.add("id", doc.externalID)
        o.add("score", hit.score)
        o.add("title", doc.title)
        if let date = doc.date { o.add("date", date) }
        o.add("snippet", "")
        return o.rendered
    }

    private func textHit(_ hit: Hit, rank: Int) throws -> String {
        let doc = try reader.document(hit.doc)
        let title = doc.title.isEmpty ? "(untitled)" : doc.title
        var line2 = "    \(doc.externalID)"
        if let date = doc.date { line2 += "  \(date)" }
        line2 += "  score \(formatScore(hit.score))"
        return "\(rank). \(title)\n\(line2)\n"
    }
}

func formatScore(_ s: Double) -> String {
    let r = (s * 1000).rounded() / 1000
    return "\(r)"
}
