"""The window under bad conditions (issue 6): races with the worker, files vanishing,
unwritable outputs, bad session files, two windows on one session, bad inputs."""

import json
import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from tests.ui.fakes import fake_compare, sample
from tests.ui.test_notes import new_window, save_to, with_note
from viewer.core.errors import OutputError
from viewer.core.notes import change_key
from viewer.ui.main_window import MainWindow
from viewer.ui.worker import default_compare


class Gate:
    """A compare function that blocks on paths containing "slow" until released."""

    def __init__(self):
        self.release = threading.Event()
        self.entered = threading.Event()

    def __call__(self, left, right, options):
        if "slow" in left:
            self.entered.set()
            assert self.release.wait(10)
        return fake_compare(left, right, options)


@pytest.fixture
def slow_files(tmp_path):
    paths = []
    for name in ("slow-left.txt", "slow-right.txt", "fast-left.txt", "fast-right.txt"):
        (tmp_path / name).write_text(f"{name}\n", encoding="utf-8")
        paths.append(str(tmp_path / name))
    return paths


def warnings_seen(monkeypatch):
    seen = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, title, text, *a: seen.append(text))
    return seen


def test_newest_files_win_while_a_compare_runs(qtbot, settings, slow_files):
    gate = Gate()
    win = new_window(qtbot, settings, compare_fn=gate)
    try:
        win.open_files(slow_files[0], slow_files[1])
        assert gate.entered.wait(5)
        with qtbot.waitSignal(win.comparison_shown, timeout=5000):
            win.open_files(slow_files[2], slow_files[3])
    finally:
        gate.release.set()
    QThreadPool.globalInstance().waitForDone(10000)
    QApplication.processEvents()
    assert win.presentation.comparison.left.path == slow_files[2]  # the stale one was dropped
    assert win.paths["left"] == slow_files[2] and win.busy.isHidden()


def test_closing_mid_compare_is_quiet(qtbot, settings, slow_files, capfd):
    gate = Gate()
    win = MainWindow(settings, compare_fn=gate)  # not qtbot's: it is deleted here
    win.show()
    try:
        win.open_files(slow_files[0], slow_files[1])
        assert gate.entered.wait(5)
        win.close()
        win.deleteLater()
        QApplication.processEvents()
    finally:
        gate.release.set()
    QThreadPool.globalInstance().waitForDone(10000)
    QApplication.processEvents()
    assert "Traceback" not in capfd.readouterr().err


def test_result_after_close_is_ignored(shown, qtbot, files):
    before = shown.presentation
    generation = shown.worker.start(*files, shown.options)
    shown.close()
    shown.worker._on_task_finished(generation, sample(*files))
    QThreadPool.globalInstance().waitForDone(5000)
    QApplication.processEvents()
    assert not shown.isVisible() and shown.presentation is before


def test_file_deleted_while_open_says_so_and_keeps_notes(shown, monkeypatch, files):
    with_note(shown, monkeypatch)
    seen = warnings_seen(monkeypatch)
    before = shown.presentation
    os.unlink(files[1])
    shown._on_reload_timer_timeout()  # what the watcher's fileChanged leads to
    assert seen and "right.txt" in seen[0] and "deleted or moved" in seen[0]
    assert shown.presentation is before and shown.session.note_at(change_key(0))
    assert "gone" in shown.statusBar().currentMessage()
    shown.session.dirty = False


def test_file_changed_on_disk_reload_keeps_notes(shown, qtbot, monkeypatch, files):
    with_note(shown, monkeypatch)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(shown.comparison_shown, timeout=5000):
        Path(files[0]).write_text("edited\n", encoding="utf-8")
    assert shown.session.note_at(change_key(0)).body == "**Why** it matters"
    shown.session.dirty = False


@pytest.mark.parametrize("how", ["parent is a file", "rename fails"])
def test_export_into_an_unwritable_place(shown, qtbot, monkeypatch, tmp_path, how):
    with_note(shown, monkeypatch)
    seen = warnings_seen(monkeypatch)
    if how == "parent is a file":
        (tmp_path / "afile").write_text("x", encoding="utf-8")
        out = tmp_path / "afile" / "report.html"
    else:
        out = tmp_path / "report.html"

        def refuse(*args):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(os, "replace", refuse)
    save_to(monkeypatch, out)
    with qtbot.waitSignal(shown.report_exported, timeout=10000) as done:
        shown.actions_by_id["file.export_html"].trigger()
    assert done.args == [""]
    assert seen and "report.html" in seen[0]
    assert not out.exists() and not list(tmp_path.glob(".report.html.*"))  # no temporary left
    assert shown.session.note_at(change_key(0)) and shown.session.dirty  # nothing lost


def test_export_over_an_input_is_refused(shown, qtbot, monkeypatch, files):
    seen = warnings_seen(monkeypatch)
    before = Path(files[0]).read_bytes()
    save_to(monkeypatch, files[0])
    with qtbot.waitSignal(shown.report_exported, timeout=10000):
        shown.actions_by_id["file.export_html"].trigger()
    assert seen and "refusing to overwrite the input" in seen[0]
    assert Path(files[0]).read_bytes() == before


def test_save_session_over_an_input_or_nowhere_is_refused(shown, monkeypatch, files, tmp_path):
    with_note(shown, monkeypatch)
    seen = warnings_seen(monkeypatch)
    assert not shown.save_session(files[1])
    assert not shown.save_session(str(tmp_path / "missing" / "s.json"))
    assert len(seen) == 2 and "refusing" in seen[0] and "does not exist" in seen[1]
    assert shown.session.dirty
    shown.session.dirty = False


