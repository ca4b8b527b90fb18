"""The detector's shortcuts give exactly what the plain computation gives.

Word statistics from cached chunk codes, the literal pre-tests of the phrase patterns,
the patterns rewritten to start with literal text, the features built column by column
for a batch of texts, and the pair's shared work, each against a straightforward reference.
"""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path

import pytest

from tests.core.test_extraneous import (
    BODY,
    ENGLISH,
    FRENCH,
    GERMAN,
    TRICKY,
    _shared_reference,
    make_article,
)
from viewer.core import extraneous_words
from viewer.core.extraneous import annotate, annotate_pair
from viewer.core.extraneous_features import (
    BULLET,
    DATE,
    SAMPLE_CHARS,
    SENTENCE_END,
    SEPARATORS,
    URLISH,
    WORD,
    _end_class,
    block_features,
    lowered,
    normalise,
    page_local_features,
)
from viewer.core.extraneous_literals import needs
from viewer.core.extraneous_pairs import Version, shared_flags, shared_pair
from viewer.core.extraneous_phrases import categories, phrase_hits
from viewer.core.extraneous_words import (
    HAS_DATE,
    HAS_SEPARATOR,
    HAS_URL,
    SEPARATOR_CHARS,
    word_stats,
)
from viewer.core.lexicon import stopwords
from viewer.resources import read_text

EDGES = [
    "",
    "   ",
    "\u00a0Word\u00a0\u00a0word\tWORD\n",
    "ΟΔΟΣ ΟΔΟΣ. Σ",
    "Call 19999 or 1999-12-31 or 12:30, x.com, me@ex.de|a / b » c",
    "l'abonnement, e-mail address: sign-up; 2nd ²³ 1,000.50 U.S.",
    # A chunk across the end of the sample, and a date and an address only after it.
    "word " * 79 + "abcdefghij" + " See 1999 and www.example.org." * 3,
    "x" * 405 + " Donate today 31.12.2024",
    " ".join(["Share", "this", "story"] * 60),
]
TEXTS = TRICKY + BODY + ENGLISH + GERMAN + FRENCH + EDGES


@pytest.fixture
def texts(seed_paths: tuple[Path, Path]) -> list[str]:
    seeds = [line for p in seed_paths for line in p.read_text(encoding="utf-8").splitlines()]
    return list(dict.fromkeys(TEXTS + seeds))


def _local_reference(text: str, hits: dict[str, str]) -> list[float]:
    """Local features of one block, computed the plain way (order of LOCAL_NAMES)."""
    words = re.findall(WORD, text[:SAMPLE_CHARS])
    sw = stopwords()
    alpha = [w for w in words if not w.isdigit()]
    n_alpha = max(1, len(alpha))
    stop = sum((w.lower() if w[0].isupper() else w) in sw for w in alpha)
    caps = sum(w[0].isupper() for w in alpha)
    upper = sum(
        w[0].isupper() and w.lower() not in sw and len(w) > 1 and w.isupper() for w in alpha
    )
    chars = sum(map(len, words))
    letters = chars - sum(len(w) for w in words if w.isdigit())
    n_words, n_chars = len(text.split()), len(text)
    sample = max(1, min(n_chars, SAMPLE_CHARS))
    phrase = 1.0 if hits else 0.0
    long_text = n_chars > 12
    stripped = text.lstrip("*+•-–0123456789. )\"'“‘«(")
    return [
        math.log1p(n_chars),
        float(n_words),
        float(_end_class(text)),
        stop / n_alpha,
        caps / n_alpha,
        1.0 if re.match(BULLET, text) else 0.0,
        (chars - letters) / sample,
        text.count(",") / max(1, n_words),
        float(len(re.findall(SENTENCE_END, text))) if long_text else 0.0,
        upper / n_alpha,
        letters / sample,
        0.0,
        phrase if n_words <= 25 else 0.0,
        phrase if n_words > 25 else 0.0,
        letters / n_alpha,
        1.0 if re.search(SEPARATORS, text) else 0.0,
        1.0 if re.search(URLISH, text) else 0.0,
        1.0 if long_text and chars > letters and re.search(DATE, text) else 0.0,
        1.0 if stripped[:1].islower() else 0.0,
    ]


