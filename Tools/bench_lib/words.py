# The bench's word tokenizer, modelled on SQLite FTS5 `unicode61 remove_diacritics 2`:
# maximal runs of Unicode letters/digits, lowercased, diacritics removed. Used only to draw queries.
import re
import unicodedata
from dataclasses import dataclass
from typing import List, Set

_TOKEN = re.compile(r"[^\W_]+")
# "don't", "Qa'ida", "week's": engines split these differently (FTS5: don + t; newsidx: dont), so their
# pieces are never drawn as query words.
_APOSTROPHE_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)+")
MIN_WORD_LENGTH = 3
MAX_WORD_LENGTH = 30  # tantivy drops tokens of 40+ bytes; stay well below


@dataclass(frozen=True)
class Token:
    word: str  # folded
    start: int
    end: int
    drawable: bool  # may be used as a query word


def fold(token: str) -> str:
    """Lowercase and strip combining marks (é -> e), like remove_diacritics 2 for Latin letters."""
    token = token.lower()
    if token.isascii():
        return token
    decomposed = unicodedata.normalize("NFD", token)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_query_word(word: str) -> bool:
    """3+ letters only, so no digit runs or one- and two-letter fragments."""
    return MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH and word.isalpha()


def token_stream(text: str) -> List[Token]:
    """Every token with its offsets, in FTS5 positions; pieces of apostrophe words are not drawable."""
    inside_apostrophe_word = _apostrophe_word_offsets(text)
    stream = []
    for match in _TOKEN.finditer(text):
        word = fold(match.group())
        drawable = is_query_word(word) and match.start() not in inside_apostrophe_word
        stream.append(Token(word, match.start(), match.end(), drawable))
    return stream


def _apostrophe_word_offsets(text: str) -> Set[int]:
    """Start offsets of the tokens that belong to an apostrophe word."""
    starts: Set[int] = set()
    for match in _APOSTROPHE_WORD.finditer(text):
        starts.update(match.start() + piece.start() for piece in _TOKEN.finditer(match.group()))
    return starts


def query_word_set(text: str) -> Set[str]:
    """Distinct drawable words of a text (fast path: one lowercasing, folding only non-ASCII tokens)."""
    plain = _APOSTROPHE_WORD.sub(" ", text.lower())
    folded = {token if token.isascii() else fold(token) for token in set(_TOKEN.findall(plain))}
    return {token for token in folded if is_query_word(token)}


def distinct_query_words(text: str) -> List[str]:
    """Sorted distinct drawable words of a text (sorted so that random draws are deterministic)."""
    return sorted(query_word_set(text))
