"""Function words of the languages articles come in, shared by alignment, diff and detector."""

from __future__ import annotations

from functools import lru_cache

from viewer.resources import read_text


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Union of short stopword lists (en, de, fr, es, it, nl, pt): no language detection needed.

    Shipped in resources/extraneous/stopwords.txt, a word a line (# starts a comment):
    a plain list, which the command line reads without importing json.
    """
    text = read_text("extraneous", "stopwords.txt")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))
