"""Comparisons run on a QThreadPool; results come back to the GUI thread by signal.

Each request carries a generation number; the window drops any result whose
generation is not the latest, so a slow old comparison never replaces a new one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from viewer.core.errors import ArticleDiffError
from viewer.core.model import CompareOptions, Comparison

CompareFn = Callable[[str, str, CompareOptions], Comparison]


def default_compare(left: str, right: str, options: CompareOptions) -> Comparison:
    from viewer.core.compare import compare_files

    return compare_files(left, right, options)


class _Task(QRunnable):
    def __init__(
        self,
        fn: CompareFn,
        args: tuple[str, str, CompareOptions],
        done: Signal,
        failed: Signal,
        generation: int,
    ) -> None:
        super().__init__()
        self._fn, self._args = fn, args
        self._done, self._failed, self._generation = done, failed, generation

    def run(self) -> None:
        try:
            result = self._fn(*self._args)
        except ArticleDiffError as exc:
            self._failed.emit(self._generation, str(exc))
        except Exception as exc:  # noqa: BLE001 - the window must never die on a bad file
            self._failed.emit(self._generation, f"Unexpected error: {exc!r}")
        else:
            self._done.emit(self._generation, result)


class CompareWorker(QObject):
    """Starts comparisons and reports the latest one's result or error."""

    comparison_ready = Signal(object)  # Comparison
    comparison_failed = Signal(str)
    busy_changed = Signal(bool)
    _finished = Signal(int, object)
    _errored = Signal(int, str)

    def __init__(
        self,
        compare_fn: CompareFn = default_compare,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._compare = compare_fn
        self._pool = pool or QThreadPool.globalInstance()
        self._generation = 0
        self._finished.connect(self._on_task_finished)
        self._errored.connect(self._on_task_errored)

    @property
    def generation(self) -> int:
        return self._generation

    def start(self, left: str, right: str, options: CompareOptions) -> int:
        """Compare in the background; returns the request's generation."""
        self._generation += 1
        task = _Task(
            self._compare, (left, right, options), self._finished, self._errored, self._generation
        )
        self.busy_changed.emit(True)
        self._pool.start(task)
        return self._generation

    def cancel(self) -> None:
        """Forget any running request: its result will be dropped."""
        self._generation += 1
        self.busy_changed.emit(False)

    def _on_task_finished(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return
        self.busy_changed.emit(False)
        self.comparison_ready.emit(result)

    def _on_task_errored(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.busy_changed.emit(False)
        self.comparison_failed.emit(message)
