// CorpusFixtures: locating the shared corpora beside the package for tests that read them,
// and small helpers the cleaning tests share.
import XCTest
@testable import Cleaning

enum CorpusFixtures {
    /// `<package>/../shared/corpora`, found from this file's path so tests run from any directory.
    /// Symlinks are resolved first, so a checkout reached through a link still finds its siblings.
    static var root: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()  // CorpusFixtures.swift
        var testsDirectory = parts.joined(separator: "/")
        if let resolved = realpath(testsDirectory, nil) {
            testsDirectory = String(cString: resolved)
            free(resolved)
        }
        return testsDirectory + "/../../../shared/corpora"  // CleaningTests, Tests, package
    }

    static func read(_ relativePath: String) throws -> [UInt8] {
        let path = root + "/" + relativePath
        guard let handle = fopen(path, "rb") else {
            throw XCTSkip("shared corpora not found at \(path)")
        }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&buffer, 1, buffer.count, handle)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return bytes
    }
}
