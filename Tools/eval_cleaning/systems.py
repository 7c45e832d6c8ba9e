"""systems: the extractors compared, each a function from a page record to output text:
newsidx (its CLI), trafilatura and jusText on HTML, jusText on the plain-text dump."""
import gzip
import json
import os
import subprocess

import justext
import trafilatura

STOPLISTS = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish",
    "it": "Italian", "pt": "Portuguese", "pl": "Polish",
}
_stoplists = {code: justext.get_stoplist(name) for code, name in STOPLISTS.items()}


def read_html(path):
    with gzip.open(path, "rb") as f:
        return f.read()


def read_text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", errors="replace")


def guess_language(text):
    """The listed language whose jusText stoplist covers most words, for jusText's own use."""
    words = text.lower().split()[:5000]
    return max(_stoplists, key=lambda code: sum(1 for w in words if w in _stoplists[code]))


def newsidx(binary, path):
    result = subprocess.run([binary, "clean", "--format", "json", path],
                            capture_output=True, timeout=120)
    # 1: no article text found in the page (as grep finding nothing); its JSON is still written.
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{binary} failed on {path}: {result.stderr.decode(errors='replace')[:300]}")
    # raw_decode: the first JSON value, whatever follows it (str.splitlines would also split at U+2028).
    article, _ = json.JSONDecoder().raw_decode(result.stdout.decode("utf-8", errors="replace").lstrip())
    return article.get("body") or ""


def trafilatura_html(html_bytes, url):
    return trafilatura.extract(html_bytes, url=url, include_comments=False) or ""


def justext_html(html_bytes, text_for_language):
    stoplist = _stoplists[guess_language(text_for_language)]
    paragraphs = justext.justext(html_bytes, stoplist)
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def justext_lines(text):
    """jusText on a plain-text dump: each non-empty line becomes one <p> paragraph."""
    from html import escape
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    html = "<html><body>" + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</body></html>"
    stoplist = _stoplists[guess_language(text)]
    paragraphs = justext.justext(html.encode("utf-8"), stoplist, encoding="utf-8")
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def default_binary(package_root):
    return os.environ.get("NEWSIDX_BIN") or os.path.join(package_root, ".build", "release", "newsidx")
