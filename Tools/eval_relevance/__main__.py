# `python -m eval_relevance` entry point of Tools/eval-relevance (the launcher script sets PYTHONPATH=Tools).
# Owns nothing but handing the command line to cli.main.
import sys

from .cli import main

sys.exit(main())