BAD_SESSIONS = {
    "corrupt": ('{"format": "article-diff-session/1", oops}', "corrupt"),
    "truncated": ('{"format": "article-diff-session/1", "left": {"path": "/x"', "truncated"),
    "foreign": ('{"name": "some other program"}', "not an Article Diff session"),
    "newer": ('{"format": "article-diff-session/2"}', "newer version"),
    "empty": ("", "empty"),
    "binary": ("\udcff\udcfe\0\1", "not UTF-8"),
    "malformed": ('{"format": "article-diff-session/1", "left": 3}', "left should be"),
}


@pytest.mark.parametrize("kind", sorted(BAD_SESSIONS))
def test_bad_session_file_names_the_file_and_keeps_state(shown, monkeypatch, tmp_path, kind, qtbot):
    with_note(shown, monkeypatch)
    text, problem = BAD_SESSIONS[kind]
    path = tmp_path / f"{kind}.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    seen = warnings_seen(monkeypatch)
    before = (shown.presentation, shown.paths.copy(), shown.session.notes, shown.options)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(shown.error_reported, timeout=2000):
        shown.actions_by_id["file.open_session"].trigger()
    assert seen and f"{kind}.json" in seen[0] and problem in seen[0], seen
    after = (shown.presentation, shown.paths, shown.session.notes, shown.options)
    assert after == before and shown.session.dirty
    shown.session.dirty = False


def test_session_whose_files_are_gone(shown, monkeypatch, qtbot, tmp_path, files):
    with_note(shown, monkeypatch)
    assert shown.save_session(str(tmp_path / "s.json"))
    seen = warnings_seen(monkeypatch)
    doc = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    doc["right"] = {"path": str(tmp_path / "nowhere.txt"), "sha256": ""}
    (tmp_path / "s2.json").write_text(json.dumps(doc), encoding="utf-8")
    with qtbot.waitSignal(shown.error_reported, timeout=5000):
        shown.open_session(str(tmp_path / "s2.json"))
    assert seen and "nowhere.txt" in seen[0]
    assert shown.paths["right"] == files[1] and shown.session.path == str(tmp_path / "s.json")


def test_two_windows_on_one_session(qtbot, settings, files, monkeypatch, tmp_path):
    """Both open it; each autosaves to its own file; a save from one is never silently
    overwritten by the other (it asks), and the session file stays valid."""
    first = new_window(qtbot, settings)
    with qtbot.waitSignal(first.comparison_shown, timeout=5000):
        first.open_files(*files)
    session_file = tmp_path / "shared.json"
    assert first.save_session(str(session_file))
    second = new_window(qtbot, settings)
    with qtbot.waitSignal(second.comparison_shown, timeout=5000):
        assert second.open_session(str(session_file))
    with_note(first, monkeypatch, text="from the first")
    with_note(second, monkeypatch, text="from the second")
    a, b = first.session.autosave_now(), second.session.autosave_now()
    assert a != b and a.is_file() and b.is_file()
    first.session.autosave_now()
    second.session.autosave_now()
    assert "from the first" in a.read_text(encoding="utf-8")
    assert "from the second" in b.read_text(encoding="utf-8")
    assert first.save_session(str(session_file))
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.No
    )
    assert not second.save_session(str(session_file))  # it asks, and No keeps the file
    assert asked and "another window" in asked[0]
    doc = json.loads(session_file.read_text(encoding="utf-8"))
    assert [n["body"] for n in doc["notes"]] == ["from the first"]
    assert b.is_file()  # the second window's unsaved notes are still autosaved
    save_to(monkeypatch, tmp_path / "second.json")
    second.actions_by_id["file.save_session_as"].trigger()
    assert json.loads((tmp_path / "second.json").read_text(encoding="utf-8"))["notes"]
    assert not b.exists() and not second.session.dirty


def bad_input(tmp_path, kind):
    path = tmp_path / f"bad-{kind}.txt"
    if kind == "folder":
        path.mkdir()
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 8)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "too large":
        with open(path, "wb") as handle:
            handle.truncate(26 * 1024 * 1024)  # sparse: refused by its size before reading
    return str(path)


@pytest.mark.parametrize("kind", ["missing", "folder", "binary", "empty", "too large"])
def test_bad_input_with_the_real_loader(qtbot, settings, files, tmp_path, monkeypatch, kind):
    win = new_window(qtbot, settings, compare_fn=default_compare)
    seen = warnings_seen(monkeypatch)
    path = bad_input(tmp_path, kind)
    with qtbot.waitSignal(win.error_reported, timeout=20000):
        win.open_files(path, files[1])
    assert seen and f"bad-{kind}.txt" in seen[0]
    with qtbot.waitSignal(win.comparison_shown, timeout=20000):
        win.open_files(*files)  # still alive and usable


def test_autosave_failure_is_reported_not_raised(shown, monkeypatch):
    with_note(shown, monkeypatch)

    def fail(*args, **kwargs):
        raise OutputError("disk full", "x")

    monkeypatch.setattr("viewer.ui.session_controller.autosave", fail)
    assert shown.session.autosave_now() is None
    assert "Autosave failed" in shown.statusBar().currentMessage()
    shown.session.dirty = False
