"""Keeps the two panes level while either is scrolled (Meld's interpolation, see core.scrollmap).

The mapping is pure; this object only connects the scroll bars and drops the
re-entrant call each programmatic scroll would otherwise cause.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject

from viewer.core.scrollmap import Link, scroll_target
from viewer.ui.pane import Pane


class ScrollSync(QObject):
    def __init__(self, left: Pane, right: Pane, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._panes = {"left": left, "right": right}
        self._links: tuple[Link, ...] | None = None
        self._busy = False
        left.view.verticalScrollBar().valueChanged.connect(self._on_left_bar_value_changed)
        right.view.verticalScrollBar().valueChanged.connect(self._on_right_bar_value_changed)

    def set_links(self, links: tuple[Link, ...] | None) -> None:
        """Anchors to sync by; None turns syncing off (nothing measured yet)."""
        self._links = links

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Scroll both panes programmatically without one dragging the other."""
        busy, self._busy = self._busy, True
        try:
            yield
        finally:
            self._busy = busy

    def follow(self, side: str) -> None:
        """Scroll the other pane to match ``side``'s current position."""
        self._follow(side, self._panes[side].scroll_value())

    def _on_left_bar_value_changed(self, value: int) -> None:
        self._follow("left", value)

    def _on_right_bar_value_changed(self, value: int) -> None:
        self._follow("right", value)

    def _follow(self, side: str, value: int) -> None:
        left, right = self._panes["left"], self._panes["right"]
        if self._busy or self._links is None or left.reflowing or right.reflowing:
            return
        other = right if side == "left" else left
        target = scroll_target(
            self._links,
            side,
            float(value),
            (float(left.page_height()), float(right.page_height())),
            (left.doc_height(), right.doc_height()),
        )
        with self.paused():
            other.view.verticalScrollBar().setValue(round(target))
