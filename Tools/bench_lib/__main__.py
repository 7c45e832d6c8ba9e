# Module entry point of bench_lib: `python -m bench_lib [options]`.
# All option parsing and orchestration lives in cli.py.
from .cli import main

main()
