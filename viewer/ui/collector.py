"""Keeps Python's cycle collector quiet while a big comparison is laid out."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

LIMIT_MS = 15_000  # whatever happens, collection resumes after this long


class CollectorPause(QObject):
    """Holds automatic cycle collection off from a comparison's arrival to its first paint.

    Building the panes of a 1 MB pair makes hundreds of thousands of objects; a full
    collection over them took 20-50 ms at a time, the longest stalls of the event loop
    (measured with gc.callbacks). Nothing built there is cyclic garbage, so collection
    waits; at the end everything alive is frozen out of later passes (reference counting
    still frees it). A timer resumes collection even if the build never finishes.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._paused = False
        self._limit = QTimer(self)
        self._limit.setSingleShot(True)
        self._limit.setInterval(LIMIT_MS)
        self._limit.timeout.connect(self.resume)

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        if not self._paused and gc.isenabled():
            gc.disable()
            self._paused = True
        self._limit.start()

    def resume(self) -> None:
        self._limit.stop()
        if self._paused:
            self._paused = False
            gc.freeze()
            gc.enable()
