# Puts an index back into the page cache afresh between warm rounds: dropped, then read in order.
# Where a file's pages land in memory moves its engine's warm latency by up to ~13% per class on a
# virtual machine (two copies of one newsidx index, alternated), so each round samples a new layout
# and the per-query median over rounds averages it; both engines get the same treatment. Also reads
# ripgrep's input once before its one-process timings, as the warm phase has just read the indexes.
import ctypes
import mmap
import os
from typing import Dict, Iterable

CHUNK_BYTES = 2 << 20


def refresh(folders: Iterable[str]) -> Dict[str, int]:
    """Drops every file under `folders` from the page cache, then reads it whole, in order. Pages the kernel
    will not drop (mapped by a running process, or not yet written back) stay: `kept_bytes` counts them."""
    totals = {"read_bytes": 0, "kept_bytes": 0}
    buffer = bytearray(CHUNK_BYTES)
    for folder in folders:
        for path in _files(folder):
            with open(path, "rb", buffering=0) as handle:
                fd = handle.fileno()
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                totals["kept_bytes"] += _resident_bytes(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)
                while True:
                    n = handle.readinto(buffer)
                    if not n:
                        break
                    totals["read_bytes"] += n
    return totals


def read_through(folders: Iterable[str]) -> int:
    """Reads every file under `folders` (a folder or a single file) once, leaving what is cached in place;
    returns the bytes read."""
    total = 0
    buffer = bytearray(CHUNK_BYTES)
    for folder in folders:
        for path in _files(folder):
            with open(path, "rb", buffering=0) as handle:
                while n := handle.readinto(buffer):
                    total += n
    return total


def _files(folder: str) -> Iterable[str]:
    for root, _, names in os.walk(folder):
        for name in sorted(names):
            path = os.path.join(root, name)
            if os.path.isfile(path) and not os.path.islink(path):
                yield path


def _resident_bytes(fd: int) -> int:
    """Bytes of the file in the page cache (mincore over a private mapping of it); 0 where unknown."""
    size = os.fstat(fd).st_size
    if size == 0:
        return 0
    mapping = mmap.mmap(fd, size, access=mmap.ACCESS_COPY)
    anchor = ctypes.c_char.from_buffer(mapping)
    try:
        pages = (size + mmap.PAGESIZE - 1) // mmap.PAGESIZE
        vector = (ctypes.c_ubyte * pages)()
        if _libc.mincore(ctypes.c_void_p(ctypes.addressof(anchor)), ctypes.c_size_t(size), vector) != 0:
            return 0
        return sum(flag & 1 for flag in vector) * mmap.PAGESIZE
    finally:
        del anchor
        mapping.close()


_libc = ctypes.CDLL(None, use_errno=True)
