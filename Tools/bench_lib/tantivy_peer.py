# tantivy peer (Python bindings): one indexed text field = title + "\n" + text (default or en_stem tokenizer),
# a stored id field; BM25 defaults. Builds the index and answers queries in-process (count + top-10 ids).
import os
import shutil
from typing import List, Tuple

from .corpus import Corpus

TOKENIZERS = {"none": "default", "english": "en_stem"}
WRITER_HEAP_BYTES = 256_000_000


def build_index(corpus: Corpus, dest: str, stemmer: str) -> Tuple[int, int]:
    import tantivy
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    schema = _schema(tantivy, stemmer)
    writer = tantivy.Index(schema, path=dest, reuse=False).writer(WRITER_HEAP_BYTES)
    docs = corpus_bytes = 0
    for doc in corpus.docs():
        writer.add_document(tantivy.Document(id=doc.id, text=doc.title + "\n" + doc.text))
        docs += 1
        corpus_bytes += doc.byte_size()
    writer.commit()
    writer.wait_merging_threads()
    return docs, corpus_bytes


def _schema(tantivy, stemmer: str):
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("text", stored=False, tokenizer_name=TOKENIZERS[stemmer])
    return builder.build()


class TantivySearcher:
    def __init__(self, index_dir: str):
        import tantivy
        self._index = tantivy.Index.open(index_dir)
        self._index.reload()
        self._searcher = self._index.searcher()

    def search(self, query_text: str, limit: int = 10) -> Tuple[int, List[str]]:
        """Total matching docs and the ids of the top `limit` by BM25."""
        query = self._index.parse_query(query_text, ["text"])
        result = self._searcher.search(query, limit, count=True)
        ids = [self._searcher.doc(address)["id"][0] for _, address in result.hits]
        return result.count, ids
