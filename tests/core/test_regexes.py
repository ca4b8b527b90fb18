"""The detector's expressions compiled ahead (viewer/core/regexes.py): the shipped table is
what re compiles, complete for the detector, and anything it cannot serve goes to re."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest

from viewer.core import regexes
from viewer.resources import seed_pair

table = regexes._table()
needs_table = pytest.mark.skipif(
    not table, reason=f"no table for this interpreter ({regexes.table_name()})"
)


@needs_table
def test_the_table_is_current_and_complete() -> None:
    # If this fails, the phrase file or an expression changed: refresh the table with
    # `python -m viewer.core.regexes` (README, "The detector's data").
    # (in a fresh interpreter: the detector's caches keep what they compiled)
    code = "from viewer.core.regexes import detector_patterns; print(repr(detector_patterns()))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    patterns = ast.literal_eval(proc.stdout.strip())
    assert sorted(table) == patterns
    for pattern in patterns:
        assert table[pattern] == regexes.written(pattern), pattern


@needs_table
def test_patterns_from_the_table_match_as_re_compiles_them() -> None:
    texts = [p.read_text(encoding="utf-8").lower() for p in seed_pair()]
    texts.append("share this article | home › news • read more: 12.03.2024 https://x.org/a")
    regexes.compile.cache_clear()
    for pattern in table:
        ahead, fresh = regexes.compile(pattern), re.compile(pattern)
        assert ahead is not fresh  # (made from the table, not by re)
        assert (ahead.pattern, ahead.flags, ahead.groups, ahead.groupindex) == (
            fresh.pattern,
            fresh.flags,
            fresh.groups,
            fresh.groupindex,
        )
        for text in texts:
            found = [m.span() for m in ahead.finditer(text)]
            assert found == [m.span() for m in fresh.finditer(text)], pattern


def test_what_the_table_cannot_serve_goes_to_re(monkeypatch: pytest.MonkeyPatch) -> None:
    regexes.compile.cache_clear()
    monkeypatch.setattr(regexes, "_table", lambda: {"a+b": [32, [1, 2, 3], 0, {}, []]})
    try:
        broken = regexes.compile("a+b")  # code _sre refuses: compiled by re instead
        assert broken.findall("aab ab b") == ["aab", "ab"]
        assert regexes.compile("(?P<x>c)d").groupindex == {"x": 1}  # not in the table
    finally:
        regexes.compile.cache_clear()


def test_a_table_of_another_sre_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import marshal

    regexes._table.cache_clear()
    other = marshal.dumps({"magic": 1, "patterns": {"a": regexes.written("a")}})
    monkeypatch.setattr(regexes, "read_bytes", lambda *parts: other)
    try:
        assert regexes._table() == {}
        monkeypatch.setattr(regexes, "read_bytes", lambda *parts: b"not marshal")
        regexes._table.cache_clear()
        assert regexes._table() == {}
    finally:
        regexes._table.cache_clear()


@needs_table
def test_detection_leaves_re_nothing_to_compile() -> None:
    # In a fresh interpreter (nothing compiled yet): what re.compile is asked for while
    # the seed pair is annotated, none of it in the table.
    code = (
        "import re, sys\n"
        "asked = []\n"
        "compile_in_re = re.compile\n"
        "re.compile = lambda p, f=0: asked.append(p) or compile_in_re(p, f)\n"
        "from viewer.core.extraneous import annotate_pair\n"
        "from viewer.core.loading import load_article\n"
        "from viewer.resources import seed_pair\n"
        "annotate_pair(*(load_article(p) for p in seed_pair()))\n"
        "print(repr(asked))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    asked = ast.literal_eval(proc.stdout.strip())
    assert not set(asked) & set(table)
