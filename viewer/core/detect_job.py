"""Extraneous detection of a pair of files in a fresh Python process.

For the window: its comparisons run on a worker thread, where forking is unsafe. A new
interpreter loads the two files itself and sends back only its verdicts, so the detector
uses the second core while the worker aligns and diffs. Anything unexpected (no
interpreter, a crash, a file changed in between) makes the caller detect in its own
process: never a different answer, at worst a slower one.

    python -m viewer.core.detect_job LEFT RIGHT   ->  one JSON line of verdicts
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from viewer.core.model import Article, Extraneous

# subprocess and notes (with hashlib, uuid, difflib...) are imported where the window's
# path needs them: the command line only calls pair_verdicts, and starts fast.

Verdicts = tuple[Extraneous | None, ...]
VerdictsFor = Callable[[Article, Article], tuple[Verdicts, Verdicts]]
WAIT_SECONDS = 300.0  # then the child is presumed stuck and detection runs here


def pair_verdicts(left: Article, right: Article) -> tuple[Verdicts, Verdicts]:
    """What detection finds on a pair, small enough to send between processes."""
    from viewer.core.extraneous import pair_verdict_lists

    lv, rv = pair_verdict_lists(left, right)
    return tuple(lv), tuple(rv)


VerdictRow = tuple[str, str, float] | None  # an Extraneous as a tuple of its fields
Shape = tuple[int, tuple[int, ...]]  # an article's text length and the end of each block
FileVerdicts = tuple[tuple[Shape, tuple[VerdictRow, ...]], ...]  # for each side


def as_rows(verdicts: Verdicts) -> tuple[VerdictRow, ...]:
    """Verdicts as plain tuples: what forked() sends with marshal, built in (unlike pickle)."""
    return tuple(None if v is None else (v.category, v.reason, v.score) for v in verdicts)


def from_rows(rows: Sequence[VerdictRow]) -> Verdicts:
    """The verdicts as_rows gave the rows of."""
    return tuple(None if row is None else Extraneous(*row) for row in rows)


def _shape(article: Article) -> Shape:
    return len(article.text), tuple(b.end for b in article.blocks)


def file_verdicts(
    left_path: str | os.PathLike[str], right_path: str | os.PathLike[str]
) -> FileVerdicts:
    """Load and detect two files: for a forked child, which sends back plain values.

    The child reads the files itself rather than taking articles loaded before the fork:
    every page of those would be shared copy-on-write, and touching an object's reference
    count in either process copies its page (some 2,000 faults a side for a 1 MB pair).
    """
    from viewer.core.loading import load_article

    left, right = load_article(left_path), load_article(right_path)
    found = zip((left, right), pair_verdicts(left, right), strict=True)
    return tuple((_shape(article), as_rows(verdicts)) for article, verdicts in found)


def verdicts_found(found: FileVerdicts, left: Article, right: Article) -> tuple[Verdicts, Verdicts]:
    """The verdicts file_verdicts found, where it read the same texts as this process (a
    file that changed in between: detection runs again here)."""
    if [shape for shape, _rows in found] != [_shape(left), _shape(right)]:
        return pair_verdicts(left, right)
    return from_rows(found[0][1]), from_rows(found[1][1])


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
