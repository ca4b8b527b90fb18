"""Run one computation in a forked child process while this process does something else.

For single-threaded callers only (the command line): forking a process that runs other
threads, such as the window, can deadlock the child. Where fork is missing or fails,
or the child dies, the computation simply runs here when its result is asked for, so a
caller never gets a different answer, only a slower one.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn, TypeVar, cast

T = TypeVar("T")

# Children that sent their result and were still ending when it came: reaped later.
# Waiting would cost the caller the few milliseconds the system takes to tear down the
# child's copy of this process's memory (4-6 ms after a 1 MB pair).
_ending: list[int] = []


@contextmanager
def forked(fn: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """Start ``fn`` in a child; yields a function that returns its result.

    The result travels back through a pipe, so keep it small: marshalled where it is made
    of plain values (str, numbers, tuples...; marshal is built in), pickled otherwise
    (pickle is imported then: 3 ms). Leaving the block without asking for the result (an
    error here) stops the child.
    """
    _reap_ended()
    child = _start(fn)
    if child is None:
        yield fn
        return
    pid, fd = child
    done = False

    def result() -> T:
        nonlocal done
        with os.fdopen(fd, "rb") as pipe:
            data = pipe.read()  # all of it: the child has closed its end
        done = True
        _reap(pid)
        ok, value = _loads(data) if data else (False, None)
        if not ok:  # the child failed: compute here, where the real error is raised
            return fn()
        return cast(T, value)

    try:
        yield result
    finally:
        if not done:
            import signal  # (only here: it is slow to import)

            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(fd)


def _reap(pid: int) -> None:
    """Collect the ended child ``pid``, or leave it to _reap_ended if it is still ending."""
    try:
        ended, _status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # collected already
        return
    if not ended:
        _ending.append(pid)


def _reap_ended() -> None:
    """Collect the children left ending by earlier calls that have ended since."""
    for pid in list(_ending):
        try:
            ended, _status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            ended = pid
        if ended:
            _ending.remove(pid)


def _start(fn: Callable[[], T]) -> tuple[int, int] | None:
    """Fork a child that writes ``(ok, fn())`` to a pipe; None where that is impossible."""
    if not hasattr(os, "fork"):
        return None
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid:
        os.close(write_fd)
        return pid, read_fd
    _child(fn, read_fd, write_fd)


def _child(fn: Callable[[], T], read_fd: int, write_fd: int) -> NoReturn:
    """Compute, send, and leave at once: no atexit handlers, no flushing the parent's buffers."""
    status = 0
    try:
        os.close(read_fd)
        try:
            data = _dumps((True, fn()))
        except BaseException:  # noqa: BLE001 - any failure: the parent recomputes and reports it
            data = _dumps((False, None))
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(data)
    except BaseException:  # noqa: BLE001 - never unwind into the parent's code in the child
        status = 1
    finally:
        os._exit(status)


def _dumps(value: object) -> bytes:
    """The value as bytes: b"m" and marshal's where marshal takes it, else b"p" and pickle's."""
    try:
        return b"m" + marshal.dumps(value)  # type: ignore[arg-type]  # (it says ValueError)
    except ValueError:  # an object marshal does not write (an instance of a class)
        import pickle

        return b"p" + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _loads(data: bytes) -> tuple[bool, object]:
    """What _dumps wrote, read back."""
    if data[:1] == b"m":
        loaded = marshal.loads(memoryview(data)[1:])
    else:
        import pickle

        loaded = pickle.loads(memoryview(data)[1:])
    return cast(tuple[bool, object], loaded)
