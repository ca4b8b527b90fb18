"""The link map between the panes: a band from each aligned block to its counterpart.

As Meld's linkmap: each band is a closed path of two Bézier curves. Moved groups get
their own colour and cross; merged and split groups fan out one band per block;
unmatched blocks get only a short stub on their own side. Only bands near the
visible parts of either pane are painted (bisect on y).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QWidget

from viewer.core.model import AlignmentGroup
from viewer.ui.highlight import LIGHT, Colours
from viewer.ui.pane import Pane

WIDTH = 64


@dataclass(frozen=True, slots=True)
class Band:
    left: tuple[
        float, float
    ]  # document coordinates of the left pane; empty side: None-like (0, -1)
    right: tuple[float, float]
    kind: str  # equal, changed, merged, moved, stub_left, stub_right
    group: int


def _union(
    ids: Iterable[int], extents: dict[int, tuple[float, float]]
) -> tuple[float, float] | None:
    ranges = [extents[i] for i in ids if i in extents]
    return (min(r[0] for r in ranges), max(r[1] for r in ranges)) if ranges else None


def make_bands(groups: Iterable[AlignmentGroup], left: dict, right: dict) -> list[Band]:
    """Bands for every shown group; fans for merged/split, stubs for unmatched."""
    bands: list[Band] = []
    for g in groups:
        if g.relation == "hidden":
            continue
        kind = (
            "moved"
            if g.moved or g.relation == "moved"
            else {"equal": "equal", "merged": "merged", "split": "merged"}.get(
                g.relation, "changed"
            )
        )
        lu, ru = _union(g.left, left), _union(g.right, right)
        if lu is None and ru is not None:
            bands.append(Band((ru[0], ru[1]), ru, "stub_right", g.id))
        elif ru is None and lu is not None:
            bands.append(Band(lu, (lu[0], lu[1]), "stub_left", g.id))
        elif lu is not None and ru is not None:
            if len(g.left) > 1 and len(g.right) == 1:
                bands += [Band(left[i], ru, kind, g.id) for i in g.left if i in left]
            elif len(g.right) > 1 and len(g.left) == 1:
                bands += [Band(lu, right[i], kind, g.id) for i in g.right if i in right]
            else:
                bands.append(Band(lu, ru, kind, g.id))
    return bands


class Gutter(QWidget):
    """Paints the bands between the left and the right pane."""

    def __init__(self, left: Pane, right: Pane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedWidth(WIDTH)
        self._panes = (left, right)
        self.colours: Colours = LIGHT
        self.current_group: int | None = None
        self.noted_groups: set[int] = set()  # groups with a note: a ✎ badge on their band
        self._bands: list[Band] = []
        self._by_left: list[int] = []
        self._by_right: list[int] = []
        self._left_tops: list[float] = []
        self._right_tops: list[float] = []

    def set_bands(self, bands: list[Band]) -> None:
        """Replace the bands and index them by their top on each side."""
        self._bands = bands
        self._by_left = sorted(range(len(bands)), key=lambda i: bands[i].left[0])
        self._by_right = sorted(range(len(bands)), key=lambda i: bands[i].right[0])
        self._left_tops = [bands[i].left[0] for i in self._by_left]
        self._right_tops = [bands[i].right[0] for i in self._by_right]
        self.update()

    def visible_bands(self) -> list[Band]:
        """Bands whose left or right end is near the visible part of its pane."""
        chosen: set[int] = set()
        for pane, order, tops in (
            (self._panes[0], self._by_left, self._left_tops),
            (self._panes[1], self._by_right, self._right_tops),
        ):
            top, page = pane.scroll_value(), pane.page_height()
            # Blocks can be tall: look back one page for bands starting above the view.
            lo = bisect_left(tops, top - 3 * page)
            hi = bisect_right(tops, top + page)
            chosen.update(order[lo:hi])
        moved = (i for i, b in enumerate(self._bands) if b.kind == "moved")
        chosen.update(moved)
        return [self._bands[i] for i in sorted(chosen)]

    def _offsets(self) -> tuple[float, float]:
        out = []
        for pane in self._panes:
            origin = pane.view.viewport().mapTo(self.window(), QPoint(0, 0))
            mine = self.mapTo(self.window(), QPoint(0, 0))
            out.append(origin.y() - mine.y() - pane.scroll_value())
        return out[0], out[1]

    def paintEvent(self, event):  # noqa: N802 - Qt override
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.fillRect(self.rect(), self.palette().window())
            left_off, right_off = self._offsets()
            badges: dict[int, float] = {}
            for band in self.visible_bands():
                lt, lb = band.left[0] + left_off, band.left[1] + left_off
                rt, rb = band.right[0] + right_off, band.right[1] + right_off
                if max(lb, rb) < 0 or min(lt, rt) > self.height():
                    continue
                self._paint_band(painter, band, (lt, lb, rt, rb))
                if band.group in self.noted_groups:
                    badges.setdefault(band.group, (lt + lb + rt + rb) / 4)
            for y in badges.values():
                self._paint_badge(painter, y)
        finally:
            painter.end()

    def _paint_badge(self, painter: QPainter, y: float) -> None:
        """The note marker: a ✎ in a small yellow disc at the middle of the band."""
        rect = QRectF(self.width() / 2 - 9, y - 9, 18, 18)
        painter.setPen(QPen(QColor("#8a6d00"), 1))
        painter.setBrush(QColor("#ffd54a"))
        painter.drawEllipse(rect)
        painter.setPen(QColor("#3d3000"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "✎")

    def _colour(self, kind: str) -> QColor:
        c = self.colours
        name = {
            "equal": c.band,
            "changed": c.band_changed,
            "merged": c.band_merged,
            "moved": c.moved_band,
            "stub_left": c.delete_fg,
            "stub_right": c.insert_fg,
        }[kind]
        return QColor(name)

    def _paint_band(self, painter: QPainter, band: Band, ys: tuple[float, ...]) -> None:
        lt, lb, rt, rb = ys
        w = float(self.width())
        colour = self._colour(band.kind)
        current = band.group == self.current_group
        if band.kind.startswith("stub"):
            x = 0.0 if band.kind == "stub_left" else w - 5
            painter.fillRect(QRectF(x, lt, 5, max(lb - lt, 2)), colour)
            return
        path = QPainterPath(QPointF(-0.5, lt))
        path.cubicTo(QPointF(w / 2, lt), QPointF(w / 2, rt), QPointF(w + 0.5, rt))
        path.lineTo(QPointF(w + 0.5, rb))
        path.cubicTo(QPointF(w / 2, rb), QPointF(w / 2, lb), QPointF(-0.5, lb))
        path.closeSubpath()
        fill = QColor(colour)
        fill.setAlphaF(0.7 if current else 0.28)
        painter.fillPath(path, fill)
        pen = QPen(
            QColor(self.colours.current) if current else colour.darker(115), 2 if current else 1
        )
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
