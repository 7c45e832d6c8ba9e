# Renders one Query in each engine's syntax: newsidx CLI, SQLite FTS5 MATCH, tantivy's query parser, ripgrep.
# newsidx OR classes are bare words too: the caller passes --any for them.
from .queries import NEAR_DISTANCE, Query


def newsidx_query(query: Query) -> str:
    words = query.words
    if query.query_class == "phrase":
        return '"' + " ".join(words) + '"'
    if query.query_class == "near5":
        return f"{words[0]} NEAR/{NEAR_DISTANCE} {words[1]}"
    return " ".join(words)


def fts5_query(query: Query) -> str:
    quoted = [f'"{word}"' for word in query.words]
    if query.query_class == "phrase":
        return '"' + " ".join(query.words) + '"'
    if query.query_class == "near5":
        return f"NEAR({' '.join(quoted)}, {NEAR_DISTANCE})"
    return (" OR " if query.ranked_or else " AND ").join(quoted)


def tantivy_query(query: Query) -> str:
    """near5 becomes a sloppy phrase: ordered, so only comparable in cost, not in hit count."""
    words = query.words
    if query.query_class == "phrase":
        return '"' + " ".join(words) + '"'
    if query.query_class == "near5":
        return f'"{" ".join(words)}"~{NEAR_DISTANCE}'
    if query.ranked_or:
        return " ".join(words)
    return " ".join("+" + word for word in words)


def ripgrep_pattern(query: Query) -> str:
    return " ".join(query.words)


def tantivy_counts_comparable(query: Query) -> bool:
    return query.query_class != "near5"
