"""What the window shows for a comparison, worked out once, without widgets.

Which blocks each pane shows, which are tinted as moved, the extraneous list in
display order, and the keys navigation steps over. Everything else reads these.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from viewer.core.model import Block, Comparison


@dataclass(frozen=True, slots=True)
class Presentation:
    comparison: Comparison
    shown: dict[str, tuple[Block, ...]]  # side -> blocks in article order
    moved: dict[str, set[int]]  # side -> ids of blocks in moved groups
    group_index: dict[int, int]  # group id -> display index
    block_group: dict[str, dict[int, int]]  # side -> block id -> display index of its group
    change_keys: list[int]  # display index of each change's group
    extraneous: list[tuple[str, Block]]  # (side, block) in display order
    extraneous_keys: list[int]
    spans: dict[str, list[tuple[int, int, int]]]  # side -> sorted (start, end, change id)


def _side_blocks(comparison: Comparison, side: str) -> tuple[Block, ...]:
    return (comparison.left if side == "left" else comparison.right).blocks


def present(comparison: Comparison) -> Presentation:
    """Everything the panes, sidebar and navigation need, for one comparison."""
    group_index = {g.id: i for i, g in enumerate(comparison.groups)}
    hidden: dict[str, set[int]] = {"left": set(), "right": set()}
    moved: dict[str, set[int]] = {"left": set(), "right": set()}
    block_group: dict[str, dict[int, int]] = {"left": {}, "right": {}}
    for index, group in enumerate(comparison.groups):
        for side, ids in (("left", group.left), ("right", group.right)):
            for block_id in ids:
                block_group[side][block_id] = index
            if group.relation == "hidden" and comparison.options.hide_extraneous:
                hidden[side].update(ids)
            if group.moved or group.relation == "moved":
                moved[side].update(ids)
    shown = {
        side: tuple(b for b in _side_blocks(comparison, side) if b.id not in hidden[side])
        for side in ("left", "right")
    }
    extraneous = [
        (side, block)
        for side in ("left", "right")
        for block in _side_blocks(comparison, side)
        if block.extraneous is not None
    ]
    extraneous.sort(key=lambda item: (block_group[item[0]].get(item[1].id, 0), item[0] == "right"))
    return Presentation(
        comparison=comparison,
        shown=shown,
        moved=moved,
        group_index=group_index,
        block_group=block_group,
        change_keys=[group_index.get(c.group, 0) for c in comparison.changes],
        extraneous=extraneous,
        extraneous_keys=[block_group[s].get(b.id, 0) for s, b in extraneous],
        spans={
            side: sorted(
                (*(c.left if side == "left" else c.right), c.id)
                for c in comparison.changes
                if c.kind != "move"
            )
            for side in ("left", "right")
        },
    )


def change_at(presentation: Presentation, side: str, offset: int) -> int | None:
    """The word-level change whose span on ``side`` contains ``offset`` (None if none)."""
    spans = presentation.spans[side]
    index = bisect_right(spans, (offset, 1 << 62, 0)) - 1
    # Spans do not overlap; look back a little for an empty span sitting at ``offset``.
    for start, end, change_id in reversed(spans[max(index - 2, 0) : index + 1]):
        if start <= offset < end or start == end == offset:
            return change_id
    return None
