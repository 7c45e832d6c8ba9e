// StorageTests: the final copy of a packed data file: the same bytes however far its zeros ran,
// cut to the source's size; zeros kept a lead ahead of the file followed; an abandoned copy.
import Storage
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class DataFileCopyTests: TemporaryFolderTestCase {
    private var source: String { path + "/source" }
    private var destination: String { path + "/copy" }

    override func tearDown() {
        unlink(source)
        unlink(destination)
        super.tearDown()
    }

    /// Sizes around the chunk: the last chunk short, exactly whole, under one chunk, empty;
    /// copied at once (the zeros barely begun) and after the zeros ran their full lead past
    /// the source, which the copy must cut off.
    func testCopyHoldsTheSourceBytesWhateverTheZerosReached() throws {
        let chunk = DataFileCopy.chunkBytes
        for size in [2 * chunk + 12_345, chunk, 4_096, 0] {
            let bytes = randomBytes(size)
            for waits in [false, true] {
                try write(bytes, to: source)  // a copy frees the source's blocks
                let copy = try DataFileCopy(path: destination, following: source, headStartBytes: .max)
                if waits { waitForZeros(upTo: size + DataFileCopy.leadBytes) }
                try copy.copy(from: source)
                let copied = try read(destination)
                XCTAssertEqual(copied.count, size, "waited for the zeros: \(waits)")
                XCTAssertTrue(copied == bytes, "size \(size), waited for the zeros: \(waits): bytes differ")
            }
        }
    }

    /// The zeros stay `leadBytes` ahead of the followed file, not further, and start before
    /// it exists.
    func testZerosRunOnlyTheLeadAheadOfTheFollowedFile() throws {
        let copy = try DataFileCopy(path: destination, following: source, headStartBytes: .max)
        waitForZeros(upTo: DataFileCopy.leadBytes)
        usleep(50_000)
        XCTAssertEqual(fileSize(destination), DataFileCopy.leadBytes)
        try write(randomBytes(DataFileCopy.chunkBytes + 1), to: source)
        waitForZeros(upTo: DataFileCopy.chunkBytes + 1 + DataFileCopy.leadBytes)
        try copy.copy(from: source)
    }

    /// With no head start allowed (a disk without room for both copies beside the old file),
    /// nothing is written before the copy, and the copy still holds the source.
    func testNoHeadStartWritesNoZeros() throws {
        let bytes = randomBytes(DataFileCopy.chunkBytes + 7)
        try write(bytes, to: source)
        let copy = try DataFileCopy(path: destination, following: source, headStartBytes: 0)
        usleep(50_000)
        XCTAssertEqual(fileSize(destination), 0)
        try copy.copy(from: source)
        XCTAssertTrue(try read(destination) == bytes)
    }

    /// The copied source's blocks are freed as the copy goes, so a nearly full disk holds the
    /// scratch and the final copy at once only a chunk at a time.
    func testCopiedSourceBlocksAreFreed() throws {
        try write(randomBytes(8_192), to: source)
        let probe = open(source, O_RDWR)
        defer { close(probe) }
        guard testPunchHole(probe, 0x02 | 0x01, 0, 4_096) == 0 else {
            throw XCTSkip("this filesystem does not punch holes")
        }
        try write(randomBytes(3 * DataFileCopy.chunkBytes), to: source)
        fsync(open(source, O_RDONLY))
        XCTAssertGreaterThan(blocks(source), 0)
        let copy = try DataFileCopy(path: destination, following: source, headStartBytes: 0)
        try copy.copy(from: source)
        XCTAssertEqual(blocks(source), 0, "the source still holds its blocks")
        XCTAssertEqual(fileSize(source), 3 * DataFileCopy.chunkBytes)
    }

    private func blocks(_ file: String) -> Int {
        var st = stat()
        return stat(file, &st) == 0 ? Int(st.st_blocks) : -1
    }

    /// A pack that fails before copying drops its `DataFileCopy`: the zeroing stops and the
    /// descriptor closes, with no thread left writing into the folder.
    func testAbandonedCopyStopsItsZeroing() throws {
        do { _ = try DataFileCopy(path: destination, following: source, headStartBytes: .max) }
        let sizeAfter = fileSize(destination)
        usleep(50_000)
        XCTAssertEqual(fileSize(destination), sizeAfter)
    }

    func testMissingSourceIsAnErrorNamingIt() throws {
        let copy = try DataFileCopy(path: destination, following: source, headStartBytes: .max)
        XCTAssertThrowsError(try copy.copy(from: path + "/absent")) { error in
            XCTAssertTrue("\(error)".contains("absent"), "\(error)")
        }
    }

    /// Lets the zeroing reach the first whole chunk at or past `bytes`.
    private func waitForZeros(upTo bytes: Int) {
        let chunk = DataFileCopy.chunkBytes
        let whole = (bytes + chunk - 1) / chunk * chunk
        for _ in 0..<500 where fileSize(destination) < whole { usleep(10_000) }
        XCTAssertEqual(fileSize(destination), whole)
    }

    private func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    private func write(_ bytes: [UInt8], to file: String) throws {
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        XCTAssertEqual(written, bytes.count)
    }

    private func read(_ file: String) throws -> [UInt8] {
        let size = fileSize(file)
        var bytes = [UInt8](repeating: 0, count: size)
        let fd = open(file, O_RDONLY)
        defer { close(fd) }
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, size, 0) }
        XCTAssertEqual(n, size)
        return bytes
    }

    private func fileSize(_ file: String) -> Int {
        var st = stat()
        return stat(file, &st) == 0 ? Int(st.st_size) : -1
    }
}

/// fallocate(2), to see whether the filesystem under the test folder punches holes.
@_silgen_name("fallocate")
private func testPunchHole(_ fd: Int32, _ mode: Int32, _ offset: Int, _ length: Int) -> Int32
