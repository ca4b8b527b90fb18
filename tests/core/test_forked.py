"""The forked child used by the command line: same answers as running here, never stuck."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from viewer.core.compare import compare_files
from viewer.core.forked import forked
from viewer.core.jsonout import comparison_json
from viewer.core.model import CompareOptions


def test_result_comes_from_a_child_process() -> None:
    parent = os.getpid()
    with forked(lambda: (os.getpid(), [1, "two", None])) as result:
        pid, value = result()
    assert pid != parent
    assert value == [1, "two", None]


def test_a_failing_child_is_recomputed_here() -> None:
    parent = os.getpid()

    def only_here() -> str:
        if os.getpid() != parent:
            raise RuntimeError("child trouble")
        return "computed here"

    with forked(only_here) as result:
        assert result() == "computed here"


def test_the_real_error_reaches_the_caller() -> None:
    def broken() -> int:
        raise ValueError("bad input")

    with forked(broken) as result, pytest.raises(ValueError, match="bad input"):
        result()


def test_without_fork_it_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fork")
    with forked(os.getpid) as result:
        assert result() == os.getpid()


def test_leaving_early_stops_the_child() -> None:
    started = time.monotonic()
    with pytest.raises(KeyError), forked(lambda: time.sleep(60)):
        raise KeyError("the caller failed first")
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    "options", [CompareOptions(), CompareOptions(ignore_case=True, hide_extraneous=True)]
)
def test_parallel_compare_equals_sequential(
    seed_paths: tuple[Path, Path], options: CompareOptions
) -> None:
    one = compare_files(*seed_paths, options)
    two = compare_files(*seed_paths, options, parallel=True)
    assert comparison_json(two) == comparison_json(one)
    assert any(b.extraneous for b in two.right.blocks)
