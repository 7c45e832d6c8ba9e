# ripgrep peer for phrase queries: `rg -F -i` over the corpus .txt files (directory corpora) or over a
# one-doc-per-line file written once under --out (JSONL corpora), and `rg -z` over a compressed JSONL
# corpus as stored; one process per query, like a user would.
import json
import os
from typing import Dict, List, Optional

from .corpus import Corpus

COMPRESSED_SUFFIXES = (".zst", ".gz", ".bz2", ".xz", ".lz4")


class RipgrepTarget:
    def __init__(self, corpus: Corpus, out_dir: str, aliases: Dict[str, str]):
        self._corpus = corpus
        self._aliases = aliases  # duplicate file -> first copy, so that duplicates count once
        self._lines_file: Optional[str] = None
        if not corpus.is_directory:
            self._lines_file = _write_lines_file_once(corpus, os.path.join(out_dir, "rg-corpus"))

    def argv(self, phrase: str) -> List[str]:
        if self._lines_file:
            return ["rg", "-c", "-F", "-i", "--", phrase, self._lines_file]
        return ["rg", "-l", "-F", "-i", "--iglob", "*.txt", "--iglob", "*.text", "--", phrase, self._corpus.path]

    def archive_argv(self, phrase: str) -> Optional[List[str]]:
        """rg -z over a compressed JSON Lines corpus as it is stored (None for other corpora): what
        someone with only the archive and ripgrep would run. It also decompresses at every query,
        and matches JSON text (escapes, ids and titles included), so its counts are not compared."""
        if self._corpus.is_directory or not self._corpus.path.endswith(COMPRESSED_SUFFIXES):
            return None
        return ["rg", "-z", "-c", "-F", "-i", "--", phrase, self._corpus.path]

    def count(self, stdout: str) -> int:
        """Matching docs: matching lines (one doc per line) or matching files."""
        if self._lines_file:
            return int(stdout.strip() or 0)
        return len({self._aliases.get(path, path) for path in stdout.splitlines() if path.strip()})


def _write_lines_file_once(corpus: Corpus, folder: str) -> str:
    """Title and text of each doc on one line, whitespace collapsed; rewritten only when the corpus changed."""
    os.makedirs(folder, exist_ok=True)
    lines_file = os.path.join(folder, "docs.txt")
    stamp_file = lines_file + ".source"
    source = os.stat(corpus.path)
    stamp = json.dumps({"path": os.path.abspath(corpus.path), "size": source.st_size, "mtime": source.st_mtime})
    if os.path.exists(lines_file) and os.path.exists(stamp_file) and open(stamp_file).read() == stamp:
        return lines_file
    with open(lines_file, "w", encoding="utf-8") as handle:
        for doc in corpus.docs():
            handle.write(" ".join((doc.title + " " + doc.text).split()) + "\n")
    with open(stamp_file, "w") as handle:
        handle.write(stamp)
    return lines_file
