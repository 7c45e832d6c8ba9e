# Package behind Tools/eval-relevance (issue 7): relevance evaluation of the newsidx CLI on judged collections
# (SciFact, CACM) against published BM25 and peer-engine figures. Entry point: cli.main.
