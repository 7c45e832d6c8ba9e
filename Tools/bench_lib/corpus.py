# Reads a benchmark corpus: a directory of .txt files (first non-empty line = title) or a JSONL file
# (.jsonl, .jsonl.gz, .jsonl.zst) of {"id","title","text","date"?} records, streamed as Doc values.
import gzip
import io
import json
import os
import subprocess
from dataclasses import dataclass
from typing import Iterator, List


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    text: str

    def byte_size(self) -> int:
        return len(self.title.encode("utf-8")) + len(self.text.encode("utf-8"))


@dataclass(frozen=True)
class Corpus:
    path: str  # as given to the engines; directory-corpus ids start with it

    @property
    def is_directory(self) -> bool:
        return os.path.isdir(self.path)

    def docs(self) -> Iterator[Doc]:
        return iter_directory_docs(self.path) if self.is_directory else iter_jsonl_docs(self.path)


def txt_paths(root: str) -> List[str]:
    """All .txt files below root in a deterministic order, skipping hidden files and folders."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        found.extend(os.path.join(folder, name) for name in sorted(files)
                     if name.endswith(".txt") and not name.startswith("."))
    return found


def iter_directory_docs(root: str) -> Iterator[Doc]:
    for path in txt_paths(root):
        yield read_txt_doc(path)


def read_txt_doc(path: str) -> Doc:
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError:
        content = raw.decode("latin-1")
    lines = content.lstrip("\ufeff").splitlines()
    title_index = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    title = lines[title_index].strip() if title_index < len(lines) else ""
    text = "\n".join(lines[title_index + 1:]).strip()
    return Doc(id=path, title=title, text=text)


def iter_jsonl_docs(path: str) -> Iterator[Doc]:
    with open_jsonl_text(path) as lines:
        for line_number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            yield Doc(id=str(record.get("id", line_number)),
                      title=record.get("title") or "",
                      text=record.get("text") or "")


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
