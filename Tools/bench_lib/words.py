# The bench's word tokenizer, modelled on SQLite FTS5 `unicode61 remove_diacritics 2`:
# maximal runs of Unicode letters/digits, lowercased, diacritics removed. Used only to draw queries.
import re
import unicodedata
from typing import Iterator, List, Set, Tuple

_TOKEN = re.compile(r"[^\W_]+")
MIN_WORD_LENGTH = 3
MAX_WORD_LENGTH = 30  # tantivy drops tokens of 40+ bytes; stay well below


def fold(token: str) -> str:
    """Lowercase and strip combining marks (é -> e), like remove_diacritics 2 for Latin letters."""
    token = token.lower()
    if token.isascii():
        return token
    decomposed = unicodedata.normalize("NFD", token)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> List[str]:
    return [fold(token) for token in _TOKEN.findall(text)]


def token_spans(text: str) -> Iterator[Tuple[str, int, int]]:
    """Each token folded, with its start and end offsets in `text`."""
    for match in _TOKEN.finditer(text):
        yield fold(match.group()), match.start(), match.end()


def is_query_word(token: str) -> bool:
    """Words that queries may use: 3+ letters only, so no digit runs or apostrophe fragments (don't -> don, t)."""
    return MIN_WORD_LENGTH <= len(token) <= MAX_WORD_LENGTH and token.isalpha()


def query_word_set(text: str) -> Set[str]:
    """Distinct query words of a text; lowercases the text once and folds only non-ASCII tokens (fast path)."""
    raw = set(_TOKEN.findall(text.lower()))
    folded = {token if token.isascii() else fold(token) for token in raw}
    return {token for token in folded if is_query_word(token)}


def distinct_query_words(text: str) -> List[str]:
    """Sorted distinct query words of a text (sorted so that random draws are deterministic)."""
    return sorted(query_word_set(text))
