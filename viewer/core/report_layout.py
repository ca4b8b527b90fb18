"""Where things go in the report: the order of rows, and the highlighted HTML of blocks.

Rows follow the comparison's display order, one per alignment group, so the two
sides of a group always share a row. Display order keeps each side's blocks in order
except around moves; for each side, the blocks on its longest in-order run stay
where they are and every other block also gets a "ghost" row at its own place in
that side's order. So reading one column from top to bottom, skipping echoes, gives
that article's text exactly once, in order.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from markupsafe import Markup, escape

from viewer.core.model import Article, Block, Comparison
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


def positions(plans: Sequence[RowPlan]) -> dict[str, tuple[int, str]]:
    """Row index and row number of every displaced block's two places, by dom id."""
    where: dict[str, tuple[int, str]] = {}
    for k, plan in enumerate(plans):
        for prefix, ids, echo in (("L", plan.left, plan.echo[0]), ("R", plan.right, plan.echo[1])):
            for bid in ids:
                if plan.kind == "ghost":
                    where[f"{prefix}-{bid}"] = (k, plan.number)
                elif bid in echo:
                    where[f"{prefix}-{bid}-aligned"] = (k, plan.number)
    return where


@dataclass(slots=True)
class Numbering:
    """Which changes already have a number badge per side, and which an anchor id."""

    numbered: set[tuple[str, int]] = field(default_factory=set)
    anchored: set[int] = field(default_factory=set)


class Highlighter:
    """Builds escaped, highlighted HTML for blocks of one side; numbers each change once."""

    TAGS = {"delete": "del", "insert": "ins"}

    def __init__(self, article: Article, side: Side, marks: list[Mark], state: Numbering) -> None:
        self.text = article.text
        self.side = side
        self.marks = marks
        self.ends = [m.end for m in marks]
        self.state = state

    def _open(self, mark: Mark, noted: set[int]) -> str:
        tag = self.TAGS.get(mark.kind) or ("del" if self.side == "left" else "ins")
        attrs = f' class="x-{mark.kind}{" noted" if mark.change in noted else ""}"'
        if mark.change is not None:
            number = mark.change + 1
            attrs += f' title="change {number}: {mark.kind}"'
            if (self.side, mark.change) not in self.state.numbered:
                self.state.numbered.add((self.side, mark.change))
                attrs += f' data-n="{number}"'
            if mark.change not in self.state.anchored:
                self.state.anchored.add(mark.change)
                attrs += f' id="change-{number}"'
        return f"<{tag}{attrs}>"

    def block(self, block: Block, noted: set[int], plain: bool = False) -> Markup:
        """HTML of ``block``'s text with its marks (none when ``plain``)."""
        parts: list[str] = []
        pos = block.start
        i = len(self.marks) if plain else bisect_right(self.ends, block.start)
        while i < len(self.marks) and self.marks[i].start < block.end:
            mark = self.marks[i]
            a, b = max(mark.start, block.start), min(mark.end, block.end)
            if b > a:
                parts.append(str(escape(self.text[pos:a])))
                tag = self.TAGS.get(mark.kind) or ("del" if self.side == "left" else "ins")
                parts.append(self._open(mark, noted) + str(escape(self.text[a:b])) + f"</{tag}>")
                pos = b
            i += 1
        parts.append(str(escape(self.text[pos : block.end])))
        return Markup("".join(parts))  # noqa: S704 - every piece escaped above
