# Ranked runs for Tools/eval-relevance: parsing `newsidx search --batch` JSON Lines into a run, and writing
# runs as TREC run files ('qid Q0 docid rank score tag').
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .corpora import Query


class BatchOutputError(Exception):
    """The CLI's batch output does not match the queries sent to it."""


@dataclass(frozen=True)
class Hit:
    doc_id: str
    score: float


@dataclass
class Run:
    """Hits per qid in the engine's ranked order, per-query errors, and per-query latency where reported."""
    hits_by_qid: dict[str, list[Hit]] = field(default_factory=dict)
    errors_by_qid: dict[str, str] = field(default_factory=dict)
    latencies_us: list[int] = field(default_factory=list)
    wall_seconds: float = 0.0

    def empty_query_count(self, qids: list[str]) -> int:
        return sum(1 for qid in qids if not self.hits_by_qid.get(qid))


def parse_batch_output(jsonl: str, queries: list[Query], limit: int) -> Run:
    """One JSON object per query line:
    {"query": <1-based line>, "elapsed_us": N, "count": N, "hits": [{"rank": 1, "id": "docid", "score": 1.23}, ...]}
    or {"query": <line>, "error": "message"} for a query the CLI rejected (it then counts as answering nothing)."""
    run = Run()
    for line_number, line in enumerate(jsonl.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            result = json.loads(line)
            query_line = int(result["query"])
            hits = [] if "error" in result else [Hit(doc_id=str(hit["id"]), score=float(hit["score"]))
                                                 for hit in result["hits"]]
        except (ValueError, KeyError, TypeError) as error:
            raise BatchOutputError(f"output line {line_number}: {error}: {line[:200]!r}") from error
        if not 1 <= query_line <= len(queries):
            raise BatchOutputError(f"output line {line_number}: query {query_line} outside 1...{len(queries)}")
        qid = queries[query_line - 1].qid
        if qid in run.hits_by_qid:
            raise BatchOutputError(f"output line {line_number}: query {query_line} answered twice")
        check_hits(hits, qid, limit)
        run.hits_by_qid[qid] = hits
        if "error" in result:
            run.errors_by_qid[qid] = str(result["error"])
        if "elapsed_us" in result:
            run.latencies_us.append(int(result["elapsed_us"]))
    unanswered = [query.qid for query in queries if query.qid not in run.hits_by_qid]
    if unanswered:
        raise BatchOutputError(f"{len(unanswered)} of {len(queries)} queries got no output object, "
                               f"e.g. qids {unanswered[:5]}")
    return run


def check_hits(hits: list[Hit], qid: str, limit: int) -> None:
    if len(hits) > limit:
        raise BatchOutputError(f"query {qid}: {len(hits)} hits exceed --limit {limit}")
    doc_ids = [hit.doc_id for hit in hits]
    if len(set(doc_ids)) != len(doc_ids):
        raise BatchOutputError(f"query {qid}: a document appears twice in the hits")


def count_tied_neighbours(run: Run, depth: int = 10) -> int:
    """Adjacent hits with equal scores within the top `depth`: trec_eval would reorder those by docid."""
    return sum(
        1
        for hits in run.hits_by_qid.values()
        for upper, lower in zip(hits[:depth], hits[1:depth])
        if upper.score == lower.score
    )


def write_trec_run(run: Run, queries: list[Query], path: Path, tag: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for query in queries:
            for rank, hit in enumerate(run.hits_by_qid.get(query.qid, []), start=1):
                out.write(f"{query.qid} Q0 {hit.doc_id} {rank} {hit.score:.6f} {tag}\n")
