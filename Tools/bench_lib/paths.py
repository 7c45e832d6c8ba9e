# Where the bench finds things: the repo root, the default corpus, binary and work folder.
# Everything is resolved from this file's location, never from machine-specific absolute paths.
import os

TOOLS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_ROOT = os.path.dirname(TOOLS_DIR)
DEFAULT_CORPUS = os.path.join(REPO_ROOT, "..", "shared", "corpora", "bbc")
DEFAULT_BINARY = os.path.join(REPO_ROOT, ".build", "release", "newsidx")
DEFAULT_OUT_DIR = os.path.join(TOOLS_DIR, ".bench")


def display_path(path: str) -> str:
    """The path relative to the working directory when that is shorter; used for ids and messages."""
    relative = os.path.relpath(path)
    return relative if len(relative) < len(os.path.abspath(path)) else os.path.abspath(path)
