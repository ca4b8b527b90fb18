"""Paragraph alignment robust to what republishers do: rewrites, merges, splits, moves.

1. Each block becomes a set of case-folded words weighted by rarity across both
   articles (IDF), so names, numbers and rare words carry the match and "the" does not.
2. Identical blocks and strong candidate pairs (found through an inverted index on
   the rarer words, never all pairs) are matched greedily by similarity.
3. The heaviest chain of pairs in order on both sides (a weighted longest increasing
   subsequence, as wikEdDiff fixes its blocks) becomes the anchors; strong pairs off
   the chain are moves; weak pairs off the chain are dropped.
4. Between consecutive anchors a small dynamic programme aligns what is left:
   1:1 pairs, two-to-one merges and one-to-two splits, or nothing; a lone block on
   each side of a gap pairs up if they share anything substantial.
5. Unmatched blocks next to a pair join it when they are largely contained in its
   counterpart (a merge or split that touches an anchor).
Every block lands in exactly one group; blocks the caller hides become groups of their own.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from viewer.core.alignwords import Features, candidates, heaviest_chain

STRONG = 0.45  # a pair this similar is trusted anywhere, even out of order (a move)
WEAK = 0.2  # in-order pairs between anchors need at least this much
LONE = 0.1  # a lone block on each side of a gap pairs up above this
CONTAINED = 0.5  # share of a block's weight found in a neighbour's counterpart to join it
PARTLY = 0.15  # ... or this share, when it also covers this much more of the counterpart:
COVER_GAIN = 0.1
MAX_GAP_CELLS = 2500  # larger gaps are split on their best in-order pair first


class RawGroup(NamedTuple):
    """An alignment group before relations are named (compare.py names them).

    A named tuple: thousands are made per large pair, each in a fraction of the time a
    frozen dataclass takes.
    """

    left: tuple[int, ...]
    right: tuple[int, ...]
    similarity: float
    moved: bool = False
    hidden: bool = False


def _merge_ok(f: Features, parts: list[frozenset[str]], whole: frozenset[str]) -> bool:
    return all(f.containment(p, whole) >= 0.25 for p in parts)


def _gap_dp(f: Features, ls: list[int], rs: list[int], bounded: bool) -> list[RawGroup]:
    """Best in-order alignment of the blocks between two anchors.

    In a gap bounded by anchors on both sides, a lone block on each side pairs up with
    a lower bar: both sit at the same place in the story.
    """
    n, m = len(ls), len(rs)
    if n == 1 and m == 1 and bounded:
        s = f.sim([ls[0]], [rs[0]])
        return [RawGroup((ls[0],), (rs[0],), s)] if s >= LONE else []
    neg = -1.0
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    move: list[list[tuple[int, int, float]]] = [[(0, 0, 0.0)] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            best, mv = neg, (0, 0, 0.0)
            if i and score[i - 1][j] > best:
                best, mv = score[i - 1][j], (1, 0, 0.0)
            if j and score[i][j - 1] > best:
                best, mv = score[i][j - 1], (0, 1, 0.0)
            for di, dj in ((1, 1), (2, 1), (1, 2)):
                if i < di or j < dj:
                    continue
                li, ri = ls[i - di : i], rs[j - dj : j]
                # A group's text runs from its first block to its last: only neighbours
                # merge, never two blocks with a moved or hidden one between them.
                if li[-1] - li[0] != di - 1 or ri[-1] - ri[0] != dj - 1:
                    continue
                # One side is a single block: a block of the other sharing no word with it
                # cannot be part of the pair (cheap, and it spares most similarity sums).
                one = f.right[ri[0]] if dj == 1 else f.left[li[0]]
                many = [f.left[x] for x in li] if dj == 1 else [f.right[y] for y in ri]
                if any(one.isdisjoint(part) for part in many):
                    continue
                s = f.sim(li, ri)
                gain = s - WEAK - (0.05 if di + dj > 2 else 0.0)
                if gain <= 0 or score[i - di][j - dj] + gain <= best:
                    continue
                if di + dj > 2:
                    parts = [f.left[x] for x in li] if di > 1 else [f.right[x] for x in ri]
                    whole = f.union(f.right, ri) if di > 1 else f.union(f.left, li)
                    if not _merge_ok(f, parts, whole):
                        continue
                best, mv = score[i - di][j - dj] + gain, (di, dj, s)
            score[i][j], move[i][j] = best, mv
    groups: list[RawGroup] = []
    i, j = n, m
    while i or j:
        di, dj, s = move[i][j]
        if di and dj:
            groups.append(RawGroup(tuple(ls[i - di : i]), tuple(rs[j - dj : j]), s))
        i, j = i - di, j - dj
    return groups[::-1]


def _align_gap(f: Features, ls: list[int], rs: list[int], bounded: bool) -> list[RawGroup]:
    if not ls or not rs:
        return []
    if len(ls) * len(rs) <= MAX_GAP_CELLS:
        return _gap_dp(f, ls, rs, bounded)
    # Too large for the quadratic programme: split on the heaviest chain of weaker pairs.
    pairs = [p for p in candidates(f, ls, rs) if p[0] >= WEAK]
    chain = sorted(heaviest_chain(pairs))
    if not chain:
        return []
    sims = {(p[1], p[2]): p[0] for p in pairs}
    out: list[RawGroup] = []
    pl, pr = 0, 0
    lpos = {v: k for k, v in enumerate(ls)}
    rpos = {v: k for k, v in enumerate(rs)}
    for li, ri in chain:
        a, b = lpos[li], rpos[ri]
        out.extend(_align_gap(f, ls[pl:a], rs[pr:b], bounded or pl > 0))
        out.append(RawGroup((li,), (ri,), sims[(li, ri)]))
        pl, pr = a + 1, b + 1
    out.extend(_align_gap(f, ls[pl:], rs[pr:], bounded))
    return out


Scored = tuple[float, int, int]  # (similarity, left block, right block)
Anchor = tuple[int, int, float]  # (left block, right block, similarity)


def _exact_pairs(
    left: Sequence[str], right: Sequence[str], lids: list[int], rids: list[int]
) -> list[Scored]:
    """Blocks whose text occurs exactly once on each side and is identical."""
    lcount: dict[str, list[int]] = defaultdict(list)
    rcount: dict[str, list[int]] = defaultdict(list)
    for i in lids:
        lcount[left[i]].append(i)
    for j in rids:
        rcount[right[j]].append(j)
    return [
        (1.0, ls[0], rcount[t][0])
        for t, ls in lcount.items()
        if len(ls) == 1 and len(rcount.get(t, ())) == 1
    ]


def _match(f: Features, lids: list[int], rids: list[int]) -> list[tuple[float, int, int]]:
    """Greedy one-to-one matching of similar blocks, best first."""
    pairs = [p for p in candidates(f, lids, rids) if p[0] >= WEAK]
    done_l: set[int] = set()
    done_r: set[int] = set()
    matched = []
    for s, li, ri in sorted(pairs, reverse=True):
        if li not in done_l and ri not in done_r:
            done_l.add(li)
            done_r.add(ri)
            matched.append((s, li, ri))
    return matched


def _anchors_and_moves(matched: list[Scored]) -> tuple[list[Anchor], list[RawGroup]]:
    """Pairs on the heaviest in-order chain are anchors; strong pairs off it are moves."""
    chain = heaviest_chain(matched)
    anchors = sorted((li, ri, s) for s, li, ri in matched if (li, ri) in chain)
    moves = [
        RawGroup((li,), (ri,), s, moved=True)
        for s, li, ri in matched
        if (li, ri) not in chain and s >= STRONG
    ]
    return anchors, moves


def _fill_gaps(
    f: Features,
    anchors: list[Anchor],
    lids: list[int],
    rids: list[int],
    busy_l: set[int],
    busy_r: set[int],
) -> list[RawGroup]:
    """Anchors plus the alignment of the free blocks between each consecutive pair."""
    free_l = [i for i in lids if i not in busy_l]
    free_r = [j for j in rids if j not in busy_r]
    out: list[RawGroup] = []
    a_l, a_r = 0, 0
    for k, (li, ri, s) in enumerate(anchors):
        b_l, b_r = bisect_right(free_l, li), bisect_right(free_r, ri)
        out.extend(_align_gap(f, free_l[a_l:b_l], free_r[a_r:b_r], k > 0))
        out.append(RawGroup((li,), (ri,), s))
        a_l, a_r = b_l, b_r
    out.extend(_align_gap(f, free_l[a_l:], free_r[a_r:], False))  # the tail
    return out


def _extend(
    f: Features,
    groups: list[RawGroup],
    lids: list[int],
    rids: list[int],
    moves: list[RawGroup],
) -> list[RawGroup]:
    """Let unmatched blocks join an adjacent in-order pair whose counterpart contains them."""
    owners: tuple[dict[int, int | None], dict[int, int | None]] = (
        {i: k for k, g in enumerate(groups) for i in g.left},
        {j: k for k, g in enumerate(groups) for j in g.right},
    )
    for g in moves:  # blocks of moved groups are taken, and moved groups do not grow
        owners[0].update(dict.fromkeys(g.left))
        owners[1].update(dict.fromkeys(g.right))
    # Only unowned blocks can join: the others are left out of every round at once.
    free = [[b for b in lids if b not in owners[0]], [b for b in rids if b not in owners[1]]]
    for _round in range(4):
        grew = False
        for side in (0, 1):
            owner = owners[side]
            for b in free[side]:
                for nb in (b - 1, b + 1):
                    k = owner.get(nb)
                    if k is None or groups[k].moved or groups[k].similarity >= 1.0:
                        continue
                    grown = _grow(f, groups[k], b, side == 0)
                    if grown is not None:
                        groups[k] = grown
                        owner[b] = k
                        grew = True
                        break
            free[side] = [b for b in free[side] if b not in owner]
        if not grew:
            break
    return groups


def _grow(f: Features, g: RawGroup, b: int, is_left: bool) -> RawGroup | None:
    """The group with block b joined, if b belongs to the group's counterpart.

    Either most of b is found in the counterpart, or part of it is and b explains
    a good share of the counterpart that the group's own blocks left unexplained.
    """
    mine, other = (g.left, g.right) if is_left else (g.right, g.left)
    if len(other) != 1 or not (b == mine[0] - 1 or b == mine[-1] + 1):
        return None
    own, far = (f.left, f.right) if is_left else (f.right, f.left)
    block, whole, have = own[b], far[other[0]], f.union(own, mine)
    contained = f.containment(block, whole)
    if contained < CONTAINED:
        gain = f.containment(whole, have | block) - f.containment(whole, have)
        if contained < PARTLY or gain < COVER_GAIN:
            return None
    grown = tuple(sorted((*mine, b)))
    li, ri = (grown, other) if is_left else (other, grown)
    return RawGroup(li, ri, f.sim(li, ri))


def _display_order(pairs: list[RawGroup], others: list[RawGroup]) -> list[RawGroup]:
    """In-order pairs as the spine; one-sided groups and moves slotted in by position."""
    chain = sorted(pairs, key=lambda g: g.left[0])
    keys_l = [g.left[0] for g in chain]
    keys_r = [g.right[0] for g in chain]
    slots: list[list[tuple[int, int, RawGroup]]] = [[] for _ in range(len(chain) + 1)]
    for g in others:
        if g.right:
            k = bisect_right(keys_r, g.right[0])
            slots[k].append((1, g.right[0], g))
        else:
            k = bisect_right(keys_l, g.left[0])
            slots[k].append((0, g.left[0], g))
    out: list[RawGroup] = []
    for k, slot in enumerate(slots):
        if len(slot) > 1:  # most slots hold none or one
            slot.sort(key=lambda t: (t[0], t[1]))
        out.extend(g for _, _, g in slot)
        if k < len(chain):
            out.append(chain[k])
    return out


def align(
    left: Sequence[str],
    right: Sequence[str],
    left_hidden: frozenset[int] = frozenset(),
    right_hidden: frozenset[int] = frozenset(),
) -> list[RawGroup]:
    """Align the blocks (texts) of two articles; groups in display order.

    Blocks listed as hidden are left out of the alignment and get a group of their own.
    """
    lids = [i for i in range(len(left)) if i not in left_hidden]
    rids = [j for j in range(len(right)) if j not in right_hidden]
    exact = _exact_pairs(left, right, lids, rids)
    done_l = {p[1] for p in exact}
    done_r = {p[2] for p in exact}
    rest_l = [i for i in lids if i not in done_l]
    rest_r = [j for j in rids if j not in done_r]
    f = Features(left, right, rest_l, rest_r)
    anchors, moves = _anchors_and_moves(exact + _match(f, rest_l, rest_r))
    busy_l = {li for li, _, _ in anchors} | {g.left[0] for g in moves}
    busy_r = {ri for _, ri, _ in anchors} | {g.right[0] for g in moves}
    pairs = _extend(f, _fill_gaps(f, anchors, lids, rids, busy_l, busy_r), lids, rids, moves)
    taken_l = {i for g in (*pairs, *moves) for i in g.left}
    taken_r = {j for g in (*pairs, *moves) for j in g.right}
    others = list(moves)
    others += [
        RawGroup((i,), (), 0.0, hidden=i in left_hidden)
        for i in range(len(left))
        if i not in taken_l
    ]
    others += [
        RawGroup((), (j,), 0.0, hidden=j in right_hidden)
        for j in range(len(right))
        if j not in taken_r
    ]
    return _display_order(pairs, others)
