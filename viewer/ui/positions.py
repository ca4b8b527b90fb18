"""The one place where code-point offsets become Qt's UTF-16 positions.

Core offsets count code points into ``Article.text``; a pane's QTextDocument holds
one QTextBlock per shown article block, and Qt counts UTF-16 units, where every
character outside the Basic Multilingual Plane (emoji, some CJK) takes two.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence

from viewer.core.model import Block, Span

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class PositionMap:
    """Maps article offsets to (shown block index, UTF-16 offset inside that block)."""

    def __init__(self, text: str, blocks: Sequence[Block]) -> None:
        self._blocks = tuple(blocks)
        self._starts = [b.start for b in self._blocks]
        # Offsets of astral characters, so UTF-16 lengths are two bisects away.
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]

    @property
    def blocks(self) -> tuple[Block, ...]:
        return self._blocks

    def utf16_length(self, start: int, end: int) -> int:
        """UTF-16 length of ``text[start:end]``."""
        astral = bisect_left(self._astral, end) - bisect_left(self._astral, start)
        return end - start + astral

    def block_index(self, offset: int) -> int | None:
        """Index of the shown block containing ``offset`` (its end counts as inside)."""
        index = bisect_right(self._starts, offset) - 1
        if index < 0 or offset > self._blocks[index].end:
            return None
        return index

    def locate(self, offset: int) -> tuple[int, int] | None:
        """(shown block index, UTF-16 offset in the block) of an article offset."""
        index = self.block_index(offset)
        if index is None:
            return None
        return index, self.utf16_length(self._blocks[index].start, offset)

    def offset(self, index: int, utf16: int) -> int:
        """Article offset of UTF-16 position ``utf16`` in shown block ``index`` (the inverse
        of ``locate``; a position inside a surrogate pair rounds down)."""
        block = self._blocks[index]
        offset = block.start + utf16
        for astral in self._astral[bisect_left(self._astral, block.start) :]:
            if astral >= offset:
                break
            offset -= 1
        return min(offset, block.end)

    def split(self, span: Span) -> Iterator[tuple[int, int, int]]:
        """The parts of ``span`` per shown block: (block index, UTF-16 start, UTF-16 length).

        Spans may cross block boundaries (merged groups); the joining newline and any
        hidden block in between are skipped. Empty parts are not yielded.
        """
        start, end = span
        first = bisect_right(self._starts, start) - 1
        for index in range(max(first, 0), len(self._blocks)):
            block = self._blocks[index]
            if block.start >= end:
                break
            lo, hi = max(start, block.start), min(end, block.end)
            if hi > lo:
                yield index, self.utf16_length(block.start, lo), self.utf16_length(lo, hi)
