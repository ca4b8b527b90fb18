"""Language-neutral features of text blocks for extraneous-block detection.

Two layers, both pure Python so that the command line stays fast:

* ``local_features`` describes one block on its own: length, sentence punctuation,
  stopword ratio (a union of short function-word lists, so no language detection is
  needed), capitalisation, list markers, digits, phrase evidence, repetition on the page.
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
from functools import reduce
from itertools import accumulate, repeat
from operator import or_, sub, truediv

from viewer.core.extraneous_phrases import trigger_mask, woken_hits
from viewer.core.lexicon import stopwords

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+")
BULLET = re.compile(r"^(?:[*+•●▪‣◦·–-]|\d{1,3}[.)])(?:\s|$)")
SENTENCE_END = re.compile(r"[.!?。](?:[\"'”’»)\]]*)\s+[\"'“‘«(]?[A-ZÀ-ÖØ-Þ0-9]")
URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net|de|fr)\b|@\w|\S+@\S+\.\w")
SEPARATORS = re.compile(r"\s[|›»/>·•]\s|\s[|›»]|[|›»]\s")
DATE = re.compile(
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b|"
    r"\b(?:19|20)\d{2}\b"
)
FOLD_SPACE = re.compile(r"\s+")
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
        text = FOLD_SPACE.sub(" ", text)
    return text.strip().lower()


def _end_class(text: str) -> int:
    stripped = text.rstrip().rstrip(CLOSERS)
    if stripped.endswith("...") or stripped.endswith("…"):
        return 4
    if not stripped:
        return 0
    return END_CLASS.get(stripped[-1], 0)


# Cheap exact pre-tests for the expressions above: sre scans fast for a pattern whose
# branches all start with a literal, but tries every position when one starts with \S or \b.
_HAS_SEPARATOR = re.compile(r"[|›»/>·•]")
_URL_NO_AT = re.compile(r"https?://|www\.|\.(?:com|org|net|de|fr)\b")  # URLISH without '@'
_TWO_DIGITS = re.compile(r"\d\d")  # in every DATE match, at most 4 characters in


def _urlish(text: str) -> bool:
    """``URLISH.search(text)``: its last two branches need an '@'."""
    return bool(URLISH.search(text) if "@" in text else _URL_NO_AT.search(text))


def _has_date(text: str) -> bool:
    """``DATE.search(text)``, started just before the first two-digit run."""
    first = _TWO_DIGITS.search(text)
    return first is not None and DATE.search(text, max(0, first.start() - 6)) is not None


# A word token's code is a sum of 32-bit fields, so that adding the codes of a block's
# tokens (one C-level ``sum``) counts all of them at once; the phrase categories it
# wakes sit above the fields and are or-ed instead. A field overflows only past 2**32
# characters. Codes are cached across blocks and pages (up to _TOKEN_CACHE_MAX tokens).
_FIELD = 32
_ALPHA, _STOP, _CAPS, _UPPER, _DIGIT_CHARS, _CHARS, _WAKES = (1 << _FIELD * i for i in range(7))
_FIELD_MASK = (1 << _FIELD) - 1
_MASK_SHIFT = 7 * _FIELD
_TOKEN_CACHE_MAX = 200_000
_TOKEN_CODES: dict[str, int] = {}


def _token_code(word: str) -> int:
    """The packed statistics of one word token (see _FIELD)."""
    if word.isdigit():
        return len(word) * (_DIGIT_CHARS + _CHARS)
    sw = stopwords()
    code = _ALPHA + len(word) * _CHARS
    if word[0].isupper():
        code += _CAPS
        if word.lower() in sw:
            code += _STOP
        elif len(word) > 1 and word.isupper():
            code += _UPPER
    elif word in sw:
        code += _STOP
    mask = trigger_mask(word)
    return code + _WAKES + (mask << _MASK_SHIFT) if mask else code


def _token_total(words: list[str]) -> tuple[int, int]:
    """Sum of the codes of ``words`` and the or of their phrase masks."""
    table = _TOKEN_CODES
    try:
        total = sum(map(table.__getitem__, words))
    except KeyError:
        fresh = {w: _token_code(w) for w in set(words).difference(table)}
        if len(table) < _TOKEN_CACHE_MAX:
            table.update(fresh)  # never shrinks: a lookup cannot race with a removal
            total = sum(map(table.__getitem__, words))
        else:
            table = {**fresh, **{w: table[w] for w in set(words).difference(fresh)}}
            total = sum(map(table.__getitem__, words))
    if not total >> 6 * _FIELD & _FIELD_MASK:
        return total, 0
    return total, reduce(or_, map(table.__getitem__, words)) >> _MASK_SHIFT


class _WordStats:
    """Counts over the word tokens of a block's sample (what local_features needs)."""

    __slots__ = ("n_alpha", "stop", "caps", "upper", "letters", "chars", "woken")

    def __init__(self, words: list[str]) -> None:
        total, self.woken = _token_total(words)
        m = _FIELD_MASK
        self.n_alpha = total & m
        self.stop = total >> _FIELD & m
        self.caps = total >> 2 * _FIELD & m
        self.upper = total >> 3 * _FIELD & m
        self.chars = total >> 5 * _FIELD & m
        self.letters = self.chars - (total >> 4 * _FIELD & m)


