# Draws the deterministic query set from the corpus: 7 classes (rare, common, and2, or23, phrase, near5, any5),
# N queries each, from a seeded RNG, and saves it as TSV for inspection.
import random
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .corpus import Doc
from .words import distinct_query_words, query_word_set, token_stream

CLASSES = ("rare", "common", "and2", "or23", "phrase", "near5", "any5")
OR_CLASSES = ("or23", "any5")
NEAR_DISTANCE = 5
RARE_DF = (2, 10)
COMMON_DF_FRACTION = 0.05
MAX_DRAW_ATTEMPTS = 200


@dataclass(frozen=True)
class Query:
    query_class: str
    number: int  # 1-based within its class
    words: Tuple[str, ...]

    @property
    def ranked_or(self) -> bool:
        return self.query_class in OR_CLASSES

    @property
    def label(self) -> str:
        return f"{self.query_class}#{self.number}"


def document_frequencies(docs: Sequence[Doc]) -> Counter:
    """Number of docs (title + text) containing each query word."""
    frequencies: Counter = Counter()
    for doc in docs:
        frequencies.update(query_word_set(doc.title + "\n" + doc.text))
    return frequencies


def generate_query_set(docs: Sequence[Doc], per_class: int, seed: int,
                       classes: Sequence[str] = CLASSES) -> List[Query]:
    frequencies = document_frequencies(docs)
    drawers: Dict[str, Callable[[random.Random], Optional[Tuple[str, ...]]]] = {
        "rare": _single_word_drawer(_words_with_df(frequencies, *RARE_DF)),
        "common": _single_word_drawer(_words_with_df(frequencies, int(len(docs) * COMMON_DF_FRACTION) + 1,
                                                     len(docs))),
        "and2": _doc_words_drawer(docs, lambda rng: 2),
        "or23": _doc_words_drawer(docs, lambda rng: rng.choice((2, 3))),
        "phrase": _phrase_drawer(docs),
        "near5": _near_drawer(docs),
        "any5": _doc_words_drawer(docs, lambda rng: 5),
    }
    queries: List[Query] = []
    for query_class in classes:
        rng = random.Random(f"{seed}:{query_class}")
        drawn = _draw_distinct(drawers[query_class], rng, per_class)
        queries.extend(Query(query_class, i + 1, words) for i, words in enumerate(drawn))
    return queries


def _draw_distinct(drawer, rng: random.Random, count: int) -> List[Tuple[str, ...]]:
    """Up to `count` distinct draws; fewer when the corpus runs out of candidates."""
    drawn: List[Tuple[str, ...]] = []
    seen = set()
    attempts = 0
    while len(drawn) < count and attempts < count * MAX_DRAW_ATTEMPTS:
        attempts += 1
        words = drawer(rng)
        if words and words not in seen:
            seen.add(words)
            drawn.append(words)
    return drawn


def _words_with_df(frequencies: Counter, low: int, high: int) -> List[str]:
    return sorted(word for word, df in frequencies.items() if low <= df <= high)


def _single_word_drawer(candidates: List[str]):
    def draw(rng: random.Random):
        return (rng.choice(candidates),) if candidates else None
    return draw


def _doc_words_drawer(docs: Sequence[Doc], word_count: Callable[[random.Random], int]):
    """Distinct words of one random doc (title + text): they co-occur in at least that doc."""
    def draw(rng: random.Random):
        doc = rng.choice(docs)
        wanted = word_count(rng)
        words = distinct_query_words(doc.title + "\n" + doc.text)
        return tuple(rng.sample(words, wanted)) if len(words) >= wanted else None
    return draw


def _phrase_drawer(docs: Sequence[Doc]):
    """2-4 consecutive words of a doc's text, separated by single spaces in the source (a natural phrase)."""
    def draw(rng: random.Random):
        doc = rng.choice(docs)
        length = rng.randint(2, 4)
        runs = _space_separated_word_runs(doc.text, length)
        return rng.choice(runs) if runs else None
    return draw


def _space_separated_word_runs(text: str, length: int) -> List[Tuple[str, ...]]:
    stream = token_stream(text)
    runs = []
    for start in range(len(stream) - length + 1):
        window = stream[start:start + length]
        if all(token.drawable for token in window) and all(
                text[left.end:right.start] == " " for left, right in zip(window, window[1:])):
            runs.append(tuple(token.word for token in window))
    return runs


def _near_drawer(docs: Sequence[Doc]):
    """Two different words of a doc's text with at most NEAR_DISTANCE tokens between them."""
    def draw(rng: random.Random):
        doc = rng.choice(docs)
        stream = token_stream(doc.text)
        gap = rng.randint(1, NEAR_DISTANCE + 1)  # gap - 1 tokens between the two words
        pairs = [(first.word, second.word) for first, second in zip(stream, stream[gap:])
                 if first.drawable and second.drawable and first.word != second.word]
        return rng.choice(pairs) if pairs else None
    return draw


def save_queries(queries: Sequence[Query], path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("class\tnumber\twords\n")
        for query in queries:
            handle.write(f"{query.query_class}\t{query.number}\t{' '.join(query.words)}\n")


def queries_by_class(queries: Sequence[Query]) -> Dict[str, List[Query]]:
    grouped: Dict[str, List[Query]] = {}
    for query in queries:
        grouped.setdefault(query.query_class, []).append(query)
    return grouped
