# What every engine adapter returns (BuildResult, Answer) and the warm-latency loop shared by in-process peers:
# one untimed warm-up pass over all queries, then one pass timed with perf_counter_ns around the search call.
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple


@dataclass
class BuildResult:
    engine: str
    wall_s: float
    peak_rss_bytes: int
    index_bytes: int
    docs: int
    corpus_bytes: int
    details: Dict = field(default_factory=dict)

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.wall_s if self.wall_s else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.corpus_bytes / 1e6 / self.wall_s if self.wall_s else 0.0


@dataclass
class Answer:
    count: Optional[int]
    ids: List[str]
    elapsed_us: Optional[float]
    error: Optional[str] = None
    dates: List[Optional[str]] = field(default_factory=list)  # the hits' dates, when the engine reports them


SearchCall = Callable[[str], Tuple[int, List[str]]]


def run_warm(search: SearchCall, query_texts: Sequence[str]) -> List[Answer]:
    for text in query_texts:
        _safe_search(search, text)
    answers = []
    for text in query_texts:
        started = time.perf_counter_ns()
        outcome = _safe_search(search, text)
        elapsed_us = (time.perf_counter_ns() - started) / 1000
        if isinstance(outcome, Exception):
            answers.append(Answer(None, [], None, error=str(outcome)))
        else:
            answers.append(Answer(outcome[0], outcome[1], elapsed_us))
    return answers


def _safe_search(search: SearchCall, text: str):
    try:
        return search(text)
    except Exception as error:  # a peer rejecting one query must not end the run
        return error