def local_features(text: str, words: list[str], repeats: int, hits: dict[str, str]) -> list[float]:
    """Features of one block on its own (order of LOCAL_NAMES).

    ``words`` are WORD tokens of the first SAMPLE_CHARS characters: ratios of a long
    paragraph are estimated from its beginning, which keeps the cost per block bounded.
    """
    return _local_row(text, _WordStats(words), repeats, hits)


def _local_row(text: str, ws: _WordStats, repeats: int, hits: dict[str, str]) -> list[float]:
    """``local_features`` from the block's word statistics."""
    n_words = len(text.split())
    n_chars = len(text)
    n_alpha = max(1, ws.n_alpha)
    letters, chars = ws.letters, ws.chars
    sample = max(1, min(n_chars, SAMPLE_CHARS))
    stripped = text.lstrip("*+•-–0123456789. )\"'“‘«(")
    phrase = 1.0 if hits else 0.0
    long_text = n_chars > 12
    return [
        math.log1p(n_chars),
        float(n_words),
        float(_end_class(text)),
        ws.stop / n_alpha,
        ws.caps / n_alpha,
        1.0 if BULLET.match(text) else 0.0,
        (chars - letters) / sample,
        text.count(",") / max(1, n_words),
        float(len(SENTENCE_END.findall(text))) if long_text else 0.0,
        ws.upper / n_alpha,
        letters / sample,
        float(repeats),
        phrase if n_words <= 25 else 0.0,
        phrase if n_words > 25 else 0.0,
        letters / n_alpha,
        1.0 if _HAS_SEPARATOR.search(text) and SEPARATORS.search(text) else 0.0,
        1.0 if _urlish(text) else 0.0,
        1.0 if long_text and chars > letters and _has_date(text) else 0.0,
        1.0 if stripped[:1].islower() else 0.0,
    ]


# A block text's local features (with ``repeats`` left at 0) and phrase hits.
BlockFeatures = tuple[list[float], dict[str, str]]
_I_REPEATS = LOCAL_NAMES.index("repeats")


def page_local_features(
    texts: Sequence[str], memo: dict[str, BlockFeatures] | None = None
) -> tuple[list[list[float]], list[dict[str, str]]]:
    """Local features and phrase hits of every block of one page.

    Repeated lines (menus, share buttons) are computed once, and so is a text found
    in ``memo`` (which learns this page's texts): the two versions of a pair share most.
    """
    keys = [normalise(t) for t in texts]
    counts = Counter(keys)
    memo = {} if memo is None else memo
    done: dict[str, BlockFeatures] = {}
    feats, hits = [], []
    for text, key in zip(texts, keys, strict=True):
        cached = done.get(text)
        if cached is None:
            known = memo.get(text)
            if known is None:
                known = memo[text] = _block_features(text)
            row = known[0].copy()
            row[_I_REPEATS] = float(counts[key])
            cached = done[text] = (row, known[1])
        feats.append(cached[0])
        hits.append(cached[1])
    return feats, hits


def _block_features(text: str) -> BlockFeatures:
    """Local features (``repeats`` 0) and phrase hits of one block text."""
    ws = _WordStats(WORD.findall(text[:SAMPLE_CHARS]))
    hits = woken_hits(text, ws.woken)
    return _local_row(text, ws, 0, hits), hits


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