def test_batch_features_match_plain_computation(texts: list[str]) -> None:
    for text, (row, hits) in zip(texts, block_features(texts), strict=True):
        words = re.findall(WORD, text[:SAMPLE_CHARS])
        assert hits == phrase_hits(text, words), text
        assert row == _local_reference(text, hits), text


def test_chunk_marks_match_expressions(texts: list[str]) -> None:
    ws = word_stats(texts, SAMPLE_CHARS)
    for text, marks in zip(texts, ws.marks, strict=True):
        assert bool(marks & HAS_URL) == bool(re.search(URLISH, text)), text
        assert bool(marks & HAS_DATE) == bool(re.search(DATE, text)), text
        assert bool(marks & HAS_SEPARATOR) == any(c in text for c in SEPARATOR_CHARS), text


@pytest.mark.parametrize("native", [True, False])
def test_word_stats_without_room_in_the_caches(
    texts: list[str], native: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = word_stats(texts, SAMPLE_CHARS, native=native)
    monkeypatch.setattr(extraneous_words, "_CACHE_MAX", 0)
    monkeypatch.setattr(extraneous_words, "_CHUNK_CODES", {})
    monkeypatch.setattr(extraneous_words, "_CHUNK_FLAGS", {})
    monkeypatch.setattr(extraneous_words, "_TOKEN_CODES", {})
    assert word_stats(texts, SAMPLE_CHARS, native=native) == cached
    assert not extraneous_words._CHUNK_FLAGS


def test_sample_too_long_for_the_fields() -> None:
    with pytest.raises(ValueError):
        word_stats(["text"], extraneous_words.SAMPLE_LIMIT)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bdonat(e|ion|ions)\b", ("donat",)),
        (r"[/|] ?(dpa|afp|ap)\b", ("/", "|")),
        (r"\b\d+ (comments?|replies)\b", ("comment", "replies")),
        (r"colou?r", ("colo",)),
        (r"(foo|bar)baz", ("baz",)),
        (r"\(c\) ?\d{4}", ("(c)",)),
        (r"(?=abc)d", ("d",)),
        (r"(?:ab|cd)+", ("ab", "cd")),
        (r"ab{2,}c", ("ab",)),
        (r"[©|]x[^y]", ("©", "|")),
        (r"a{}b", ("a{}b",)),
        (r"a|b*", None),
        (r"(?i)abc", None),
        (r"\x41bc", None),
        (r"(a)\1", None),
        (r"[a-z]+", None),
    ],
)
def test_needs(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert needs(pattern) == expected


def _phrase_patterns() -> list[str]:
    data = json.loads(read_text("extraneous", "phrases.json"))
    return [p for patterns in data["patterns"].values() for p in patterns]


def test_every_phrase_match_holds_a_needed_text(texts: list[str]) -> None:
    lows = [t.strip().lower() for t in texts]
    lows += [low[k:] for low in lows for k in (1, 2, 5)]  # matches at other positions
    for pattern in _phrase_patterns():
        required = needs(pattern)
        for low in lows:
            m = re.search(pattern, low)
            if m is not None and required is not None:
                assert any(t in m.group(0) for t in required), (pattern, low)


def test_rewritten_patterns_find_the_same_matches(texts: list[str]) -> None:
    lows = [t.strip().lower() for t in texts]
    for cat in categories():
        for part in cat.triggered:
            for low in lows:
                plain, fast = re.search(part.source, low), part.pattern.search(low)
                assert (plain and (plain.span(), plain[0])) == (fast and (fast.span(), fast[0]))


def test_pair_matches_each_side_alone() -> None:
    """Features shared between the versions keep each page's own repeat counts."""
    left = make_article([*BODY, "Share on Facebook", "Share on Facebook", "Menu", "Menu"])
    right = make_article(["Menu", *BODY[:5], "Share on Facebook", *BODY[5:], "Read more"])
    pair = annotate_pair(left, right)
    assert pair == (annotate(left, right), annotate(right, left))
    shared_memo: dict[str, tuple[list[float], dict[str, str]]] = {}
    texts = [b.text for b in left.blocks], [b.text for b in right.blocks]
    first = page_local_features(texts[0], shared_memo)
    second = page_local_features(texts[1], shared_memo)
    assert (first, second) == (page_local_features(texts[0]), page_local_features(texts[1]))


def test_shared_pair_matches_each_direction() -> None:
    rng = random.Random(5)
    vocab = [w.strip(".,“”") for line in BODY for w in line.split()] + ["the", "of", "and"] * 9
    for _ in range(150):
        left = [" ".join(rng.choices(vocab, k=rng.randint(1, 30))) for _ in range(14)]
        right = [
            " ".join(w if rng.random() < 0.6 else rng.choice(vocab) for w in t.split())
            for t in rng.sample(left, 8)
        ] + rng.sample(left, 3)
        rng.shuffle(right)
        words: dict[str, frozenset[str]] = {}
        a = Version([normalise(t) for t in left], words)
        b = Version([normalise(t) for t in right], words)
        expected = _shared_reference(left, right), _shared_reference(right, left)
        assert shared_pair(a, b) == expected
        assert (shared_flags(left, right), shared_flags(right, left)) == expected


def test_pair_signal_looked_up_only_where_it_matters(seed_paths: tuple[Path, Path]) -> None:
    """annotate_pair skips the rewrite search for blocks whose verdict cannot depend on
    it; its verdicts stay those of the full pair signal, appeal spans included."""
    from viewer.core.loading import load_article

    rng = random.Random(11)
    seeds = [load_article(str(p)) for p in seed_paths]
    for _ in range(20):
        base = [b.text for b in seeds[rng.randrange(2)].blocks] + rng.sample(TEXTS, 8)
        edited = [
            " ".join(w for w in t.split() if rng.random() > 0.3) if rng.random() < 0.3 else t
            for t in base
            if rng.random() > 0.15
        ]
        if rng.random() < 0.5:
            rng.shuffle(edited)
        left, right = make_article(base), make_article(edited)
        assert annotate_pair(left, right) == (annotate(left, right), annotate(right, left))


def test_lowered_is_normalise(texts: list[str]) -> None:
    lows, keys = lowered(texts)
    assert lows == [t.strip().lower() for t in texts]
    assert keys == [normalise(t) for t in texts]


def test_the_shipped_phrase_index_is_the_analysis_of_the_phrase_file():
    # resources/extraneous/phrases.index.json spares every run the analysis of ~200
    # expressions; after editing phrases.json, run python -m viewer.core.extraneous_phrases.
    import json

    from viewer.core import extraneous_phrases as phrases
    from viewer.resources import read_text

    shipped = json.loads(read_text(*phrases.INDEX))
    analysed = json.loads(json.dumps(phrases.analyse_file(read_text("extraneous", "phrases.json"))))
    assert shipped == analysed, "stale: run python -m viewer.core.extraneous_phrases"


def test_a_stale_phrase_index_is_not_used(monkeypatch):
    from viewer.core import extraneous_phrases as phrases

    current = phrases.categories()
    real = phrases.read_text

    def stale(*parts):
        text = real(*parts)
        if parts == phrases.INDEX:  # another checksum: the phrase file has changed since
            return text.replace('"source_crc32": ', '"source_crc32": 1')
        return text

    analysed = []
    real_analyse = phrases.analyse_file
    monkeypatch.setattr(phrases, "read_text", stale)
    monkeypatch.setattr(phrases, "analyse_file", lambda t: analysed.append(1) or real_analyse(t))
    phrases.categories.cache_clear()
    try:
        assert phrases.categories() == current and analysed  # analysed again, the same
    finally:
        phrases.categories.cache_clear()
