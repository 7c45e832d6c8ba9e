# Result-quality comparisons between engines: per class, the fraction of queries with equal hit counts and the
# mean top-10 overlap (|A∩B| / 10, or / the smaller set's size when either has fewer than 10 hits).
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence

from .engine_common import Answer
from .queries import Query

TOP_K = 10


@dataclass
class CountDisagreement:
    query: Query
    counts: Dict[str, Optional[int]]


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
                        engines: Sequence[str], path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\t".join(["query", "class", "words", "newsidx query"] + [f"{e} count" for e in engines]) + "\n")
        for row in rows:
            counts = ["n/a" if row.counts.get(e) is None else str(row.counts[e]) for e in engines]
            handle.write("\t".join([row.query.label, row.query.query_class, " ".join(row.query.words),
                                    query_text(row.query)] + counts) + "\n")
