# SQLite FTS5 peer via Python's sqlite3: columns id UNINDEXED, title, text; unicode61 remove_diacritics 2
# (porter-wrapped for --stemmer english); count(*) and bm25 top-10 (ORDER BY rank), in-process and via the CLI.
import os
import sqlite3
from typing import List, Tuple

from .corpus import Corpus

TOKENIZE = {"none": "unicode61 remove_diacritics 2", "english": "porter unicode61 remove_diacritics 2"}
COUNT_SQL = "SELECT count(*) FROM docs WHERE docs MATCH ?"
TOP_SQL = "SELECT id FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?"
IDS_SQL = "SELECT id FROM docs WHERE docs MATCH ?"
INSERT_BATCH = 1000


def build_index(corpus: Corpus, dest: str, stemmer: str) -> Tuple[int, int]:
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(dest + suffix):
            os.remove(dest + suffix)
    connection = sqlite3.connect(dest)
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute(f"CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, "
                       f"tokenize = '{TOKENIZE[stemmer]}')")
    docs = corpus_bytes = 0
    batch = []
    with connection:
        for doc in corpus.docs():
            batch.append((doc.id, doc.title, doc.text))
            docs += 1
            corpus_bytes += doc.byte_size()
            if len(batch) == INSERT_BATCH:
                connection.executemany("INSERT INTO docs(id, title, text) VALUES (?, ?, ?)", batch)
                batch.clear()
        connection.executemany("INSERT INTO docs(id, title, text) VALUES (?, ?, ?)", batch)
        connection.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    connection.close()
    return docs, corpus_bytes


class Fts5Searcher:
    def __init__(self, db_path: str):
        self._connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

    def search(self, query_text: str, limit: int = 10) -> Tuple[int, List[str]]:
        count = self._connection.execute(COUNT_SQL, (query_text,)).fetchone()[0]
        ids = [row[0] for row in self._connection.execute(TOP_SQL, (query_text, limit))]
        return count, ids

    def matching_ids(self, query_text: str) -> List[str]:
        return [row[0] for row in self._connection.execute(IDS_SQL, (query_text,))]


def sqlite3_cli_argv(db_path: str, query_text: str, limit: int = 10) -> List[str]:
    """One sqlite3 CLI process doing the same work as Fts5Searcher.search (count, then top ids)."""
    literal = "'" + query_text.replace("'", "''") + "'"
    sql = (f"{COUNT_SQL.replace('?', literal)}; "
           f"{TOP_SQL.replace('MATCH ?', 'MATCH ' + literal).replace('LIMIT ?', f'LIMIT {limit}')};")
    return ["sqlite3", "-readonly", db_path, sql]
