"""Extraneous detection on the second core, in another process.

For the command line, a forked child (``texts_verdicts``): it imports the detector while
the parent loads the files, then detects on the block texts the parent sends it.

For the window, a fresh Python process: its comparisons run on a worker thread, where
forking is unsafe. The new interpreter loads the two files itself and sends back only its
verdicts, so the detector uses the second core while the worker aligns and diffs.
Anything unexpected (no interpreter, a crash, a file changed in between) makes the caller
detect in its own process: never a different answer, at worst a slower one.

    python -m viewer.core.detect_job LEFT RIGHT   ->  one JSON line of verdicts
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from viewer.core.model import Article, Extraneous

# subprocess and notes (with hashlib, uuid, difflib...) are imported where the window's
# path needs them: the command line only calls texts_verdicts, and starts fast.

Verdicts = tuple[Extraneous | None, ...]
VerdictsFor = Callable[[Article, Article], tuple[Verdicts, Verdicts]]
WAIT_SECONDS = 300.0  # then the child is presumed stuck and detection runs here


def pair_verdicts(left: Article, right: Article) -> tuple[Verdicts, Verdicts]:
    """What detection finds on a pair, small enough to send between processes."""
    from viewer.core.extraneous import pair_verdict_lists

    lv, rv = pair_verdict_lists(left, right)
    return tuple(lv), tuple(rv)


VerdictRow = tuple[str, str, float] | None  # an Extraneous as a tuple of its fields
Rows = tuple[tuple[VerdictRow, ...], tuple[VerdictRow, ...]]  # of both versions


def as_rows(verdicts: Sequence[Extraneous | None]) -> tuple[VerdictRow, ...]:
    """Verdicts as plain tuples: what forked() sends with marshal, built in (unlike pickle)."""
    return tuple(None if v is None else (v.category, v.reason, v.score) for v in verdicts)


def from_rows(rows: Sequence[VerdictRow]) -> Verdicts:
    """The verdicts as_rows gave the rows of."""
    return tuple(None if row is None else Extraneous(*row) for row in rows)


def block_texts(left: Article, right: Article) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What texts_verdicts receives: the block texts of both versions.

    A text found in both (most of a pair's) is the same object on both sides, so that
    marshal writes it once and refers to it after: a third less to write and read.
    """
    seen: dict[str, str] = {}
    first = tuple(seen.setdefault(b.text, b.text) for b in left.blocks)
    return first, tuple(seen.setdefault(b.text, b.text) for b in right.blocks)


def texts_verdicts(receive: Callable[[], tuple[Sequence[str], Sequence[str]]]) -> Rows:
    """Detection for a forked child (forked_given): imports the detector, then waits for
    the block texts of both versions, which the parent loads meanwhile (block_texts), and
    returns the verdicts of each block as rows.

    The verdicts are thus made on the very texts the parent compares, and the files are
    read once.
    """
    from viewer.core.extraneous import texts_verdict_lists

    lv, rv = texts_verdict_lists(*receive())
    return as_rows(lv), as_rows(rv)


@contextmanager
def detection_process(
    left_path: str | os.PathLike[str], right_path: str | os.PathLike[str]
) -> Iterator[VerdictsFor]:
    """Start detection of the two files in a child; yields ``verdicts_for(left, right)``.

    Start it before loading the files here, so the child's start-up overlaps the load.
    Leaving the block without asking (an error here) stops the child.
    """
    import subprocess

    cmd = [sys.executable, "-m", "viewer.core.detect_job", os.fspath(left_path)]
    cmd.append(os.fspath(right_path))
    try:
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except (OSError, ValueError):
        yield pair_verdicts
        return

    def verdicts_for(left: Article, right: Article) -> tuple[Verdicts, Verdicts]:
        try:
            out, _ = proc.communicate(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            out = b""
        found = _parse(out, left, right) if proc.returncode == 0 else None
        return found if found is not None else pair_verdicts(left, right)

    try:
        yield verdicts_for
    finally:
        if proc.returncode is None:
            proc.kill()
            proc.communicate()


def _parse(out: bytes, left: Article, right: Article) -> tuple[Verdicts, Verdicts] | None:
    """The child's verdicts, if they were made on exactly these texts."""
    import orjson

    from viewer.core.notes import text_hash

    try:
        doc = orjson.loads(out)
        sides = []
        for name, article in (("left", left), ("right", right)):
            side = doc[name]
            made_on = side["digest"]  # verdicts count only for the text they were made on
            if made_on != text_hash(article.text) or len(side["verdicts"]) != len(article.blocks):
                return None
            sides.append(tuple(v if v is None else Extraneous(*v) for v in side["verdicts"]))
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None
    return sides[0], sides[1]


def main(argv: Sequence[str] | None = None) -> int:
    """Child side: load, detect, print one line; any failure is a non-zero status."""
    import orjson

    from viewer.core.loading import load_article
    from viewer.core.notes import text_hash

    paths = list(sys.argv[1:] if argv is None else argv)
    if len(paths) != 2:
        return 2
    try:
        left, right = load_article(paths[0]), load_article(paths[1])
        lv, rv = pair_verdicts(left, right)
    except Exception:  # noqa: BLE001 - the parent detects itself and reports the real error
        return 1

    def side(article: Article, verdicts: Verdicts) -> dict[str, object]:
        rows = [None if v is None else [v.category, v.reason, v.score] for v in verdicts]
        return {"digest": text_hash(article.text), "verdicts": rows}

    doc = {"left": side(left, lv), "right": side(right, rv)}
    sys.stdout.buffer.write(orjson.dumps(doc))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    from viewer.core import oneshot

    # The window waits for this process to end: no collection, no teardown of its heap.
    oneshot.begin()
    oneshot.leave(main(), 1)
