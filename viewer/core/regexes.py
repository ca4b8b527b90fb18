"""The detector's regular expressions, compiled ahead of time for this interpreter.

Python compiles a regular expression in Python (re._parser, re._compiler): the detector's
seventy expressions, some of them alternations of a hundred phrases, took 10-20 ms of
every command-line run to compile, on the forked detection child's path. Their compiled
form, sre's code, is shipped in resources/extraneous/regexes.<cache tag>.marshal (written
by ``python -m viewer.core.regexes``; marshal, like a .pyc file, as it is read in a
fraction of a millisecond where JSON took 3) and handed to _sre as re._compiler hands it
over.

The table is used only where it was written by an interpreter of the same cache tag and
sre version, and only for the exact pattern text it holds; anything else goes through
re.compile, which gives the same pattern (_sre also checks the code it is given).
tests/core/test_regexes.py holds the table equal to what re compiles and complete for
the detector.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # (built in; re has imported it already)
import re
import sys
from functools import cache
from typing import Any

from viewer.resources import read_bytes, resource_path

FOLDER = "extraneous"


def table_name() -> str:
    """The table's file name for this interpreter (its bytecode cache tag)."""
    return f"regexes.{sys.implementation.cache_tag}.marshal"


@cache
def compile(pattern: str) -> re.Pattern[str]:  # noqa: A001 - re.compile's name, on purpose
    """``re.compile(pattern)``: from the shipped table where it holds the pattern."""
    if _recording is not None:
        _recording.add(pattern)
    entry = _table().get(pattern)
    if entry is not None:
        try:
            flags, code, groups, groupindex, indexgroup = entry
            compiled: re.Pattern[str] = _sre.compile(
                pattern, flags, code, groups, groupindex, tuple(indexgroup)
            )
            return compiled
        except (RuntimeError, TypeError, ValueError):  # (not what this _sre reads)
            pass
    return re.compile(pattern)


@cache
def _table() -> dict[str, list[Any]]:
    """The shipped table, or nothing where it is missing or written by another sre."""
    import marshal

    try:
        data = marshal.loads(read_bytes(FOLDER, table_name()))
        if data["magic"] != _magic():
            return {}
        patterns: dict[str, list[Any]] = data["patterns"]
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        return {}
    return patterns


def _magic() -> int:
    return int(_sre.MAGIC)


def written(pattern: str) -> list[Any]:
    """What re compiles ``pattern`` to, as the table holds it: flags, code, the number of
    groups, group names to numbers, and numbers to names (re._compiler.compile's steps)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, 0)
    code = [int(op) for op in _compiler._code(parsed, 0)]  # (opcodes are int subclasses)
    state = parsed.state
    indexgroup: list[str | None] = [None] * state.groups
    for name, index in state.groupdict.items():
        indexgroup[index] = name
    return [int(state.flags), code, state.groups - 1, dict(state.groupdict), indexgroup]


# The patterns asked for while recording (see detector_patterns), else None.
_recording: set[str] | None = None


def detector_patterns() -> list[str]:
    """Every expression the detector compiles: those of all phrase categories, and those
    its runs on the bundled seed pair and on a sample of every block shape ask for. Run
    it in a fresh interpreter: the detector's caches keep what they compiled before."""
    global _recording
    from viewer.core import extraneous_phrases
    from viewer.core.extraneous import annotate_pair
    from viewer.core.loading import article_from_text, load_article
    from viewer.resources import seed_pair

    compile.cache_clear()
    _recording = set()
    try:
        for category in extraneous_phrases.categories():
            for part in category.triggered:
                part.pattern  # noqa: B018 - compiled on first use
        extraneous_phrases.trigger_index()  # (with every anchored expression joined)
        left, right = seed_pair()
        annotate_pair(load_article(left), load_article(right))
        sample = "Share this: https://example.com 12.03.2024 10:45\n• Read more\n| Home |"
        annotate_pair(article_from_text(sample), article_from_text(sample))
        return sorted(_recording)
    finally:
        _recording = None
        compile.cache_clear()


def main() -> None:
    """Write the table for this interpreter beside the detector's other data."""
    import marshal

    from viewer.core.safe_write import write_bytes_atomic

    patterns = {p: written(p) for p in detector_patterns()}
    document = {"magic": _magic(), "patterns": patterns}
    write_bytes_atomic(resource_path(FOLDER, table_name()), marshal.dumps(document))


if __name__ == "__main__":
    from viewer.core import regexes  # (the module the detector imports, not this copy)

    regexes.main()
