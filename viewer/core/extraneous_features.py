"""Language-neutral features of text blocks for extraneous-block detection.

Two layers, both pure Python so that the command line stays fast:

* ``page_local_features`` describes each block on its own: length, sentence punctuation,
  stopword ratio (a union of short function-word lists, so no language detection is
  needed), capitalisation, list markers, digits, phrase evidence, repetition on the page.
  It works column by column over the distinct texts of a page, so that most of the work
  runs in C (``map``, ``split``, one ``sum`` per block, see extraneous_words.py).
* ``context_features`` describes a block by its neighbourhood, given the local
  model's scores: neighbours' scores, windowed means, the article "core" (the
  heaviest run of body-like blocks) and the block's distance from it, runs of short lines.

The training script and the run-time detector share this module, so a model is
always evaluated on exactly the features it was trained on.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate, repeat
from operator import and_, sub, truediv

from viewer.core.extraneous_phrases import page_hits
from viewer.core.extraneous_words import (
    DATE,
    HAS_DATE,
    HAS_SEPARATOR,
    HAS_URL,
    URLISH,
    WORD,
    WordStats,
    word_stats,
)
from viewer.core.native import lower
from viewer.core.native import native as _native
from viewer.core.regexes import compile as compiled

__all__ = ["DATE", "URLISH", "WORD"]  # re-exported: what the chunks are searched for
# Expressions as text, compiled on first use (``compiled``): importing stays cheap.
BULLET = r"^(?:[*+•●▪‣◦·–-]|\d{1,3}[.)])(?:\s|$)"
# A sentence ends: one of SENTENCE_ENDS, closing quotes or brackets, whitespace, perhaps an
# opening quote, then a capital or a digit (counted in C where the extension is built).
SENTENCE_ENDS = ".!?。"
SENTENCE_CLOSERS = "\"'”’»)]"
SENTENCE_OPENERS = "\"'“‘«("
SENTENCE_STARTS = "".join(
    map(chr, [*range(0x41, 0x5B), *range(0xC0, 0xD7), *range(0xD8, 0xDF), *range(0x30, 0x3A)])
)
SENTENCE_END = (
    f"[{re.escape(SENTENCE_ENDS)}](?:[{re.escape(SENTENCE_CLOSERS)}]*)\\s+"
    f"[{re.escape(SENTENCE_OPENERS)}]?[{re.escape(SENTENCE_STARTS)}]"
)
SEPARATORS = r"\s[|›»/>·•]\s|\s[|›»]|[|›»]\s"
FOLD_SPACE = r"\s+"
END_CLASS = {".": 1, "!": 2, "?": 2, ":": 3, "…": 4, ",": 5, ";": 5}
SAMPLE_CHARS = 400
CLOSERS = "\"'”’»)]*"

LOCAL_NAMES = (
    "log_chars",
    "words",
    "end_class",
    "stop_ratio",
    "cap_ratio",
    "bullet",
    "digit_ratio",
    "comma_rate",
    "sentences",
    "upper_ratio",
    "alpha_ratio",
    "repeats",
    "phrase_short",
    "phrase_long",
    "avg_word",
    "separators",
    "urlish",
    "date",
    "first_lower",
)
CONTEXT_NAMES = (
    "z",
    "z_prev",
    "z_next",
    "z_prev2",
    "z_next2",
    "mean3",
    "mean10",
    "in_core",
    "core_dist",
    "core_share",
    "pos_chars",
    "short_run",
    "long_before",
    "long_after",
    "phrase_near",
    "n_blocks",
)


def normalise(text: str) -> str:
    """Lower-case, whitespace-collapsed text used to find repeated lines."""
    if "  " in text or "\t" in text:
        text = compiled(FOLD_SPACE).sub(" ", text)
    return lower(text.strip())


def lowered(texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """Each text stripped and lower-cased, and ``normalise``d: the same text unless
    whitespace needs folding (one lower-casing for both)."""
    lows = list(map(lower, map(str.strip, texts)))
    keys = [
        low if "  " not in t and "\t" not in t else normalise(t)
        for t, low in zip(texts, lows, strict=True)
    ]
    return lows, keys


def _end_class(text: str) -> int:
    stripped = text.rstrip().rstrip(CLOSERS)
    if stripped.endswith("...") or stripped.endswith("…"):
        return 4
    if not stripped:
        return 0
    return END_CLASS.get(stripped[-1], 0)


def _local_rows(
    texts: Sequence[str], ws: WordStats, hits: Sequence[dict[str, str]]
) -> list[list[float]]:
    """Local features of distinct block texts (order of LOCAL_NAMES, ``repeats`` 0).

    Ratios of a long paragraph are estimated from its first SAMPLE_CHARS characters
    (``ws``), which keeps the cost per block bounded. Built column by column, then
    zipped into rows.
    """
    n_chars = list(map(len, texts))
    bullet = compiled(BULLET).match
    separators = compiled(SEPARATORS).search
    n_words = ws.words
    n_alpha = [max(1, a) for a in ws.alpha]
    letters = list(map(sub, ws.chars, ws.digits))
    sample = [max(1, min(n, SAMPLE_CHARS)) for n in n_chars]
    long_text = [n > 12 for n in n_chars]
    phrase = [1.0 if h else 0.0 for h in hits]
    short = [n <= 25 for n in n_words]
    columns = (
        list(map(math.log1p, n_chars)),
        list(map(float, n_words)),
        [float(_end_class(t)) for t in texts],
        list(map(truediv, ws.stop, n_alpha)),
        list(map(truediv, ws.caps, n_alpha)),
        [1.0 if bullet(t) else 0.0 for t in texts],
        list(map(truediv, ws.digits, sample)),
        [t.count(",") / max(1, n) for t, n in zip(texts, n_words, strict=True)],
        [float(n) if lt else 0.0 for n, lt in zip(sentence_counts(texts), long_text, strict=True)],
        list(map(truediv, ws.upper, n_alpha)),
        list(map(truediv, letters, sample)),
        [0.0] * len(texts),
        [p if s else 0.0 for p, s in zip(phrase, short, strict=True)],
        [0.0 if s else p for p, s in zip(phrase, short, strict=True)],
        list(map(truediv, letters, n_alpha)),
        [
            1.0 if m & HAS_SEPARATOR and separators(t) else 0.0
            for t, m in zip(texts, ws.marks, strict=True)
        ],
        [1.0 if m & HAS_URL else 0.0 for m in ws.marks],
        [
            1.0 if lt and d and m & HAS_DATE else 0.0
            for lt, d, m in zip(long_text, ws.digits, ws.marks, strict=True)
        ],
        [1.0 if t.lstrip(_LEADERS)[:1].islower() else 0.0 for t in texts],
    )
    return list(map(list, zip(*columns, strict=True)))


def sentence_counts(texts: Sequence[str], *, native: bool = True) -> list[int]:
    """How many sentence ends (SENTENCE_END matches) each text holds: one pass in C where
    the extension is built (``native``), else the expression; the same counts."""
    if native and _native is not None:
        counts: list[int] = _native.sentence_ends(
            texts, SENTENCE_ENDS, SENTENCE_CLOSERS, SENTENCE_OPENERS, SENTENCE_STARTS
        )
        return counts
    findall = compiled(SENTENCE_END).findall
    return [len(findall(t)) for t in texts]


# A block text's local features (with ``repeats`` left at 0) and phrase hits.
BlockFeatures = tuple[list[float], dict[str, str]]
_I_REPEATS = LOCAL_NAMES.index("repeats")
_LEADERS = "*+•-–0123456789. )\"'“‘«("


def page_local_features(
    texts: Sequence[str],
    memo: dict[str, BlockFeatures] | None = None,
    keys: Sequence[str] | None = None,
) -> tuple[list[list[float]], list[dict[str, str]]]:
    """Local features and phrase hits of every block of one page.

    Repeated lines (menus, share buttons) are computed once, and so is a text found
    in ``memo`` (which learns this page's texts): the two versions of a pair share most.
    ``keys`` are the texts ``normalise``d, when the caller has them.
    """
    keys = [normalise(t) for t in texts] if keys is None else keys
    counts = Counter(keys)
    memo = {} if memo is None else memo
    fresh = [t for t in dict.fromkeys(texts) if t not in memo]
    if fresh:
        memo.update(zip(fresh, block_features(fresh), strict=True))
    rows: dict[str, list[float]] = {}
    hits: dict[str, dict[str, str]] = {}
    for text, key in dict.fromkeys(zip(texts, keys, strict=True)):
        row, hits[text] = memo[text]
        row = rows[text] = row.copy()
        row[_I_REPEATS] = float(counts[key])
    return list(map(rows.__getitem__, texts)), list(map(hits.__getitem__, texts))


def block_features(texts: Sequence[str], lows: Sequence[str] | None = None) -> list[BlockFeatures]:
    """Local features (``repeats`` 0) and phrase hits of each of ``texts``.

    ``lows`` are the texts stripped and lower-cased, when the caller has them.
    """
    ws = word_stats(texts, SAMPLE_CHARS)
    run = list(map(and_, ws.woken, ws.gated))
    if lows is None:
        lows = list(map(lower, map(str.strip, texts)))
    hits = page_hits(lows, run, ws.found)
    return list(zip(_local_rows(texts, ws, hits), hits, strict=True))


def find_core(z: Sequence[float], sizes: Sequence[float]) -> tuple[int, int]:
    """Heaviest contiguous run of blocks (maximum subarray of size-weighted scores).

    Returns the half-open index range ``(start, end)``; empty (0, 0) when no block
    scores as body. Long blocks weigh more, so one long paragraph outweighs a menu.
    """
    best, best_range = 0.0, (0, 0)
    run, start = 0.0, 0
    for i, (zi, size) in enumerate(zip(z, sizes, strict=True)):
        if run <= 0:
            run, start = 0.0, i
        run += zi * size
        if run > best:
            best, best_range = run, (start, i + 1)
    return best_range


def _windowed_mean(z: Sequence[float], radius: int) -> list[float]:
    """Mean of each score with its neighbours up to ``radius`` away (fewer at the ends)."""
    n = len(z)
    prefix = list(accumulate(z, initial=0.0))
    ends = list(range(min(radius, n))) + list(range(max(radius, n - radius), n))
    edge = {i: _span_mean(prefix, max(0, i - radius), min(n, i + radius + 1)) for i in ends}
    width = 2 * radius + 1
    middle = map(truediv, map(sub, prefix[width:], prefix[: n + 1 - width]), repeat(width))
    return [*(edge[i] for i in range(min(radius, n))), *middle, *(edge[i] for i in ends[radius:])]


def _span_mean(prefix: Sequence[float], a: int, b: int) -> float:
    return (prefix[b] - prefix[a]) / (b - a)


def _short_runs(words: Sequence[float]) -> list[float]:
    """Length of the run of short (< 6 words) blocks each block belongs to (0 if long)."""
    out = [0.0] * len(words)
    i = 0
    while i < len(words):
        if words[i] >= 6:
            i += 1
            continue
        j = i
        while j < len(words) and words[j] < 6:
            j += 1
        for k in range(i, j):
            out[k] = float(j - i)
        i = j
    return out


def context_features(
    z: Sequence[float], local: Sequence[Sequence[float]], hits: Sequence[dict[str, str]]
) -> list[list[float]]:
    """Context features of every block of a page (order of CONTEXT_NAMES).

    Built column by column (slices, prefix sums), then zipped into rows.
    """
    n = len(z)
    z = list(z)
    chars = [math.expm1(f[0]) for f in local]
    words = [f[1] for f in local]
    start, end = find_core(z, [math.sqrt(c + 1.0) for c in chars])
    total = sum(chars) or 1.0
    pad = -2.0
    long_flags = [1 if w >= 25 else 0 for w in words]
    before = list(accumulate(long_flags, initial=0))[:n]
    cums = list(accumulate(chars, initial=0.0))[:n]
    n_long = sum(long_flags)
    has_hits = list(accumulate((1 if h else 0 for h in hits), initial=0))
    near = [
        float(has_hits[min(n, i + 3)] - has_hits[max(0, i - 2)] - (has_hits[i + 1] - has_hits[i]))
        for i in range(n)
    ]
    columns = (
        z,
        ([pad, *z[:-1]])[:n],
        [*z[1:], pad][:n],
        [pad, pad, *z[:-2]][:n],
        [*z[2:], pad, pad][:n],
        _windowed_mean(z, 3),
        _windowed_mean(z, 10),
        [0.0] * start + [1.0] * (end - start) + [0.0] * (n - end),
        [*map(float, range(-start, 0)), *[0.0] * (end - start), *map(float, range(1, n - end + 1))],
        [sum(chars[start:end]) / total] * n,
        [(cum + c / 2) / total for cum, c in zip(cums, chars, strict=True)],
        _short_runs(words),
        list(map(float, before)),
        [float(n_long - b - f) for b, f in zip(before, long_flags, strict=True)],
        near,
        [math.log1p(n)] * n,
    )
    return list(map(list, zip(*columns, strict=True)))
