"""Vertical position mapping between the two panes, the way Meld syncs its scrolling.

Pure functions over y ranges: the window measures where each block is drawn, builds
``Link``s from the alignment groups, and asks ``scroll_target`` where the other pane
should scroll. Between linked blocks the position is interpolated, so wrapped
paragraphs of very different heights still stay level.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from viewer.core.model import AlignmentGroup

Range = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Link:
    """A vertical range of the left pane that corresponds to one of the right pane."""

    left: Range
    right: Range


def _extent(ids: Iterable[int], extents: Mapping[int, Range]) -> Range | None:
    ranges = [extents[i] for i in ids if i in extents]
    if not ranges:
        return None
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


def build_links(
    groups: Iterable[AlignmentGroup],
    left_extents: Mapping[int, Range],
    right_extents: Mapping[int, Range],
) -> tuple[Link, ...]:
    """Monotone anchors for scrolling: one per group shown on both sides and not moved.

    ``*_extents`` map block ids to their (top, bottom) in document coordinates. Moved
    groups would make the mapping run backwards, so they are left out, as is any
    group that would overlap or precede the previous anchor on either side;
    unmatched blocks fall into the gaps and are interpolated over.
    """
    links: list[Link] = []
    for group in groups:
        if group.moved or group.relation in ("moved", "hidden", "unmatched"):
            continue
        left = _extent(group.left, left_extents)
        right = _extent(group.right, right_extents)
        if left is None or right is None:
            continue
        if links and (left[0] < links[-1].left[1] or right[0] < links[-1].right[1]):
            continue
        links.append(Link(left, right))
    return tuple(links)


def _interpolate(y: float, src: Range, dst: Range) -> float:
    span = src[1] - src[0]
    if span <= 0:
        return dst[0]
    t = min(max((y - src[0]) / span, 0.0), 1.0)
    return dst[0] + t * (dst[1] - dst[0])


def map_y(links: tuple[Link, ...], side: str, y: float, heights: tuple[float, float]) -> float:
    """The y on the other pane corresponding to ``y`` on ``side`` ("left" or "right").

    ``heights`` are the (left, right) document heights; the document ends map onto
    each other, so the gaps before the first and after the last link interpolate too.
    """
    src_i, dst_i = (0, 1) if side == "left" else (1, 0)
    spans = [(link.left, link.right)[src_i] for link in links]
    targets = [(link.left, link.right)[dst_i] for link in links]
    index = bisect_right([s[0] for s in spans], y) - 1
    if index >= 0 and y < spans[index][1]:
        return _interpolate(y, spans[index], targets[index])
    gap_src = (spans[index][1] if index >= 0 else 0.0, 0.0)
    gap_dst = (targets[index][1] if index >= 0 else 0.0, 0.0)
    if index + 1 < len(spans):
        gap_src = (gap_src[0], spans[index + 1][0])
        gap_dst = (gap_dst[0], targets[index + 1][0])
    else:
        gap_src = (gap_src[0], heights[src_i])
        gap_dst = (gap_dst[0], heights[dst_i])
    return _interpolate(y, gap_src, gap_dst)


def sync_point(value: float, page: float, maximum: float) -> float:
    """Where in the page (0 top .. 1 bottom) the panes are kept level, as in Meld.

    Mid-page normally, ramping to the top within the first half-screen and to the
    bottom within the last, so both documents' starts and ends line up.
    """
    half = page / 2
    if half <= 0 or maximum <= 0:
        return 0.0 if value <= 0 else 1.0
    if value < half and maximum - value < half:
        return value / maximum
    if value < half:
        return 0.5 * value / half
    if maximum - value < half:
        return 1.0 - 0.5 * (maximum - value) / half
    return 0.5


def scroll_target(
    links: tuple[Link, ...],
    side: str,
    value: float,
    pages: tuple[float, float],
    heights: tuple[float, float],
) -> float:
    """Scroll value of the other pane when ``side`` is scrolled to ``value``.

    ``pages`` are the (left, right) viewport heights and ``heights`` the document
    heights; a pane's scroll maximum is its height minus its page. The result is clamped.
    """
    src_i, dst_i = (0, 1) if side == "left" else (1, 0)
    src_max = max(heights[src_i] - pages[src_i], 0.0)
    dst_max = max(heights[dst_i] - pages[dst_i], 0.0)
    point = sync_point(value, pages[src_i], src_max)
    y = value + point * pages[src_i]
    target = map_y(links, side, y, heights) - point * pages[dst_i]
    return min(max(target, 0.0), dst_max)
