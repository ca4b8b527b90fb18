"""Blocks as rarity-weighted word sets, and the two searches alignment builds on.

``Features`` weighs each word by how rare it is across the blocks being compared
(function words and one- and two-letter words weigh a quarter); ``candidates`` finds
similar blocks through an inverted index on each block's rarest words, never all pairs;
``heaviest_chain`` picks the heaviest run of pairs in order on both sides.
Every sum is exactly rounded and every tie broken by id or word, so nothing depends on
the order of a set, which follows the process's hash seed.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import chain
from operator import itemgetter

from viewer.core.lexicon import stopwords
from viewer.core.native import native as _native
from viewer.core.tokens import word_keys

CANDIDATES = 6  # best candidates kept per block
POSTING_CAP = 64  # words in more blocks than this are not used to find candidates
PROBE_WORDS = 24  # a block's rarest words used to find candidates (prefix filtering)


class Features:
    """Weighted word sets of the blocks of both sides that need comparing.

    Blocks matched exactly are left out: they need no comparison, and leaving them out
    of the rarity weights lets the words of the changed blocks speak.
    """

    def __init__(
        self,
        left: Sequence[str],
        right: Sequence[str],
        lids: list[int],
        rids: list[int],
        *,
        native: bool = True,
    ) -> None:
        ext = _native if native else None  # the same sets and floats, built in C
        self._ext = ext
        empty: frozenset[str] = frozenset()
        self.left = [empty] * len(left)
        self.right = [empty] * len(right)
        df: dict[str, int]  # the number of blocks each word is in
        if ext is not None:  # equal words share one str there
            (left_sets, right_sets), df = ext.word_sets(((left, lids), (right, rids)), word_keys)
            for ids, found, sets in ((lids, left_sets, self.left), (rids, right_sets, self.right)):
                for i, words in zip(ids, found, strict=True):
                    sets[i] = words
        else:
            for ids, texts, sets in ((lids, left, self.left), (rids, right, self.right)):
                for i in ids:
                    sets[i] = frozenset(word_keys(texts[i]))
            found = [self.left[i] for i in lids] + [self.right[j] for j in rids]
            df = Counter(chain.from_iterable(found))
        # Rarity needs a population: short articles borrow a floor of 50 blocks; function
        # words (shipped lists) and one- and two-letter words weigh a quarter.
        n = max(len(lids) + len(rids) + 1, 50)
        function_words = stopwords()
        if ext is not None:
            self.weight: dict[str, float] = ext.word_weights(df, n, function_words)
        else:
            log = math.log
            self.weight = {
                w: (log(n / (c + 0.5)) + 0.05)
                * (0.25 if len(w) <= 2 or w in function_words else 1.0)
                for w, c in df.items()
            }
        self.df = df
        # Every word's place in the order candidate search probes words: rarest first,
        # ties by word (sorting pairs in C; a key function would cost a call per word).
        weights = self.weight
        self.rank: dict[str, int]
        self.rank_weight: list[float]  # weight by rank
        if ext is not None:
            self.rank, self.rank_weight = ext.rank_words(weights)
        else:
            rarest = sorted(zip(map(float.__neg__, weights.values()), weights, strict=True))
            self.rank = dict(zip(map(itemgetter(1), rarest), range(len(rarest)), strict=True))
            self.rank_weight = [-neg for neg, _ in rarest]  # (negation is exact)
        if ext is not None:
            self.left_mass: list[float] = ext.masses(self.left, weights)
            self.right_mass: list[float] = ext.masses(self.right, weights)
        else:
            self.left_mass = [self.mass(s) if s else 0.0 for s in self.left]
            self.right_mass = [self.mass(s) if s else 0.0 for s in self.right]

    def mass(self, words: frozenset[str]) -> float:
        # fsum is exactly rounded whatever the order, and a set's order follows the hash seed
        # (the extension's masses() sums the same way: the very same float)
        if self._ext is not None:
            found: list[float] = self._ext.masses((words,), self.weight)
            return found[0]
        return math.fsum(map(self.weight.__getitem__, words))

    def sim(self, li: Sequence[int], ri: Sequence[int]) -> float:
        """Weighted Dice of two runs of blocks; single blocks use their precomputed mass."""
        a, b = self.union(self.left, li), self.union(self.right, ri)
        ma = self.left_mass[li[0]] if len(li) == 1 else self.mass(a)
        mb = self.right_mass[ri[0]] if len(ri) == 1 else self.mass(b)
        total = ma + mb
        return 2 * self.common_mass(a, b) / total if total else 0.0

    def containment(self, part: frozenset[str], whole: frozenset[str]) -> float:
        m = self.mass(part)
        return self.common_mass(part, whole) / m if m else 0.0

    def common_mass(self, a: frozenset[str], b: frozenset[str]) -> float:
        """``mass(a & b)``: in C where the extension is built, without making the set."""
        if self._ext is not None:
            found: float = self._ext.common_mass(a, b, self.weight)
            return found
        return self.mass(a & b)

    @staticmethod
    def union(sets: list[frozenset[str]], ids: Sequence[int]) -> frozenset[str]:
        if len(ids) == 1:
            return sets[ids[0]]
        return frozenset().union(*(sets[i] for i in ids))


def candidates(
    f: Features, lids: list[int], rids: list[int], *, native: bool = True
) -> list[tuple[float, int, int]]:
    """Candidate pairs (similarity, left, right), found through shared rarer words.

    The C version (viewer/core/_native.c, built when a compiler is there) gives the very
    same list, floats included; this one is the reference.
    """
    cap = POSTING_CAP if len(rids) > 4 * POSTING_CAP else len(rids) + 1
    if native and _native is not None:
        found: list[tuple[float, int, int]] = _native.candidates(
            f.left,
            f.right,
            lids,
            rids,
            f.rank,
            f.rank_weight,
            f.left_mass,
            f.right_mass,
            cap,
            PROBE_WORDS,
            CANDIDATES,
        )
        return found
    index: dict[str, list[int]] = defaultdict(list)
    for r in rids:
        for w in f.right[r]:
            index[w].append(r)
    wt = f.weight
    out: list[tuple[float, int, int]] = []
    rank = f.rank.__getitem__
    for li in lids:
        # Words in a fixed order (rarest first, ties by word), so the float sums and the
        # order of ties never follow the hash seed.
        probes = sorted(f.left[li], key=rank)[:PROBE_WORDS]
        posts = [(wt[w], post) for w in probes if (post := index.get(w)) and len(post) <= cap]
        # Every block touched, in order of first touch (ties among the best keep it), at 0.0.
        acc = dict.fromkeys(chain.from_iterable(post for _, post in posts), 0.0)
        for weight, post in posts:
            for r in post:
                acc[r] += weight
        if not acc:
            continue
        # The best few, ties in order of first touch (what heapq.nlargest gives, faster).
        best = sorted(acc.items(), key=itemgetter(1), reverse=True)[:CANDIDATES]
        lm = f.left_mass[li]
        for r, _ in best:
            total = lm + f.right_mass[r]
            shared = f.mass(f.left[li] & f.right[r])
            if total and shared:
                out.append((2 * shared / total, li, r))
    return out


def heaviest_chain(
    pairs: list[tuple[float, int, int]], *, native: bool = True
) -> set[tuple[int, int]]:
    """Pairs forming the heaviest sequence increasing on both sides (weighted LIS).

    In C where the extension is built (``native``): the same chain.
    """
    if native and _native is not None:
        found: set[tuple[int, int]] = _native.heaviest_chain(pairs)
        return found
    items = sorted(pairs, key=lambda p: (p[2], -p[1]))
    # best[k]: best chain weight ending at items[k]; a Fenwick tree over left indices.
    lefts = sorted({p[1] for p in items})
    rank = {v: i + 1 for i, v in enumerate(lefts)}
    size = len(lefts)
    tree_val = [0.0] * (size + 1)
    tree_idx = [-1] * (size + 1)
    prev = [-1] * len(items)
    best = [0.0] * len(items)
    for k, (s, li, _r) in enumerate(items):
        q, qi, i = 0.0, -1, rank[li] - 1
        while i > 0:
            if tree_val[i] > q:
                q, qi = tree_val[i], tree_idx[i]
            i -= i & -i
        best[k], prev[k] = q + s, qi
        i = rank[li]
        while i <= size:
            if best[k] > tree_val[i]:
                tree_val[i], tree_idx[i] = best[k], k
            i += i & -i
    if not items:
        return set()
    k = max(range(len(items)), key=best.__getitem__)
    chain: set[tuple[int, int]] = set()
    while k >= 0:
        chain.add((items[k][1], items[k][2]))
        k = prev[k]
    return chain
