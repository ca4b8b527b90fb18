"""Building a pane's QTextDocument in slices, so big articles never stall the window.

One QTextBlock per shown article block, headings and lists formatted as such, and
highlights applied with QTextLayout.setFormats per block (cheaper than merging char
formats through a cursor). Generators yield between slices; ``SliceRunner`` drives
them from the event loop with a time budget per turn.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextList,
    QTextListFormat,
)

from viewer.core.model import Block
from viewer.ui.highlight import Colours, format_ranges

SLICE = 60  # blocks between yields
TAG_SPACE = 20  # px above an extraneous block, where its category tag is painted
_NEWLINES = str.maketrans({"\n": " ", "\r": " ", "\u2029": " ", "\x0b": " ", "\x0c": " "})


def block_formats(
    block: Block, moved: bool, colours: Colours
) -> tuple[QTextBlockFormat, QTextCharFormat]:
    """The paragraph and character format of one article block."""
    bfmt, cfmt = QTextBlockFormat(), QTextCharFormat()
    bfmt.setBottomMargin(10)
    bfmt.setLineHeight(135, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    if block.kind == "heading":
        level = max(1, min(block.level or 2, 6))
        bfmt.setHeadingLevel(level)
        bfmt.setTopMargin(8)
        cfmt.setFontWeight(QFont.Weight.Bold)
        cfmt.setProperty(QTextFormat.Property.FontSizeAdjustment, max(0, 3 - level))
    elif block.kind == "quote":
        bfmt.setLeftMargin(26)
        cfmt.setFontItalic(True)
    if moved:
        bfmt.setBackground(QColor(colours.moved_bg))
    if block.extraneous is not None:
        bfmt.setBackground(QColor(colours.extraneous_bg))
        bfmt.setTopMargin(TAG_SPACE)
        cfmt.setForeground(QColor(colours.extraneous_fg))
    return bfmt, cfmt


def build_document(
    document: QTextDocument,
    blocks: Sequence[Block],
    moved_ids: set[int],
    ranges: dict[int, list[tuple[int, int, str]]],
    formats: dict[str, QTextCharFormat],
    colours: Colours,
) -> Iterator[None]:
    """Fill ``document`` (fresh, not yet shown) with ``blocks`` and their highlights."""
    document.setUndoRedoEnabled(False)
    cursor = QTextCursor(document)
    current_list: QTextList | None = None
    for index, block in enumerate(blocks):
        bfmt, cfmt = block_formats(block, block.id in moved_ids, colours)
        if index == 0:
            cursor.setBlockFormat(bfmt)
            cursor.setBlockCharFormat(cfmt)
        else:
            cursor.insertBlock(bfmt, cfmt)
        cursor.insertText(block.text.translate(_NEWLINES), cfmt)
        if block.kind == "list_item":
            if current_list is None:
                style = QTextListFormat()
                style.setStyle(QTextListFormat.Style.ListDisc)
                style.setIndent(max(1, block.level))
                current_list = cursor.createList(style)
            else:
                current_list.add(cursor.block())
        else:
            current_list = None
        if index % SLICE == SLICE - 1:
            yield
    text_block = document.begin()
    for index in range(len(blocks)):
        # Extraneous blocks read as greyed-out boilerplate, not as inserted or deleted text.
        if index in ranges and blocks[index].extraneous is None:
            text_block.layout().setFormats(format_ranges(ranges[index], formats))
        text_block = text_block.next()
        if index % (SLICE * 4) == SLICE * 4 - 1:
            yield


class SliceRunner(QObject):
    """Runs generators on the event loop, at most ``budget_ms`` per turn."""

    finished = Signal()

    def __init__(self, budget_ms: float = 12.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._budget = budget_ms / 1000
        self._steps: Iterator[None] | None = None
        self._on_done: Callable[[], None] | None = None
        self._timer = QTimer(self)
        # 1 ms rather than 0: other due timers and events get their turn between slices.
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def running(self) -> bool:
        return self._steps is not None

    def start(self, steps: Iterator[None], on_done: Callable[[], None] | None = None) -> None:
        """Replace any running job with ``steps``; its first slice runs on the next turn."""
        self._steps, self._on_done = steps, on_done
        self._timer.start()

    def stop(self) -> None:
        self._steps = None
        self._timer.stop()

    def _on_timer_timeout(self) -> None:
        steps = self._steps
        if steps is None:
            self._timer.stop()
            return
        deadline = time.perf_counter() + self._budget
        try:
            while time.perf_counter() < deadline:
                next(steps)
        except StopIteration:
            if self._steps is steps:
                self._steps = None
                self._timer.stop()
                if self._on_done is not None:
                    self._on_done()
                self.finished.emit()
