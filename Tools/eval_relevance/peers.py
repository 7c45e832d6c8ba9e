# Reference points for Tools/eval-relevance: the published and peer-engine figures quoted in the collections'
# SOURCE.md and in issue 7, and an optional live bm25s run on the same queries (--peer bm25s).
from __future__ import annotations

import time
from dataclasses import dataclass

from .corpora import Collection, Query, iter_documents
from .runs import Hit, Run


@dataclass(frozen=True)
class ReferenceFigure:
    label: str
    kind: str  # "published" (the baseline to beat), "peer" (another engine) or "sanity" (a check, not a target)
    metrics: dict[str, float]


# Per collection: the measure the comparison turns on, the measures to print, and the quoted figures.
HEADLINE_MEASURE = {"scifact": "nDCG@10", "cacm": "MAP"}
MEASURES_SHOWN = {
    "scifact": ["nDCG@10", "MAP", "R@100", "P@10"],
    "cacm": ["nDCG@10", "MAP", "R@100", "P@10", "P@30"],
}
DEFAULT_MEASURES = ["nDCG@10", "MAP", "R@100", "P@10"]

REFERENCE_FIGURES = {
    "scifact": [
        ReferenceFigure("Anserini BM25 flat (published)", "published", {"nDCG@10": 0.6789, "R@100": 0.9253}),
        ReferenceFigure("tantivy (issue 7)", "peer", {"nDCG@10": 0.687}),
        ReferenceFigure("SQLite FTS5 (issue 7)", "peer", {"nDCG@10": 0.687}),
        ReferenceFigure("Xapian (issue 7)", "peer", {"nDCG@10": 0.690}),
        ReferenceFigure("bm25s (issue 7)", "peer", {"nDCG@10": 0.686}),
        ReferenceFigure("Python BM25 sanity (SOURCE.md)", "sanity", {"nDCG@10": 0.6756}),
    ],
    "cacm": [
        ReferenceFigure("Anserini BM25 (published)", "published", {"MAP": 0.3123, "P@30": 0.1942}),
        ReferenceFigure("tantivy (issue 7)", "peer", {"MAP": 0.260}),
        ReferenceFigure("SQLite FTS5 (issue 7)", "peer", {"MAP": 0.270}),
        ReferenceFigure("Xapian (issue 7)", "peer", {"MAP": 0.279}),
        ReferenceFigure("bm25s (issue 7)", "peer", {"MAP": 0.263}),
        ReferenceFigure("Python BM25 sanity (SOURCE.md)", "sanity", {"MAP": 0.3064}),
    ],
}
# Figures quoted against the corrected (zero-padded) CACM qrels.
ZERO_PADDED_REFERENCE_FIGURES = {
    "cacm": [ReferenceFigure("Python BM25 sanity (SOURCE.md)", "sanity", {"MAP": 0.3191})],
}


def bm25s_label(k1: float, b: float, stemmer: str) -> str:
    return f"bm25s live (k1 {k1:g} b {b:g}, 33 stopwords, {stemmer})"


def run_bm25s(collection: Collection, queries: list[Query], stemmer_name: str, k1: float, b: float,
              limit: int) -> Run:
    """Lucene-variant BM25 over title + text with Lucene's 33 English stop words and a Snowball stemmer;
    the run's wall time covers query tokenizing and retrieval, not indexing."""
    import bm25s
    import Stemmer

    stemmer = None if stemmer_name in ("none", "off") else Stemmer.Stemmer(stemmer_name)
    documents = list(iter_documents(collection))
    texts = [f"{document.title} {document.text}" for document in documents]
    retriever = bm25s.BM25(k1=k1, b=b, method="lucene")
    retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False),
                    show_progress=False)
    started = time.monotonic()
    query_tokens = bm25s.tokenize([query.text for query in queries], stopwords="en", stemmer=stemmer,
                                  show_progress=False)
    top_k = min(limit, len(documents))
    doc_indexes, scores = retriever.retrieve(query_tokens, k=top_k, show_progress=False, n_threads=1)
    run = Run(wall_seconds=time.monotonic() - started)
    for row, query in enumerate(queries):
        run.hits_by_qid[query.qid] = [
            Hit(doc_id=documents[doc_index].doc_id, score=float(score))
            for doc_index, score in zip(doc_indexes[row], scores[row])
            if score > 0
        ]
    return run
