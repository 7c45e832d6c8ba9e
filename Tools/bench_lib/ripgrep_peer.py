# ripgrep peer for phrase queries, one process per query as a user would run it: `rg -F -i` over the
# corpus .txt files (directory corpora); for JSONL corpora over a one-doc-per-line file and over a folder of
# one file per doc (both written once under --out), and `rg -z` over the corpus as stored.
import json
import os
import shutil
from typing import Dict, List, Optional

from .corpus import Corpus

COMPRESSED_SUFFIXES = (".zst", ".gz", ".bz2", ".xz", ".lz4")


class RipgrepTarget:
    def __init__(self, corpus: Corpus, out_dir: str, aliases: Dict[str, str]):
        self._corpus = corpus
        self._aliases = aliases  # duplicate file -> first copy, so that duplicates count once
        self._lines_file: Optional[str] = None
        self.files_folder: Optional[str] = None
        if not corpus.is_directory:
            self._lines_file = _write_lines_file_once(corpus, os.path.join(out_dir, "rg-corpus"))
            self.files_folder = _write_files_once(corpus, os.path.join(out_dir, "rg-files"))

    @property
    def inputs(self) -> List[str]:
        """What the rg commands read, for putting it into the page cache before they are timed."""
        if self._corpus.is_directory:
            return [self._corpus.path]
        return [os.path.dirname(self._lines_file), self.files_folder]

    def argv(self, phrase: str) -> List[str]:
        if self._lines_file:
            return ["rg", "-c", "-F", "-i", "--", phrase, self._lines_file]
        return ["rg", "-l", "-F", "-i", "--iglob", "*.txt", "--iglob", "*.text", "--", phrase, self._corpus.path]

    def files_argv(self, phrase: str) -> Optional[List[str]]:
        """rg -l over a folder holding each doc of a JSONL corpus as its own file (None for directory
        corpora, which argv already searches file by file): an archive laid out as scraped articles usually
        are, one file per article. Each file holds the same line as the lines file, so counts compare."""
        if not self.files_folder:
            return None
        return ["rg", "-l", "-F", "-i", "--", phrase, self.files_folder]

    def archive_argv(self, phrase: str) -> Optional[List[str]]:
        """rg -z over a compressed JSON Lines corpus as it is stored (None for other corpora): what
        someone with only the archive and ripgrep would run. It also decompresses at every query,
        and matches JSON text (escapes, ids and titles included), so its counts are not compared."""
        if self._corpus.is_directory or not self._corpus.path.endswith(COMPRESSED_SUFFIXES):
            return None
        return ["rg", "-z", "-c", "-F", "-i", "--", phrase, self._corpus.path]

    def count(self, stdout: str, files: bool = False) -> int:
        """Matching docs: matching lines (one doc per line) or matching files."""
        if files:
            return len(stdout.splitlines())
        if self._lines_file:
            return int(stdout.strip() or 0)
        return len({self._aliases.get(path, path) for path in stdout.splitlines() if path.strip()})


def _write_lines_file_once(corpus: Corpus, folder: str) -> str:
    """Each doc on one line; rewritten only when the corpus changed."""
    os.makedirs(folder, exist_ok=True)
    lines_file = os.path.join(folder, "docs.txt")
    stamp_file = lines_file + ".source"
    if not _written_from(corpus, stamp_file):
        with open(lines_file, "w", encoding="utf-8") as handle:
            for doc in corpus.docs():
                handle.write(_one_line(doc) + "\n")
        _stamp(corpus, stamp_file)
    return lines_file


def _write_files_once(corpus: Corpus, folder: str) -> str:
    """Each doc as its own file, 1,000 to a subfolder; rewritten only when the corpus changed."""
    stamp_file = folder + ".source"
    if not _written_from(corpus, stamp_file):
        shutil.rmtree(folder, ignore_errors=True)
        for number, doc in enumerate(corpus.docs()):
            subfolder = os.path.join(folder, f"{number // 1000:03d}")
            if number % 1000 == 0:
                os.makedirs(subfolder)
            with open(os.path.join(subfolder, f"{number:06d}.txt"), "w", encoding="utf-8") as handle:
                handle.write(_one_line(doc) + "\n")
        _stamp(corpus, stamp_file)
    return folder


def _one_line(doc) -> str:
    """Title and text with whitespace collapsed, so a phrase across a line break is found as newsidx finds it."""
    return " ".join((doc.title + " " + doc.text).split())


def _source_stamp(corpus: Corpus) -> str:
    source = os.stat(corpus.path)
    return json.dumps({"path": os.path.abspath(corpus.path), "size": source.st_size, "mtime": source.st_mtime})


def _written_from(corpus: Corpus, stamp_file: str) -> bool:
    return os.path.exists(stamp_file) and open(stamp_file).read() == _source_stamp(corpus)


def _stamp(corpus: Corpus, stamp_file: str) -> None:
    with open(stamp_file, "w") as handle:
        handle.write(_source_stamp(corpus))
