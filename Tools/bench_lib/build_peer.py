# Child-process entry point that builds one peer index (`python -m bench_lib.build_peer ENGINE CORPUS DEST STEMMER`),
# so the parent can measure that build's wall time and peak RSS alone; prints {"docs","bytes"} as JSON.
import json
import sys

from .corpus import Corpus


def main() -> None:
    engine, corpus_path, dest, stemmer = sys.argv[1:5]
    if engine == "tantivy":
        from .tantivy_peer import build_index
    elif engine == "fts5":
        from .fts5_peer import build_index
    else:
        raise SystemExit(f"unknown peer {engine}")
    docs, corpus_bytes = build_index(Corpus(corpus_path), dest, stemmer)
    json.dump({"docs": docs, "bytes": corpus_bytes}, sys.stdout)


if __name__ == "__main__":
    main()
