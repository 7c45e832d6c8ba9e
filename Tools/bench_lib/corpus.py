# Reads a benchmark corpus: a directory of .txt/.text files (first non-empty line = title) or a JSONL file
# (.jsonl, .jsonl.gz, .jsonl.zst) of {"id","title","text","date"?} records, streamed as unique Doc values.
import gzip
import hashlib
import io
import json
import os
import subprocess
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Tuple


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    text: str
    date: Optional[str] = None  # a JSONL record's "date" as written; None for .txt files and undated records

    def byte_size(self) -> int:
        return len(self.title.encode("utf-8")) + len(self.text.encode("utf-8"))


@dataclass(frozen=True)
class Corpus:
    path: str  # as given to the engines; directory-corpus ids start with it

    @property
    def is_directory(self) -> bool:
        return os.path.isdir(self.path)

    def docs(self, aliases: Optional[Dict[str, str]] = None) -> Iterator[Doc]:
        """The corpus without byte-identical duplicates (same file bytes, or the same JSONL line), which
        newsidx stores as aliases of the first copy; `aliases` collects duplicate id -> first id."""
        keyed = iter_directory_docs(self.path) if self.is_directory else iter_jsonl_docs(self.path)
        return _first_copies(keyed, {} if aliases is None else aliases)


def _first_copies(keyed_docs: Iterator[Tuple[Doc, bytes]], aliases: Dict[str, str]) -> Iterator[Doc]:
    first_by_content: Dict[bytes, str] = {}
    for doc, content_key in keyed_docs:
        first = first_by_content.setdefault(content_key, doc.id)
        if first == doc.id:
            yield doc
        else:
            aliases[doc.id] = first


def _content_key(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


TEXT_SUFFIXES = (".txt", ".text")  # compared case-insensitively, as newsidx's ArchiveWalker does


def txt_paths(root: str) -> List[str]:
    """All plain-text files below root (README.TXT too) in a deterministic order, skipping hidden ones."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        found.extend(os.path.join(folder, name) for name in sorted(files)
                     if name.lower().endswith(TEXT_SUFFIXES) and not name.startswith("."))
    return found


def iter_directory_docs(root: str) -> Iterator[Tuple[Doc, bytes]]:
    for path in txt_paths(root):
        with open(path, "rb") as handle:
            raw = handle.read()
        yield parse_txt_doc(path, raw), _content_key(raw)


def parse_txt_doc(path: str, raw: bytes) -> Doc:
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError:
        content = raw.decode("latin-1")
    lines = content.lstrip("\ufeff").splitlines()
    title_index = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    title = lines[title_index].strip() if title_index < len(lines) else ""
    text = "\n".join(lines[title_index + 1:]).strip()
    return Doc(id=path, title=title, text=text)


def iter_jsonl_docs(path: str) -> Iterator[Tuple[Doc, bytes]]:
    with open_jsonl_text(path) as lines:
        for line_number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            date = record.get("date")
            doc = Doc(id=str(record.get("id", line_number)), title=record.get("title") or "",
                      text=record.get("text") or record.get("contents") or "",
                      date=date if isinstance(date, str) else None)
            yield doc, _content_key(line.rstrip("\r\n").encode("utf-8"))


class _ZstdLines:
    """Text lines of a .zst file, decompressed by the `zstd` command."""

    def __init__(self, path: str):
        self._process = subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE)
        self._lines = io.TextIOWrapper(self._process.stdout, encoding="utf-8")

    def __enter__(self):
        return self._lines

    def __exit__(self, *exc_info):
        self._lines.close()
        if self._process.wait() != 0 and exc_info[0] is None:
            raise RuntimeError(f"zstd -dc failed with exit code {self._process.returncode}")


def open_jsonl_text(path: str):
    if path.endswith(".zst"):
        return _ZstdLines(path)
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, "r", encoding="utf-8")
