"""Detection on the second core (forked child, fresh interpreter): same answers, never stuck."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from viewer.core import compare as compare_module
from viewer.core import detect_job
from viewer.core.compare import compare_files
from viewer.core.forked import forked
from viewer.core.jsonout import comparison_json
from viewer.core.loading import article_from_text, load_article
from viewer.core.model import CompareOptions


def test_result_comes_from_a_child_process() -> None:
    parent = os.getpid()
    with forked(lambda: (os.getpid(), [1, "two", None])) as result:
        pid, value = result()
    assert pid != parent
    assert value == [1, "two", None]


def test_plain_values_travel_marshalled_and_objects_pickled() -> None:
    # marshal is built in: a child sending plain values costs the parent no pickle import
    from viewer.core import forked as forked_module
    from viewer.core.model import Extraneous

    plain = (True, ("a", 1, 2.5, None, [b"x"], {"k": (1,)}))
    assert forked_module._dumps(plain)[:1] == b"m"
    assert forked_module._loads(forked_module._dumps(plain)) == plain
    verdict = Extraneous("promo", "a reason", 0.9)
    assert forked_module._dumps((True, verdict))[:1] == b"p"
    assert forked_module._loads(forked_module._dumps((True, verdict))) == (True, verdict)
    with forked(lambda: (verdict, None)) as result:
        assert result() == (verdict, None)


def test_verdicts_travel_as_rows() -> None:
    from viewer.core.model import Extraneous

    verdicts = (None, Extraneous("promo", "why", 0.75), None)
    rows = detect_job.as_rows(verdicts)
    assert rows == (None, ("promo", "why", 0.75), None)
    assert detect_job.from_rows(rows) == verdicts


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
    seed_paths: tuple[Path, Path], options: CompareOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compare_module, "PARALLEL_MIN_BYTES", 0)  # the seeds are small
    one = compare_files(*seed_paths, options)
    two = compare_files(*seed_paths, options, detect_in="fork")
    assert comparison_json(two) == comparison_json(one)
    assert any(b.extraneous for b in two.right.blocks)


# ---------------------------------------------------------------- fresh-interpreter detection


def test_process_detection_equals_detection_here(
    seed_paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compare_module, "PARALLEL_MIN_BYTES", 0)  # the seeds are small
    one = compare_files(*seed_paths)
    two = compare_files(*seed_paths, detect_in="process")
    assert comparison_json(two) == comparison_json(one)


def test_verdicts_come_from_the_child(
    seed_paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    left, right = (load_article(p) for p in seed_paths)
    expected = detect_job.pair_verdicts(left, right)

    def not_here(*_args: object) -> object:
        raise AssertionError("detection ran in this process")

    with detect_job.detection_process(*seed_paths) as verdicts_for:
        monkeypatch.setattr(detect_job, "pair_verdicts", not_here)
        assert verdicts_for(left, right) == expected
    assert sum(v is not None for side in expected for v in side) >= 19


@pytest.mark.parametrize("interpreter", ["/nonexistent/python", "/bin/false"])
def test_no_child_means_detection_here(
    seed_paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, interpreter: str
) -> None:
    left, right = (load_article(p) for p in seed_paths)
    expected = detect_job.pair_verdicts(left, right)
    monkeypatch.setattr(sys, "executable", interpreter)
    with detect_job.detection_process(*seed_paths) as verdicts_for:
        assert verdicts_for(left, right) == expected


def test_verdicts_for_another_text_are_refused(seed_paths: tuple[Path, Path]) -> None:
    left, right = (load_article(p) for p in seed_paths)
    changed = article_from_text(left.text + "\nOne more paragraph.", left.path)
    with detect_job.detection_process(*seed_paths) as verdicts_for:
        lv, _rv = verdicts_for(changed, right)  # the child loaded the old file: recomputed
    assert len(lv) == len(changed.blocks)
    assert detect_job._parse(b'{"left": 1}', left, right) is None
    assert detect_job._parse(b"not json", left, right) is None


def test_leaving_early_stops_the_detection_process(seed_paths: tuple[Path, Path]) -> None:
    with pytest.raises(KeyError), detect_job.detection_process(*seed_paths):
        raise KeyError("the caller failed first")


def test_child_entry_point_statuses(seed_paths: tuple[Path, Path], tmp_path: Path) -> None:
    assert detect_job.main([str(seed_paths[0])]) == 2
    assert detect_job.main([str(seed_paths[0]), str(tmp_path / "missing.txt")]) == 1


@pytest.mark.parametrize("how", ["fork", "process"])
def test_small_files_are_detected_here(
    seed_paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    def no_second_process(*_args: object) -> object:
        raise AssertionError("a second process for a small pair")

    monkeypatch.setattr(detect_job, "detection_process", no_second_process)
    monkeypatch.setattr(os, "fork", no_second_process)
    c = compare_files(*seed_paths, detect_in=how)  # type: ignore[arg-type]
    assert comparison_json(c) == comparison_json(compare_files(*seed_paths))


def test_ended_children_are_collected_without_waiting_for_their_end() -> None:
    from viewer.core import forked as forked_module

    pids = []
    for _ in range(3):
        with forked(os.getpid) as result:
            pids.append(result())
    deadline = time.monotonic() + 10
    while forked_module._ending and time.monotonic() < deadline:
        time.sleep(0.01)
        forked_module._reap_ended()
    assert not forked_module._ending
    for pid in pids:  # no zombie left: each was collected (by _reap or _reap_ended)
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_a_given_child_gets_the_value_sent_after_the_fork() -> None:
    from viewer.core.forked import forked_given

    parent = os.getpid()

    def child(receive: object) -> tuple[int, object]:
        return os.getpid(), receive()  # type: ignore[operator]

    with forked_given(child) as (send, result):
        send(("texts", ["made", "after the fork"]))
        pid, value = result()
    assert pid != parent and value == ("texts", ["made", "after the fork"])
    big = ("x" * 3_000_000, "é" * 1_000_000)  # more than any pipe holds at once
    with forked_given(child) as (send, result):
        send(big)
        assert result()[1] == big
    with forked_given(child) as (send, result):
        send((1, 2))
        with pytest.raises(RuntimeError):
            send((3, 4))  # one value
        assert result()[1] == (1, 2)


def test_a_given_child_that_fails_is_recomputed_here_with_the_value() -> None:
    from viewer.core.forked import forked_given

    parent = os.getpid()

    def only_here(receive: object) -> object:
        value = receive()  # type: ignore[operator]
        if os.getpid() != parent:
            raise RuntimeError("child trouble")
        return ("here", value)

    with forked_given(only_here) as (send, result):
        send("v")
        assert result() == ("here", "v")


def test_a_given_child_is_stopped_when_nothing_is_sent() -> None:
    from viewer.core.forked import forked_given

    started = time.monotonic()
    with pytest.raises(KeyError), forked_given(lambda receive: receive()) as (_send, result):
        raise KeyError("loading failed before anything was sent")
    assert time.monotonic() - started < 10
    with forked_given(lambda receive: receive()) as (_send, result), pytest.raises(RuntimeError):
        result()  # asked before sending: an error, not a wait for ever


def test_a_given_child_without_fork_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    from viewer.core.forked import forked_given

    monkeypatch.delattr(os, "fork")
    with forked_given(lambda receive: (os.getpid(), receive())) as (send, result):
        send("x")
        with pytest.raises(RuntimeError):
            send("y")  # one value, with or without a child
        assert result() == (os.getpid(), "x")


def test_the_child_detects_on_the_texts_it_is_sent(seed_paths: tuple[Path, Path]) -> None:
    # The forked detection reads no file: its verdicts are for the texts loaded here, even
    # when a file changes in between.
    from viewer.core.forked import forked_given

    left, right = load_article(seed_paths[0]), load_article(seed_paths[1])
    edited = article_from_text(left.text + "\nA paragraph added since.", left.path)
    texts = detect_job.block_texts(left, left)
    assert all(a is b for a, b in zip(*texts, strict=True))  # one object a shared text
    for pair in ((left, right), (edited, right)):
        with forked_given(detect_job.texts_verdicts) as (send, detected):
            send(detect_job.block_texts(*pair))
            rows = detected()
        assert tuple(map(detect_job.from_rows, rows)) == detect_job.pair_verdicts(*pair)
