"""Where the previous and next change (or extraneous block) is, as Meld's locate_chunk.

The window asks; it only moves the view and enables buttons with the answer.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    """Indices into the stepped sequence; None where there is nothing."""

    current: int | None
    previous: int | None
    next: int | None
    first: int | None
    last: int | None


def locate(keys: Sequence[float], position: float, current: int | None = None) -> Location:
    """Previous and next item around ``current``, or around ``position`` if there is none.

    ``keys`` are the items' places in display order (non-decreasing, e.g. the display
    index of each change's group); ``position`` is where the user is looking, on the
    same scale. Items at ``position`` count as next, so stepping from a freshly
    scrolled view lands on the first visible change.
    """
    count = len(keys)
    first, last = (0, count - 1) if count else (None, None)
    if current is not None and 0 <= current < count:
        previous = current - 1 if current > 0 else None
        following = current + 1 if current + 1 < count else None
        return Location(current, previous, following, first, last)
    before = bisect_left(keys, position)
    previous = before - 1 if before > 0 else None
    following = before if before < count else None
    return Location(None, previous, following, first, last)


def index_at(keys: Sequence[float], position: float) -> int | None:
    """The last item whose key is at or before ``position`` (None if before all)."""
    found = bisect_right(keys, position) - 1
    return found if found >= 0 else None
