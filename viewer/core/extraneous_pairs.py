"""The pair signal of extraneous-block detection: which blocks the other version also has.

A block has a counterpart when the other version has the same (normalised) text, or a
rewrite of it: a block sharing at least half of its distinct words, and four or more.
Blocks both versions share lean to body (see extraneous.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from itertools import chain

from viewer.core.extraneous_features import normalise
from viewer.core.lexicon import stopwords


class Version:
    """The block texts of one version, prepared for finding counterparts in it.

    ``words`` caches the distinct words of each text by key, and may be shared with the
    other version: most blocks are on both sides.
    """

    __slots__ = ("keys", "where", "_words")

    def __init__(self, keys: Sequence[str], words: dict[str, frozenset[str]] | None = None) -> None:
        self.keys = keys
        self.where = {key: j for j, key in enumerate(keys)}  # last block with that text
        self._words = {} if words is None else words

    @classmethod
    def of_texts(cls, texts: Sequence[str]) -> Version:
        return cls([normalise(t) for t in texts])

    def words(self, j: int) -> frozenset[str]:
        """The distinct (whitespace-separated, lower-cased) words of block ``j``."""
        key = self.keys[j]
        found = self._words.get(key)
        if found is None:
            found = self._words[key] = frozenset(key.split())
        return found


def shared_flags(texts: Sequence[str], other: Sequence[str]) -> list[bool]:
    """Whether each block has a counterpart in the other version (exact or a rewrite)."""
    return shared(Version.of_texts(texts), Version.of_texts(other))


def shared(side: Version, other: Version) -> list[bool]:
    """``shared_flags`` of prepared versions.

    A rewrite usually sits just after the counterpart of the block before it, so
    the next few blocks there are tried first; a block without a counterpart there
    is looked up everywhere (``_search_rewrites``).
    """
    flags = [False] * len(side.keys)
    hard = []
    last = -1  # where the previous block's counterpart is in the other version
    n_other = len(other.keys)
    for i, key in enumerate(side.keys):
        j = other.where.get(key)
        if j is not None:
            flags[i], last = True, j
            continue
        words = side.words(i)
        if len(words) < 4:
            continue
        need = _need(words)
        for j in range(last + 1, min(last + 4, n_other)):
            if len(words & other.words(j)) >= need:
                flags[i], last = True, j
                break
        else:
            hard.append(i)
    if hard:
        _search_rewrites(side, other, hard, flags)
    return flags


def _search_rewrites(side: Version, other: Version, hard: list[int], flags: list[bool]) -> None:
    """Set ``flags[i]`` for the blocks ``hard`` that share enough words with any other block.

    A rewrite's counterpart is usually a block whose text the side does not have itself,
    so those few blocks are searched first, and the others only for the blocks left.
    """
    own = side.where
    mine = [j for j, key in enumerate(other.keys) if key in own]
    theirs = [j for j, key in enumerate(other.keys) if key not in own]
    left = _match_any(side, other, hard, theirs, flags)
    if left:
        _match_any(side, other, left, mine, flags)


def _match_any(
    side: Version, other: Version, hard: list[int], candidates: list[int], flags: list[bool]
) -> list[int]:
    """Set ``flags[i]`` for the blocks ``hard`` that share enough words with one of the
    blocks ``candidates`` of the other version; return the others.

    Prefix filtering with a count filter (as in set-similarity joins): a block of n words
    holding ``need`` of them misses at most n - need, so of any p of the words it holds
    at least p - (n - need). Each block's words other than stopwords (when they are
    enough for that to be positive) are looked up in posting lists, so "the" or "and"
    never make a block compare with every candidate; only candidates reaching the count
    are then counted exactly.
    """
    sw = stopwords()
    probes = {}
    for i in hard:
        words = side.words(i)
        content = words - sw
        probes[i] = content if len(content) > len(words) - _need(words) else words
    wanted = set(chain.from_iterable(probes.values()))
    postings: dict[str, list[int]] = {}
    for j in candidates:
        for w in other.words(j) & wanted:
            postings.setdefault(w, []).append(j)
    missed = []
    for i in hard:
        words, probe = side.words(i), probes[i]
        need = _need(words)
        least = len(probe) - (len(words) - need)
        counts = Counter(chain.from_iterable(postings.get(w, ()) for w in probe))
        found = any(len(words & other.words(j)) >= need for j, c in counts.items() if c >= least)
        flags[i] = found
        if not found:
            missed.append(i)
    return missed


def _need(words: frozenset[str]) -> int:
    """Words a rewrite must share: at least half, and four (``count >= max(4, n / 2)``)."""
    return max(4, math.ceil(len(words) / 2))
