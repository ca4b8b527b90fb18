"""The pair signal of extraneous-block detection: which blocks the other version also has.

A block has a counterpart when the other version has the same (normalised) text, or a
rewrite of it: a block sharing at least half of its distinct words, and four or more.
Blocks both versions share lean to body (see extraneous.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from itertools import chain, compress
from operator import not_

from viewer.core.extraneous_features import normalise
from viewer.core.lexicon import stopwords


class Version:
    """The block texts of one version, prepared for finding counterparts in it.

    ``words`` caches the distinct words of each text by key, and may be shared with the
    other version: most blocks are on both sides.
    """

    __slots__ = ("keys", "where", "memo")

    def __init__(self, keys: Sequence[str], words: dict[str, frozenset[str]] | None = None) -> None:
        self.keys = keys
        self.where = {key: j for j, key in enumerate(keys)}  # last block with that text
        self.memo = {} if words is None else words

    @classmethod
    def of_texts(cls, texts: Sequence[str]) -> Version:
        return cls([normalise(t) for t in texts])

    def words(self, j: int) -> frozenset[str]:
        """The distinct (whitespace-separated, lower-cased) words of block ``j``."""
        return _word_set(self.memo, self.keys[j])


def _word_set(memo: dict[str, frozenset[str]], key: str) -> frozenset[str]:
    found = memo.get(key)
    if found is None:
        found = memo[key] = frozenset(key.split())
    return found


def shared_flags(texts: Sequence[str], other: Sequence[str]) -> list[bool]:
    """Whether each block has a counterpart in the other version (exact or a rewrite)."""
    return shared(Version.of_texts(texts), Version.of_texts(other))


def shared(side: Version, other: Version) -> list[bool]:
    """``shared_flags`` of prepared versions.

    A rewrite's counterpart is usually a block whose text the side does not have itself,
    so those blocks are searched first, and the others only for the blocks left.
    """
    flags, hard = _near(side, other)
    if hard:
        theirs = [k for k in other.where if k not in side.where]
        left = _resolve(side, hard, theirs, flags)
        if left:
            _resolve(side, left, [k for k in other.where if k in side.where], flags)
    return flags


def shared_pair(
    a: Version,
    b: Version,
    want_a: Sequence[bool] | None = None,
    want_b: Sequence[bool] | None = None,
) -> tuple[list[bool], list[bool]]:
    """``shared(a, b)`` and ``shared(b, a)``, with one search among the texts both have
    (``a`` and ``b`` share their word sets). ``want_a`` (``want_b``), when given, says
    which blocks need a rewrite looked up: the others only get an exact counterpart.
    """
    (fa, ha), (fb, hb) = _near(a, b, want_a), _near(b, a, want_b)
    la = _resolve(a, ha, [k for k in b.where if k not in a.where], fa) if ha else []
    lb = _resolve(b, hb, [k for k in a.where if k not in b.where], fb) if hb else []
    if la or lb:
        common = [k for k in a.where if k in b.where]
        queries = [a.words(i) for i in la] + [b.words(i) for i in lb]
        found = _matches(queries, common, a.memo)
        for i, f in zip(la, found[: len(la)], strict=True):
            fa[i] = f
        for i, f in zip(lb, found[len(la) :], strict=True):
            fb[i] = f
    return fa, fb


def _near(
    side: Version, other: Version, want: Sequence[bool] | None = None
) -> tuple[list[bool], list[int]]:
    """Blocks with an exact counterpart or a rewrite just after the previous block's
    counterpart (where a rewrite usually sits), and the blocks to look up everywhere
    (of those ``want`` marks, if given).
    """
    where, keys = other.where, side.keys
    exact = list(map(where.__contains__, keys))
    flags = exact.copy()
    hard = []
    last = -1  # where the previous block's counterpart is in the other version
    n_other = len(other.keys)
    for i in compress(range(len(keys)), map(not_, exact)):
        if i and exact[i - 1]:
            last = where[keys[i - 1]]
        if want is not None and not want[i]:
            continue
        words = side.words(i)
        if len(words) < 4:
            continue
        need = _need(words)
        window = range(last + 1, min(last + 4, n_other))
        # The next blocks there, then that counterpart itself (a block split in two).
        for j in (*window, last) if last >= 0 else window:
            if len(words & other.words(j)) >= need:
                flags[i], last = True, j
                break
        else:
            hard.append(i)
    return flags, hard


def _resolve(side: Version, hard: list[int], candidates: list[str], flags: list[bool]) -> list[int]:
    """Set ``flags[i]`` for the blocks ``hard`` that share enough words with one of the
    texts ``candidates``; return the others."""
    found = _matches([side.words(i) for i in hard], candidates, side.memo)
    for i, f in zip(hard, found, strict=True):
        flags[i] = f
    return [i for i, f in zip(hard, found, strict=True) if not f]


def _matches(
    queries: list[frozenset[str]], candidates: list[str], memo: dict[str, frozenset[str]]
) -> list[bool]:
    """Whether each word set shares enough words with one of the texts ``candidates``.

    Prefix filtering with a count filter (as in set-similarity joins): a block of n words
    holding ``need`` of them misses at most n - need, so of any p of the words it holds
    at least p - (n - need). Each query's words other than stopwords (when they are
    enough for that to be positive) are looked up in posting lists, so "the" or "and"
    never make a query compare with every candidate; only candidates reaching the count
    are then counted exactly. A candidate's words are split anew unless already known.
    """
    sw = stopwords()
    probes, least = [], []
    for words in queries:
        content = words - sw
        missing = len(words) - _need(words)  # words a counterpart may lack
        probe = content if len(content) > missing else words
        probes.append(probe)
        least.append(len(probe) - missing)
    wanted = set().union(*probes)
    postings: dict[str, list[int]] = {}
    for c, key in enumerate(candidates):
        known = memo.get(key)
        for w in known & wanted if known is not None else wanted.intersection(key.split()):
            postings.setdefault(w, []).append(c)
    found = []
    for words, probe, enough in zip(queries, probes, least, strict=True):
        need = _need(words)
        counts = Counter(chain.from_iterable(postings.get(w, ()) for w in probe))
        found.append(
            any(
                len(words & _word_set(memo, candidates[c])) >= need
                for c, n in counts.items()
                if n >= enough
            )
        )
    return found


def _need(words: frozenset[str]) -> int:
    """Words a rewrite must share: at least half, and four (``count >= max(4, n / 2)``)."""
    return max(4, math.ceil(len(words) / 2))
