"""Run one computation in a forked child process while this process does something else.

For single-threaded callers only (the command line): forking a process that runs other
threads, such as the window, can deadlock the child. Where fork is missing or fails,
or the child dies, the computation simply runs here when its result is asked for, so a
caller never gets a different answer, only a slower one.

``forked_given`` also sends the child one value made after the fork (the command line's
detection gets the block texts this process loads, while it imports the detector).
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn, TypeVar, cast

T = TypeVar("T")
V = TypeVar("V")

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
    with forked_given(lambda _receive: fn(), given=False) as (_send, result):
        yield result


@contextmanager
def forked_given(
    fn: Callable[[Callable[[], V]], T], *, given: bool = True
) -> Iterator[tuple[Callable[[V], None], Callable[[], T]]]:
    """Start ``fn(receive)`` in a child; yields ``send(value)`` and ``result()``.

    In the child, ``receive()`` waits for the value this process sends (once, before
    asking for the result): what the child can do before it, it does while this process
    makes the value. The value travels as the result does. Where no child runs (or it
    failed), ``result()`` calls ``fn`` here, and ``receive()`` gives it the value sent.
    ``given=False``: nothing is sent (``forked``).
    """
    _reap_ended()
    sent: list[V] = []

    def keep(value: V) -> None:
        if sent or not given:
            raise RuntimeError("the child takes one value, given before its result")
        sent.append(value)

    def here() -> T:
        if given and not sent:
            raise RuntimeError("send() the child's value before asking for its result")
        return fn(lambda: sent[0])

    child = _start(fn, given)
    if child is None:
        yield keep, here
        return
    pid, fd, inbox = child
    done = False

    def send(value: V) -> None:
        keep(value)
        assert inbox is not None  # (given)
        data = _dumps(value)
        try:
            _widen(inbox, len(data))
            with os.fdopen(inbox, "wb") as pipe:
                pipe.write(data)
        except OSError:  # the child is gone: its result will be computed here
            pass

    def result() -> T:
        nonlocal done
        if given and not sent:
            return here()  # (which refuses)
        with os.fdopen(fd, "rb") as pipe:
            data = pipe.read()  # all of it: the child has closed its end
        done = True
        _reap(pid)
        ok, value = cast(tuple[bool, object], _loads(data)) if data else (False, None)
        if not ok:  # the child failed: compute here, where the real error is raised
            return here()
        return cast(T, value)

    try:
        yield send, result
    finally:
        if not done:
            import signal  # (only here: it is slow to import)

            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(fd)
            if inbox is not None and not sent:
                os.close(inbox)


def _widen(fd: int, size: int) -> None:
    """Let pipe ``fd`` hold up to ``size`` bytes (within the system's limit, 1 MiB by
    default), where it can be told: a large value then crosses in a few writes instead
    of one per 64 KiB the reader takes (the block texts of a 1 MB pair: 1.4 MB)."""
    if size <= 1 << 16:
        return
    try:
        import fcntl
    except ImportError:  # (not on this system)
        return
    limit = getattr(fcntl, "F_SETPIPE_SZ", None)
    if limit is None:
        return
    for room in (size, 1 << 20):
        try:
            fcntl.fcntl(fd, limit, room)
            return
        except OSError:  # over the limit of an unprivileged user: try the usual one
            continue


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


def _start(fn: Callable[[Callable[[], V]], T], given: bool) -> tuple[int, int, int | None] | None:
    """Fork a child that writes ``(ok, fn(receive))`` to a pipe: its pid, the pipe's read
    end, and the write end of the pipe ``receive`` reads (``given``); None where that is
    impossible."""
    if not hasattr(os, "fork"):
        return None
    read_fd, write_fd = os.pipe()
    inbox = os.pipe() if given else None
    try:
        pid = os.fork()
    except OSError:
        for end in (read_fd, write_fd, *(inbox or ())):
            os.close(end)
        return None
    if pid:
        os.close(write_fd)
        if inbox is None:
            return pid, read_fd, None
        os.close(inbox[0])
        return pid, read_fd, inbox[1]
    if inbox is not None:
        os.close(inbox[1])
    _child(fn, read_fd, write_fd, None if inbox is None else inbox[0])


def _child(
    fn: Callable[[Callable[[], V]], T], read_fd: int, write_fd: int, inbox: int | None
) -> NoReturn:
    """Compute, send, and leave at once: no atexit handlers, no flushing the parent's buffers."""
    status = 0

    def receive() -> V:
        if inbox is None:
            raise RuntimeError("this child is given nothing")
        with os.fdopen(inbox, "rb") as pipe:
            data = pipe.read()  # all of it: the parent has closed its end
        if not data:  # the parent sent nothing and left
            raise EOFError("the parent sent no value")
        return cast(V, _loads(data))

    try:
        os.close(read_fd)
        try:
            data = _dumps((True, fn(receive)))
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


def _loads(data: bytes) -> object:
    """What _dumps wrote, read back."""
    if data[:1] == b"m":
        loaded = marshal.loads(memoryview(data)[1:])
    else:
        import pickle

        loaded = pickle.loads(memoryview(data)[1:])
    return loaded
