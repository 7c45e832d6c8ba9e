// InvertedIndex: zstd dictionaries for the stored text: training, their `meta` entries, loading.
// Owns the dictionary keys, ids and checksums; which dictionary new documents use is in `meta`.
import CZstd
import Storage

/// A trained dictionary ready to compress with. The zstd compression dictionary inside is
/// read-only once made, so one instance is shared by every thread that compresses.
public final class TextDictionary: @unchecked Sendable {
    /// The id zstd writes into each frame compressed with this dictionary.
    public let id: UInt32
    public let bytes: [UInt8]
    let compression: OpaquePointer

    init?(id: UInt32, bytes: [UInt8]) {
        let parameters = Self.parameters(dictionaryBytes: bytes.count)
        guard let made = bytes.withUnsafeBytes({
            ZSTD_createCDict_advanced($0.baseAddress, $0.count, ZSTD_dlm_byCopy, ZSTD_dct_auto, parameters, ZSTD_defaultCMem)
        }) else {
            return nil
        }
        self.id = id
        self.bytes = bytes
        compression = made
    }

    deinit { ZSTD_freeCDict(compression) }

    /// The level's parameters, with match-finding tables of one slot per dictionary byte or
    /// more. zstd sizes them from the dictionary at 64K and 32K slots for level 3, which left
    /// much of a 110 KiB one out of reach: news-combined's `text` table came out 1.7% smaller
    /// for about 6% more compression time (ARCHITECTURE.md). Decompression is unchanged.
    static func parameters(dictionaryBytes: Int) -> ZSTD_compressionParameters {
        var parameters = ZSTD_getCParams(TextCompressor.level, 0, dictionaryBytes)
        let width = UInt32(Int.bitWidth - max(dictionaryBytes - 1, 1).leadingZeroBitCount)
        parameters.hashLog = max(parameters.hashLog, width + 1)
        parameters.chainLog = max(parameters.chainLog, width)
        return parameters
    }
}

/// The dictionary new documents are compressed with, and the share of compressed size it
/// saved on text it was not trained on when it was adopted.
struct AdoptedDictionary {
    var dictionary: TextDictionary
    var expectedGain: Double
}

/// Where dictionaries live in `meta`: each under its own key, written once and never removed
/// (documents compressed with it may stay for ever), plus one key naming the current one.
enum TextDictionaryStore {
    /// Ids below 32768 are reserved by the zstd format for registered dictionaries.
    static let firstID: UInt32 = 32_768
    static let currentKey = "text-dictionary"
    static let keyPrefix = "text-dictionary-"

    static func key(_ id: UInt32) -> [UInt8] { Array((keyPrefix + String(id)).utf8) }

    static func isDictionaryKey(_ key: String) -> Bool { key.hasPrefix(keyPrefix) }

    /// The stored value: u64 LE checksum of the dictionary, then the dictionary as zstd writes it.
    static func encode(_ dictionary: [UInt8]) -> [UInt8] {
        let sum = dictionary.withUnsafeBytes { ContentHash.of($0) }
        return (0..<8).map { UInt8(truncatingIfNeeded: sum >> (8 * $0)) } + dictionary
    }

    /// The dictionary stored under `id`; throws when it is missing or does not match its checksum.
    static func load(_ id: UInt32, txn: Transaction, meta: Table) throws -> [UInt8] {
        Array(try located(id, txn: txn, meta: meta, verifying: true))
    }

