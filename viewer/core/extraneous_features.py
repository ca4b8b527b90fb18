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

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from viewer.core.extraneous_phrases import phrase_hits
from viewer.resources import read_text

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


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The union stopword list shipped in resources/extraneous/stopwords.json."""
    data = json.loads(read_text("extraneous", "stopwords.json"))
    return frozenset(data["words"])


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


def _has_any(text: str, chars: str) -> bool:
    return any(c in text for c in chars)


def local_features(text: str, words: list[str], repeats: int, hits: dict[str, str]) -> list[float]:
    """Features of one block on its own (order of LOCAL_NAMES).

    ``words`` are WORD tokens of the first SAMPLE_CHARS characters: ratios of a long
    paragraph are estimated from its beginning, which keeps the cost per block bounded.
    """
    n_words = len(text.split())
    n_chars = len(text)
    sw = stopwords()
    n_alpha = stop = caps = upper = letters = chars = 0
    for w in words:  # one pass: this runs for every line of every page
        chars += len(w)
        if w.isdigit():
            continue
        n_alpha += 1
        letters += len(w)
        if w[0].isupper():
            caps += 1
            if w.lower() in sw:
                stop += 1
            elif len(w) > 1 and w.isupper():
                upper += 1
        elif w in sw:
            stop += 1
    n_alpha = max(1, n_alpha)
    stripped = text.lstrip("*+•-–0123456789. )\"'“‘«(")
    phrase = 1.0 if hits else 0.0
    long_text = n_chars > 12
    return [
        math.log1p(n_chars),
        float(n_words),
        float(_end_class(text)),
        stop / n_alpha,
        caps / n_alpha,
        1.0 if BULLET.match(text) else 0.0,
        (chars - letters) / max(1, min(n_chars, SAMPLE_CHARS)),
        text.count(",") / max(1, n_words),
        float(len(SENTENCE_END.findall(text))) if long_text else 0.0,
        upper / n_alpha,
        letters / max(1, min(n_chars, SAMPLE_CHARS)),
        float(repeats),
        phrase if n_words <= 25 else 0.0,
        phrase if n_words > 25 else 0.0,
        letters / n_alpha,
        1.0 if _has_any(text, "|›»/>·•") and SEPARATORS.search(text) else 0.0,
        1.0 if URLISH.search(text) else 0.0,
        1.0 if long_text and chars > letters and DATE.search(text) else 0.0,
        1.0 if stripped[:1].islower() else 0.0,
    ]


def page_local_features(texts: Sequence[str]) -> tuple[list[list[float]], list[dict[str, str]]]:
    """Local features and phrase hits of every block of one page.

    Repeated lines (menus, share buttons) are computed once.
    """
    keys = [normalise(t) for t in texts]
    counts = Counter(keys)
    done: dict[str, tuple[list[float], dict[str, str]]] = {}
    feats, hits = [], []
    for text, key in zip(texts, keys, strict=True):
        cached = done.get(text)
        if cached is None:
            words = WORD.findall(text if len(text) <= SAMPLE_CHARS else text[:SAMPLE_CHARS])
            h = phrase_hits(text, words)
            cached = done[text] = (local_features(text, words, counts[key], h), h)
        feats.append(cached[0])
        hits.append(cached[1])
    return feats, hits


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
    n = len(z)
    prefix = [0.0]
    for v in z:
        prefix.append(prefix[-1] + v)
    out = []
    for i in range(n):
        a, b = max(0, i - radius), min(n, i + radius + 1)
        out.append((prefix[b] - prefix[a]) / (b - a))
    return out


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
    """Context features of every block of a page (order of CONTEXT_NAMES)."""
    n = len(z)
    chars = [math.expm1(f[0]) for f in local]
    words = [f[1] for f in local]
    sizes = [math.sqrt(c + 1.0) for c in chars]
    start, end = find_core(z, sizes)
    total = sum(chars) or 1.0
    core_share = sum(chars[start:end]) / total
    mean3, mean10 = _windowed_mean(z, 3), _windowed_mean(z, 10)
    runs = _short_runs(words)
    long_flags = [1 if w >= 25 else 0 for w in words]
    before = 0
    after = sum(long_flags)
    pad = -2.0
    cum = 0.0
    rows = []
    for i in range(n):
        after -= long_flags[i]
        dist = 0 if start <= i < end else (i - start if i < start else i - end + 1)
        near = sum(1 for j in range(max(0, i - 2), min(n, i + 3)) if j != i and hits[j])
        rows.append(
            [
                z[i],
                z[i - 1] if i > 0 else pad,
                z[i + 1] if i + 1 < n else pad,
                z[i - 2] if i > 1 else pad,
                z[i + 2] if i + 2 < n else pad,
                mean3[i],
                mean10[i],
                1.0 if start <= i < end else 0.0,
                float(dist),
                core_share,
                (cum + chars[i] / 2) / total,
                runs[i],
                float(before),
                float(after),
                float(near),
                math.log1p(n),
            ]
        )
        before += long_flags[i]
        cum += chars[i]
    return rows
