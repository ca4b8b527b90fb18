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

    # A worker thread must not fork: detection runs in a fresh interpreter meanwhile.
    return compare_files(left, right, options, detect_in="process")


class _Task(QRunnable):
    def __init__(
        self, fn: Callable[[], object], done: Signal, failed: Signal, generation: int
    ) -> None:
        super().__init__()
        self._fn = fn
        self._done, self._failed, self._generation = done, failed, generation

    def run(self) -> None:
        try:
            result = self._fn()
        except ArticleDiffError as exc:
            self._report(self._failed, str(exc))
        except Exception as exc:  # noqa: BLE001 - the window must never die on a bad file
            self._report(self._failed, f"Unexpected error: {exc!r}")
        else:
            self._report(self._done, result)

    def _report(self, signal: Signal, value: object) -> None:
        # The window (and the worker, its child) may have been closed and deleted while
        # this ran: then there is nobody to tell, and that is fine.
        try:
            signal.emit(self._generation, value)
        except RuntimeError:
            pass


class CompareWorker(QObject):
    """Starts comparisons and reports the latest one's result or error."""

    comparison_ready = Signal(object)  # a Comparison, or what a start_task function returned
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

    @property
    def compare_fn(self) -> CompareFn:
        return self._compare

    def start(self, left: str, right: str, options: CompareOptions) -> int:
        """Compare in the background; returns the request's generation."""
        compare = self._compare
        return self.start_task(lambda: compare(left, right, options))

    def start_task(self, fn: Callable[[], object]) -> int:
        """Run ``fn`` (which calls core, never Qt) in the background; its result or
        error is reported like a comparison's, and only if it is still the latest."""
        self._generation += 1
        task = _Task(fn, self._finished, self._errored, self._generation)
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


class BackgroundJob(QObject):
    """Runs one core function off the GUI thread (writing a report) and reports once.

    Unlike CompareWorker it has no generations: every job reports its own result, and a
    comparison running meanwhile is not affected. Results arrive on this object's thread.
    """

    succeeded = Signal(object)
    failed = Signal(str)
    _finished = Signal(int, object)
    _errored = Signal(int, str)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._finished.connect(self._on_finished)  # bound methods: queued to this thread
        self._errored.connect(self._on_errored)

    def start(self, fn: Callable[[], object]) -> None:
        self._pool.start(_Task(fn, self._finished, self._errored, 0))

    def _on_finished(self, _generation: int, result: object) -> None:
        self.succeeded.emit(result)

    def _on_errored(self, _generation: int, message: str) -> None:
        self.failed.emit(message)
