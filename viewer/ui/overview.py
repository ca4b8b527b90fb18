"""The overview strip: the whole comparison in miniature, left half and right half.

Marks are computed once per comparison (block granularity) as document fractions;
painting scales them to the strip. Clicking scrolls that side's pane there.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QWidget

from viewer.core.model import Comparison
from viewer.ui.highlight import LIGHT, Colours
from viewer.ui.pane import Pane

WIDTH = 22
_PRIORITY = {"extraneous": 0, "move": 1, "replace": 2, "delete": 3, "insert": 3}


def block_marks(comparison: Comparison, pane: Pane) -> list[tuple[float, float, str]]:
    """(top fraction, bottom fraction, kind) for the pane's blocks that carry a mark."""
    height = max(pane.doc_height(), 1.0)
    kinds: dict[int, str] = {}
    side = pane.side
    for change in comparison.changes:
        span = change.left if side == "left" else change.right
        kind = change.kind
        if span[0] == span[1] or pane.positions is None:
            continue
        first = pane.positions.block_index(span[0])
        last = pane.positions.block_index(max(span[1] - 1, span[0]))
        if first is None or last is None:
            continue
        for index in range(first, last + 1):
            old = kinds.get(index)
            if old is None or _PRIORITY[kind] > _PRIORITY[old]:
                kinds[index] = kind
    for index, block in enumerate(pane.blocks):
        if block.extraneous is not None:
            kinds[index] = "extraneous"
    return [(pane.tops[i] / height, pane.bottoms[i] / height, k) for i, k in sorted(kinds.items())]


class Overview(QWidget):
    """Miniature of both panes with change marks and the visible regions."""

    clicked = Signal(str, float)  # side, fraction of that document

    def __init__(self, left: Pane, right: Pane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedWidth(WIDTH)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Overview: click to jump there")
        self._panes = (left, right)
        self.colours: Colours = LIGHT
        self._marks: tuple[list, list] = ([], [])

    def set_marks(
        self, left: list[tuple[float, float, str]], right: list[tuple[float, float, str]]
    ) -> None:
        self._marks = (left, right)
        self.update()

    def _colour(self, kind: str) -> QColor:
        c = self.colours
        return QColor(
            {
                "extraneous": c.extraneous_fg,
                "move": c.moved_band,
                "replace": c.band_changed,
                "delete": c.delete_fg,
                "insert": c.insert_fg,
            }[kind]
        )

    def paintEvent(self, event):  # noqa: N802 - Qt override
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        painter.fillRect(self.rect(), self.palette().base())
        h, half = float(self.height()), self.width() / 2
        for column, marks in enumerate(self._marks):
            x = 2 + column * half
            for top, bottom, kind in marks:
                y = top * h
                painter.fillRect(
                    QRectF(x, y, half - 3, max((bottom - top) * h, 2)), self._colour(kind)
                )
        painter.setPen(QPen(self.palette().text().color(), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for column, pane in enumerate(self._panes):
            doc = max(pane.doc_height(), 1.0)
            top = pane.scroll_value() / doc * h
            size = max(pane.page_height() / doc * h, 4)
            painter.drawRect(QRectF(1 + column * half, top, half - 2, min(size, h - top - 1)))

    def mousePressEvent(self, event: QMouseEvent):  # noqa: N802
        side = "left" if event.position().x() < self.width() / 2 else "right"
        self.clicked.emit(side, min(max(event.position().y() / max(self.height(), 1), 0.0), 1.0))
