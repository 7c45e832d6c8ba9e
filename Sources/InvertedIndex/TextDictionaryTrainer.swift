// InvertedIndex: when the writer trains a text dictionary: from the first documents of an index,
// and again when new text stops matching the current one. Owns the sample and the gain window.

/// When and how big dictionaries are; tests shrink them to see dictionaries on small corpora.
public struct TextDictionarySettings: Sendable {
    /// Text collected before training; zstd advises samples about 100 times the dictionary.
    public var sampleBytes = 4 << 20
    /// 110 KiB, zstd's own default: 64 KiB made news-combined's text 0.4% larger, 220 KiB 3.7%.
    public var dictionaryBytes = 110 << 10
    /// One document in this many (per worker) is compressed a second time without the dictionary...
    public var measureEvery = 16
    /// ...and once those hold this much text, the dictionary's gain on them is judged.
    public var windowBytes = 512 << 10
    /// A dictionary saving less than this share on text it was not trained on is not worth storing.
    public var minimumGain = 0.03

    public init() {}
}

/// How a worker treats the stored text of the chunk it is given.
enum TextHandling {
    case compress(with: TextDictionary?, measureEvery: Int)
    case keepForSample
}

/// A document's stored text as a worker hands it on.
enum PendingText {
    /// Compressed, with the dictionary of id `dictionary` (0: none); `measured` when the document
    /// was also compressed without it.
    case compressed([UInt8], dictionary: UInt32, measured: GainMeasurement?)
    /// Kept as text: a training sample, compressed when its batch is written.
    case deferred(String)
}

struct GainMeasurement {
    var textBytes: Int
    var withDictionary: Int
    var withoutDictionary: Int
}

/// Decides, on the merging thread, when documents are sampled and when a dictionary is trained.
///
/// Without a dictionary, the text of new documents is collected until `sampleBytes`; a dictionary
/// is trained on the first three quarters of it and kept if it saves at least `minimumGain` on
/// the last quarter. That saving is its expected gain. Afterwards, when the gain measured on new
/// documents falls below half of it (the collection moved on to other sources: news-combined
/// starts with 17 MB of 1987 Reuters wires, then BBC, then CNN), a new sample is collected
/// and a new dictionary trained. Each dictionary is stored once; frames name theirs by id.
final class TextDictionaryTrainer {
    private(set) var current: AdoptedDictionary?
    private(set) var isSampling: Bool
    private let settings: TextDictionarySettings
    private var sample: [[UInt8]] = []
    private var sampleSize = 0
    private var window = GainMeasurement(textBytes: 0, withDictionary: 0, withoutDictionary: 0)
    /// Longer documents add only their start to the sample, so a few do not make up all of it.
    static let sampleLimit = 64 << 10

    init(current: AdoptedDictionary?, settings: TextDictionarySettings) {
        self.current = current
        self.settings = settings
        isSampling = current == nil
    }

    var handling: TextHandling {
        isSampling ? .keepForSample : .compress(with: current?.dictionary, measureEvery: settings.measureEvery)
    }

    /// Notes the text of a document added to the index; returns a dictionary when one was trained.
    func observe(_ text: PendingText) -> AdoptedDictionary? {
        switch text {
        case let .deferred(plain) where isSampling:
            var bytes = Array(plain.utf8.prefix(Self.sampleLimit))
            if bytes.isEmpty { bytes = [0x0A] }
            sampleSize += bytes.count
            sample.append(bytes)
            return sampleSize >= settings.sampleBytes ? trainOnSample() : nil
        case let .compressed(_, id, measured?) where id != 0 && id == current?.dictionary.id:
            judge(measured)
            return nil
        default:
            return nil
        }
    }

    private func judge(_ m: GainMeasurement) {
        window.textBytes += m.textBytes
        window.withDictionary += m.withDictionary
        window.withoutDictionary += m.withoutDictionary
        guard window.textBytes >= settings.windowBytes, let current else { return }
        let gain = 1 - Double(window.withDictionary) / Double(max(window.withoutDictionary, 1))
        window = GainMeasurement(textBytes: 0, withDictionary: 0, withoutDictionary: 0)
        if gain < current.expectedGain / 2 { isSampling = true }
    }

    /// Trains on the sample's first three quarters and measures on the rest. Keeps the current
    /// dictionary (or none) when training fails or the new one saves too little; either way
    /// sampling stops for this run.
    private func trainOnSample() -> AdoptedDictionary? {
        defer {
            sample = []
            sampleSize = 0
            isSampling = false
        }
        let held = max(1, sample.count / 4)
        let id = current.map { $0.dictionary.id + 1 } ?? TextDictionaryStore.firstID
        guard sample.count >= 8,
              let bytes = TextDictionaryTraining.train(Array(sample.dropLast(held)), capacity: settings.dictionaryBytes, id: id),
              let trained = TextDictionary(id: id, bytes: bytes) else { return nil }
        let gain = Self.gain(of: trained, on: sample.suffix(held))
        guard gain >= settings.minimumGain else { return nil }
        current = AdoptedDictionary(dictionary: trained, expectedGain: gain)
        return current
    }

    private static func gain(of dictionary: TextDictionary, on texts: ArraySlice<[UInt8]>) -> Double {
        let compressor = TextCompressor()
        var with = 0, without = 0
        for t in texts {
            let text = String(decoding: t, as: UTF8.self)
            with += compressor.compress(text, dictionary: dictionary).count
            without += compressor.compress(text).count
        }
        return 1 - Double(with) / Double(max(without, 1))
    }
}
