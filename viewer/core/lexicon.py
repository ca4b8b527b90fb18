"""Function words of the languages articles come in, shared by alignment, diff and detector."""

from __future__ import annotations

from functools import lru_cache

from viewer.resources import read_text


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Union of short stopword lists (en, de, fr, es, it, nl, pt): no language detection needed.

    Shipped in resources/extraneous/stopwords.json.
    """
    import json  # (here: the command line's parent and forked child import it in parallel)

    data = json.loads(read_text("extraneous", "stopwords.json"))
    return frozenset(data["words"])