    /// The dictionary where it lies in the map, valid while `txn` is; checked against its
    /// checksum when `verifying`. Reading a dictionary's every page and hashing it took about
    /// 0.1 ms of a fresh process that prints snippets, which frames holding a checksum of
    /// their text (`TextCompressor`) make unneeded.
    static func located(_ id: UInt32, txn: Transaction, meta: Table, verifying: Bool) throws -> UnsafeRawBufferPointer {
        guard let raw = try txn.get(meta, key(id)) else { throw IndexError.corrupt("text dictionary \(id) is missing") }
        guard raw.count > 8 else { throw IndexError.corrupt("text dictionary \(id) is truncated") }
        let stored = (0..<8).reduce(UInt64(0)) { $0 | UInt64(raw[$1]) << (8 * UInt64($1)) }
        let dictionary = UnsafeRawBufferPointer(rebasing: raw[8...])
        guard !verifying || ContentHash.of(dictionary) == stored else {
            throw IndexError.corrupt("text dictionary \(id) does not match its checksum")
        }
        guard ZDICT_getDictID(dictionary.baseAddress, dictionary.count) == id else {
            throw IndexError.corrupt("text dictionary \(id) holds another id")
        }
        return dictionary
    }

    static func current(txn: Transaction, meta: Table) throws -> AdoptedDictionary? {
        guard let raw = try txn.get(meta, Array(currentKey.utf8)) else { return nil }
        let fields = String(decoding: raw, as: UTF8.self).split(separator: " ")
        guard fields.count == 2, let id = UInt32(fields[0]), let gain = Double(fields[1]) else {
            throw IndexError.corrupt("meta '\(currentKey)' is not an id and a gain")
        }
        guard let dictionary = TextDictionary(id: id, bytes: try load(id, txn: txn, meta: meta)) else {
            throw IndexError.corrupt("text dictionary \(id) is not a zstd dictionary")
        }
        return AdoptedDictionary(dictionary: dictionary, expectedGain: gain)
    }

    /// Stores a new dictionary and makes it the current one.
    static func add(_ adopted: AdoptedDictionary, txn: Transaction, meta: Table) throws {
        let id = adopted.dictionary.id
        try txn.put(meta, key(id), encode(adopted.dictionary.bytes), flags: .noOverwrite)
        let gain = (adopted.expectedGain * 10_000).rounded() / 10_000
        try txn.put(meta, Array(currentKey.utf8), Array("\(id) \(gain)".utf8))
    }

    /// Ids of every stored dictionary (for `check`).
    static func allIDs(txn: Transaction, meta: Table) throws -> [UInt32] {
        let cursor = try txn.cursor(meta)
        var ids: [UInt32] = []
        var entry = try cursor.seek(atLeast: Array(keyPrefix.utf8))
        while let e = entry {
            let key = String(decoding: e.key, as: UTF8.self)
            guard isDictionaryKey(key) else { break }
            if let id = UInt32(key.dropFirst(keyPrefix.count)) { ids.append(id) }
            entry = try cursor.next()
        }
        return ids
    }
}

/// Trains dictionaries with zstd's fast COVER algorithm at fixed parameters.
enum TextDictionaryTraining {
    /// Trains on `samples` (documents' text, each cut to `sampleLimit`); nil when zstd finds too
    /// little to learn from.
    static func train(_ samples: [[UInt8]], capacity: Int, id: UInt32) -> [UInt8]? {
        let flat = samples.flatMap { $0 }
        var sizes = samples.map(\.count)
        var params = ZDICT_fastCover_params_t()
        // Segment size 50 and dmer 8: on news text as small as the optimizer's pick, in a
        // fifth of its time (measured: 0.04 s against 0.2 s for 3 MB of samples).
        params.k = 50
        params.d = 8
        params.f = 20
        params.accel = 1
        params.splitPoint = 1
        params.zParams.compressionLevel = TextCompressor.level
        params.zParams.dictID = id
        var out = [UInt8](repeating: 0, count: capacity)
        let n = out.withUnsafeMutableBytes { dst in
            flat.withUnsafeBytes { src in
                ZDICT_trainFromBuffer_fastCover(dst.baseAddress, capacity, src.baseAddress, &sizes,
                                                UInt32(samples.count), params)
            }
        }
        guard ZDICT_isError(n) == 0, n > 0 else { return nil }
        return Array(out.prefix(n))
    }
}
