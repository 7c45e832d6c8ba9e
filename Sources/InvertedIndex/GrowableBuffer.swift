// InvertedIndex: memory that grows for hot loops: an append-only buffer for the batch builder,
// scratch space for positions, padded copies of values. Each owns its memory directly: Array pays a uniqueness check per write.

final class GrowableBuffer<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always)
    func append(_ value: Element) {
        if count == capacity { grow(to: count + 1) }
        (base + count).initialize(to: value)
        count += 1
    }

    func append(contentsOf values: UnsafeBufferPointer<Element>) {
        if count + values.count > capacity { grow(to: count + values.count) }
        (base + count).initialize(from: values.baseAddress!, count: values.count)
        count += values.count
    }

    @inline(__always)
    subscript(i: Int) -> Element {
        get { base[i] }
        set { base[i] = newValue }
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}

/// Growable scratch memory for one document's positions (or a phrase's starts), owned by
/// one reader of them: a cursor, a matcher, the writer's staging. Its owner frees it.
public struct PositionScratch {
    public private(set) var base: UnsafeMutablePointer<UInt32>
    @usableFromInline var capacity: Int

    public init() {
        capacity = 64
        base = .allocate(capacity: capacity)
    }

    /// Makes room for `n` values; the old contents are not kept.
    @inlinable
    public mutating func reserve(_ n: Int) {
        if n > capacity { grow(to: n) }
    }

    @usableFromInline
    mutating func grow(to n: Int) {
        base.deallocate()
        capacity = max(n, capacity * 2)
        base = .allocate(capacity: capacity)
    }

    public func deallocate() { base.deallocate() }
}

/// A copy of an LMDB value followed by zero bytes, so a decoder may load eight bytes at any
/// place in the value without checking for its end (the map may end right after a value).
/// Each `hold` replaces the previous copy.
final class PaddedCopy {
    static let padding = 8
    private var base: UnsafeMutableRawPointer
    private var capacity: Int

    init(capacity: Int = Format.maxPositionsBytes) {
        self.capacity = capacity
        base = .allocate(byteCount: capacity + Self.padding, alignment: 8)
    }

    deinit { base.deallocate() }

    /// The copy of `raw`, valid until the next `hold`.
    func hold(_ raw: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if raw.count > capacity {
            base.deallocate()
            capacity = raw.count
            base = .allocate(byteCount: capacity + Self.padding, alignment: 8)
        }
        if let source = raw.baseAddress { base.copyMemory(from: source, byteCount: raw.count) }
        (base + raw.count).initializeMemory(as: UInt8.self, repeating: 0, count: Self.padding)
        return UnsafeRawBufferPointer(start: base, count: raw.count)
    }

    /// Calls `body` with a padded copy of `raw` on the stack, for a value decoded once (no
    /// copy to keep between calls).
    static func withCopy<R>(of raw: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(byteCount: raw.count + padding, alignment: 8) { buffer in
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            if let source = raw.baseAddress { buffer.baseAddress!.copyMemory(from: source, byteCount: raw.count) }
            return try body(UnsafeRawBufferPointer(rebasing: buffer[0..<raw.count]))
        }
    }
}
