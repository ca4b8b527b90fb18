"""Where things go in the report: highlight marks per side, and the order of rows.

Rows follow the comparison's display order, one per alignment group, so the two
sides of a group always share a row. Display order keeps each side's blocks in order
except around moves; for each side, the blocks on its longest in-order run stay
where they are and every other block also gets a "ghost" row at its own place in
that side's order. So reading one column from top to bottom, skipping echoes, gives
that article's text exactly once, in order.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import NamedTuple

from viewer.core.model import Comparison
from viewer.core.notes import Side


class Mark(NamedTuple):
    """A highlighted span on one side: segment kind and the change it belongs to."""

    start: int
    end: int
    kind: str  # "delete", "insert" or "replace"
    change: int | None


def marks_for(comparison: Comparison, side: Side) -> list[Mark]:
    """Non-equal segments of one side, sorted, each with its change id when one matches."""
    by_span = {(c.group, c.left, c.right): c.id for c in comparison.changes if c.kind != "move"}
    marks = []
    for seg in comparison.segments:
        if seg.kind == "equal":
            continue
        start, end = seg.left if side == "left" else seg.right
        if end > start:
            marks.append(Mark(start, end, seg.kind, by_span.get((seg.group, seg.left, seg.right))))
    marks.sort()
    return marks


@dataclass(slots=True)
class RowPlan:
    """One row: an alignment group (``group`` set) or a ghost of displaced blocks."""

    kind: str  # "group" or "ghost"
    group: int | None  # index into comparison.groups
    left: tuple[int, ...]
    right: tuple[int, ...]
    dom_id: str
    number: str
    echo: tuple[set[int], set[int]] = field(default_factory=lambda: (set(), set()))


def _in_order(sequence: list[int]) -> set[int]:
    """Values on a longest strictly increasing subsequence of ``sequence`` (patience sort)."""
    tails: list[int] = []  # smallest tail value of an increasing run of each length
    tail_at: list[int] = []  # index in sequence of that tail
    parent = [-1] * len(sequence)
    for i, value in enumerate(sequence):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = value, i
        parent[i] = tail_at[k - 1] if k else -1
    keep: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        keep.add(sequence[i])
        i = parent[i]
    return keep


def _displaced(comparison: Comparison, side: Side) -> tuple[dict[int, list[int]], set[int]]:
    """Ghost blocks of one side by the group row they go before (-1: at the end),
    and the blocks shown as echoes in their group row."""
    article = comparison.left if side == "left" else comparison.right
    shown: list[tuple[int, int]] = []  # (row index, block id) in display order
    for row, group in enumerate(comparison.groups):
        shown.extend((row, b) for b in (group.left if side == "left" else group.right))
    keep = _in_order([b for _, b in shown])
    echo = {b for _, b in shown if b not in keep}
    kept = sorted((b, row) for row, b in shown if b in keep)
    kept_blocks = [b for b, _ in kept]
    ghosts: dict[int, list[int]] = {}
    for block in range(len(article.blocks)):
        if block in keep:
            continue
        k = bisect_left(kept_blocks, block)
        ghosts.setdefault(kept[k][1] if k < len(kept) else -1, []).append(block)
    return ghosts, echo


def plan_rows(comparison: Comparison) -> list[RowPlan]:
    """All rows of the report in order: group rows with ghost rows slotted in."""
    ghosts_l, echo_l = _displaced(comparison, "left")
    ghosts_r, echo_r = _displaced(comparison, "right")

    def ghost_rows(row: int) -> list[RowPlan]:
        out = [RowPlan("ghost", None, (b,), (), f"ghost-L-{b}", "↕") for b in ghosts_l.get(row, [])]
        out += [
            RowPlan("ghost", None, (), (b,), f"ghost-R-{b}", "↕") for b in ghosts_r.get(row, [])
        ]
        return out

    rows: list[RowPlan] = []
    for index, group in enumerate(comparison.groups):
        rows.extend(ghost_rows(index))
        echo = ({b for b in group.left if b in echo_l}, {b for b in group.right if b in echo_r})
        rows.append(
            RowPlan(
                "group", index, group.left, group.right, f"group-{group.id}", str(index + 1), echo
            )
        )
    rows.extend(ghost_rows(-1))
    return rows
