// newsidx (CLI): progress of a long `index` run on stderr, only when stderr is a terminal.
// Owns the one status line (documents, MB read, MB/s, ETA) redrawn in place.
import Ingest

final class Progress {
    private let enabled: Bool
    private let start = Terminal.microseconds()
    private var lastDraw: UInt64 = 0
    private let totalBytes: Int
    private var documents = 0

    init(enabled: Bool, paths: [String]) {
        self.enabled = enabled
        totalBytes = enabled ? ArchiveWalker.totalBytes(paths) : 0
    }

    func document() {
        documents += 1
        guard enabled else { return }
        let now = Terminal.microseconds()
        if now - lastDraw < 250_000 { return }
        lastDraw = now
        draw(now)
    }

    private func draw(_ now: UInt64) {
        let seconds = max(Double(now - start) / 1e6, 0.001)
        let mb = Double(InputMeter.bytesRead) / 1_048_576
        var line = "\r\(documents) document\(documents == 1 ? "" : "s"), \(round1(mb)) MB read, \(round1(mb / seconds)) MB/s"
        if totalBytes > 0 && InputMeter.bytesRead > 0 && InputMeter.bytesRead <= totalBytes {
            let remaining = seconds * Double(totalBytes - InputMeter.bytesRead) / Double(InputMeter.bytesRead)
            line += ", ETA \(Int(remaining.rounded())) s"
        }
        Terminal.stderrRaw(line + "\u{1B}[K")
    }

    /// Clears the status line before the summary.
    func finish() {
        if enabled && lastDraw > 0 { Terminal.stderrRaw("\r\u{1B}[K") }
    }

    private func round1(_ v: Double) -> String { "\((v * 10).rounded() / 10)" }
}
