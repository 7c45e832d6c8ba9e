# Judged relevance collections for Tools/eval-relevance: finding them under ../shared/corpora/relevance and
# loading their queries (sanitized for one-query-per-line stdin), TREC qrels, documents and document ids.
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

TOOLS_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = TOOLS_DIR.parent
RELEVANCE_CORPORA_DIR = REPO_ROOT.parent / "shared" / "corpora" / "relevance"
KNOWN_COLLECTIONS = ("scifact", "cacm")

# qid -> docid -> relevance grade, the shape pytrec_eval takes.
Qrels = dict[str, dict[str, int]]

# C0/C1 control characters (tab, CR, LF, NUL, ...), NEL and the Unicode line/paragraph separators: any of them
# could split or corrupt a query when queries are piped to the CLI one per line.
_LINE_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class CollectionError(Exception):
    """A collection is missing or malformed."""


@dataclass(frozen=True)
class Collection:
    name: str
    path: Path

    @property
    def corpus_path(self) -> Path:
        return self.path / "corpus.jsonl"

    @property
    def queries_path(self) -> Path:
        return self.path / "queries.tsv"

    @property
    def qrels_path(self) -> Path:
        return self.path / "qrels.tsv"

    @property
    def zero_padded_qrels_path(self) -> Path:
        return self.path / "qrels_zero_padded.tsv"


@dataclass(frozen=True)
class Query:
    qid: str
    text: str


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    text: str


def resolve_collection(spec: str) -> Collection:
    """A known collection name (scifact, cacm) or a directory holding corpus.jsonl, queries.tsv and qrels.tsv."""
    path = RELEVANCE_CORPORA_DIR / spec if spec in KNOWN_COLLECTIONS else Path(spec)
    collection = Collection(name=spec if spec in KNOWN_COLLECTIONS else path.resolve().name, path=path.resolve())
    for required in (collection.corpus_path, collection.queries_path, collection.qrels_path):
        if not required.is_file():
            raise CollectionError(f"collection {spec!r}: missing {required} "
                                  f"(a collection is {' or '.join(KNOWN_COLLECTIONS)} or a directory)")
    return collection


def sanitize_query_text(text: str) -> str:
    """Replaces line-unsafe characters with spaces and collapses runs of whitespace."""
    return " ".join(_LINE_UNSAFE_CHARACTERS.sub(" ", text).split())


def load_queries(collection: Collection) -> tuple[list[Query], int]:
    """Queries in file order, sanitized; also returns how many held line-unsafe characters.

    Splits on "\\n" only: str.splitlines() would also break on \\u2028 and friends inside a query. A query line with
    more than one tab keeps everything after the first tab as its text."""
    queries, unsafe_count = [], 0
    raw = collection.queries_path.read_text(encoding="utf-8")
    for line_number, line in enumerate(raw.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        qid, tab, text = line.partition("\t")
        if not tab:
            raise CollectionError(f"{collection.queries_path}:{line_number}: expected 'id<TAB>text'")
        unsafe_count += bool(_LINE_UNSAFE_CHARACTERS.search(text))
        queries.append(Query(qid=qid.strip(), text=sanitize_query_text(text)))
    return queries, unsafe_count


def load_qrels(path: Path) -> Qrels:
    """TREC qrels, 'qid iteration docid grade' separated by whitespace."""
    qrels: Qrels = {}
    for line_number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 4:
            raise CollectionError(f"{path}:{line_number}: expected 'qid 0 docid grade', got {line!r}")
        qid, _, doc_id, grade = fields
        qrels.setdefault(qid, {})[doc_id] = int(grade)
    return qrels


def iter_documents(collection: Collection) -> Iterator[Document]:
    with collection.corpus_path.open(encoding="utf-8") as corpus:
        for line in corpus:
            if line.strip():
                record = json.loads(line)
                yield Document(doc_id=str(record["id"]), title=record.get("title") or "", text=record.get("text") or "")


def load_document_ids(collection: Collection) -> set[str]:
    return {document.doc_id for document in iter_documents(collection)}


def unresolved_qrels_doc_ids(qrels: Qrels, doc_ids: set[str]) -> set[str]:
    return {doc_id for judged in qrels.values() for doc_id in judged if doc_id not in doc_ids}


def zero_padded_qrels(qrels: Qrels, doc_ids: set[str]) -> tuple[Qrels, int]:
    """Maps judged ids that are not in the corpus onto the corpus id with the same prefix and number
    (CACM-756 -> CACM-0756); returns the corrected qrels and how many judgments were remapped."""
    by_prefix_and_number = {}
    for doc_id in doc_ids:
        match = re.fullmatch(r"(.*?)(\d+)", doc_id)
        if match:
            by_prefix_and_number[(match[1], int(match[2]))] = doc_id
    corrected: Qrels = {}
    remapped = 0
    for qid, judged in qrels.items():
        for doc_id, grade in judged.items():
            match = re.fullmatch(r"(.*?)(\d+)", doc_id)
            if doc_id not in doc_ids and match and (match[1], int(match[2])) in by_prefix_and_number:
                doc_id = by_prefix_and_number[(match[1], int(match[2]))]
                remapped += 1
            corrected.setdefault(qid, {})[doc_id] = grade
    return corrected, remapped
