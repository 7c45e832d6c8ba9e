# Result-quality comparisons between engines: per class, the fraction of queries with equal hit counts and the
# mean top-10 overlap (|A∩B| / 10, or / the smaller set's size when either has fewer than 10 hits).
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

from .engine_common import Answer
from .queries import Query

TOP_K = 10


@dataclass
class CountDisagreement:
    query: Query
    counts: Dict[str, Optional[int]]
    only_reference: List[str] = field(default_factory=list)  # docs only the reference engine matched
    only_oracle: List[str] = field(default_factory=list)


def explain(row: CountDisagreement, reference_ids: Sequence[str], oracle_ids: Sequence[str]) -> None:
    reference, oracle = set(reference_ids), set(oracle_ids)
    row.only_reference = sorted(reference - oracle)
    row.only_oracle = sorted(oracle - reference)


def top_overlap(first: Sequence[str], second: Sequence[str], k: int = TOP_K) -> float:
    a, b = list(first)[:k], list(second)[:k]
    denominator = min(len(a), len(b))
    if denominator == 0:
        return 1.0 if len(a) == len(b) else 0.0
    return len(set(a) & set(b)) / denominator


def count_agreement(queries: Sequence[Query], first: Sequence[Answer], second: Sequence[Answer],
                    comparable: Callable[[Query], bool] = lambda query: True) -> Dict[str, Dict]:
    """Per class: {"n", "equal", "fraction"}; queries where either side failed or that are not comparable
    are left out of n (fraction None when n is 0)."""
    per_class: Dict[str, Dict] = {}
    for query, a, b in zip(queries, first, second):
        tally = per_class.setdefault(query.query_class, {"n": 0, "equal": 0})
        if not comparable(query) or a.count is None or b.count is None:
            continue
        tally["n"] += 1
        tally["equal"] += int(a.count == b.count)
    for tally in per_class.values():
        tally["fraction"] = tally["equal"] / tally["n"] if tally["n"] else None
    return per_class


def mean_top_overlap(queries: Sequence[Query], first: Sequence[Answer], second: Sequence[Answer],
                     classes: Optional[Sequence[str]] = None) -> Dict[str, Optional[float]]:
    sums: Dict[str, List[float]] = {}
    for query, a, b in zip(queries, first, second):
        if classes is not None and query.query_class not in classes:
            continue
        if a.error or b.error:
            continue
        sums.setdefault(query.query_class, []).append(top_overlap(a.ids, b.ids))
    return {name: sum(values) / len(values) for name, values in sums.items() if values}


def count_disagreements(queries: Sequence[Query], answers: Dict[str, Sequence[Answer]], reference: str,
                        oracle: str, comparable: Callable[[str, Query], bool]) -> List[CountDisagreement]:
    """Queries where `reference` and `oracle` counts differ (or either failed), with every engine's count
    (None where that engine's count is not comparable for the query)."""
    rows = []
    for index, query in enumerate(queries):
        counts = {engine: engine_answers[index].count if comparable(engine, query) else None
                  for engine, engine_answers in answers.items()}
        if counts[reference] != counts[oracle]:
            rows.append(CountDisagreement(query, counts))
    return rows


def write_disagreements(rows: Sequence[CountDisagreement], query_text: Callable[[Query], str],
                        engines: Sequence[str], path: str, examples: int = 3) -> None:
    """TSV: the query, every engine's count, and how many (and which, up to `examples`) docs only
    newsidx or only FTS5 matched (blank when the row was not explained)."""
    header = (["query", "class", "words", "newsidx query"] + [f"{e} count" for e in engines]
              + ["only newsidx", "only fts5", "e.g. only newsidx", "e.g. only fts5"])
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\t".join(header) + "\n")
        for row in rows:
            counts = ["n/a" if row.counts.get(e) is None else str(row.counts[e]) for e in engines]
            explained = bool(row.only_reference or row.only_oracle)
            detail = ([str(len(row.only_reference)), str(len(row.only_oracle)),
                       " ".join(row.only_reference[:examples]), " ".join(row.only_oracle[:examples])]
                      if explained else ["", "", "", ""])
            handle.write("\t".join([row.query.label, row.query.query_class, " ".join(row.query.words),
                                    query_text(row.query)] + counts + detail) + "\n")
