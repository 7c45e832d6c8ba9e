# bench_lib: the Python side of Tools/bench, which compares newsidx with tantivy, SQLite FTS5 and ripgrep.
# Entry point: `python -m bench_lib` (run through Tools/bench, which sets up the venv first).
