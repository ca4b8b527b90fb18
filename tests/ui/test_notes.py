"""Notes, overrides, sessions, autosave and Export HTML in the window (issue 5)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.ui.fakes import fake_compare
from viewer.core.notes import COMPARISON_KEY, block_key, change_key
from viewer.ui import note_editor
from viewer.ui.main_window import MainWindow
from viewer.ui.note_editor import NoteBrowser, NoteEditor
from viewer.ui.sidebar import NOTE_ROLE

Yes, No = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
Save, Discard, Cancel = (
    QMessageBox.StandardButton.Save,
    QMessageBox.StandardButton.Discard,
    QMessageBox.StandardButton.Cancel,
)


def act(window, action_id):
    window.actions_by_id[action_id].trigger()


def write_note(monkeypatch, text):
    monkeypatch.setattr(note_editor, "ask_note", lambda *a: text)


def save_to(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def answer(monkeypatch, button, asked=None):
    def fake(*args, **kwargs):
        if asked is not None:
            asked.append(args[2])
        return button

    monkeypatch.setattr(QMessageBox, "question", fake)


def new_window(qtbot, settings, compare_fn=fake_compare):
    win = MainWindow(settings, compare_fn=compare_fn)
    qtbot.addWidget(win)
    win.resize(1200, 700)
    win.show()
    qtbot.waitExposed(win)
    return win


def with_note(window, monkeypatch, key=None, text="**Why** it matters"):
    """The window with a note on change 0 (or ``key``)."""
    window.go_to_change(0)
    if key is not None:
        window._set_note_focus(key)
    write_note(monkeypatch, text)
    act(window, "notes.edit")
    return window


def test_add_edit_delete_a_note_on_a_change(shown, monkeypatch):
    with_note(shown, monkeypatch)
    note = shown.session.note_at(change_key(0))
    assert note is not None and note.body == "**Why** it matters"
    model = shown.sidebar.changes
    assert model.index(0).data().endswith("✎") and model.index(0).data(NOTE_ROLE)
    assert shown.presentation.comparison.changes[0].group in shown.gutter.noted_groups
    html = shown.notes_panel.browser.toHtml()
    assert "Why" in html and "font-weight" in html  # rendered, not the raw Markdown
    assert "**" not in shown.notes_panel.browser.toPlainText()
    assert shown.isWindowModified() and shown.session.dirty
    assert shown.actions_by_id["notes.edit"].text() == "&Edit Note…"
    write_note(monkeypatch, "changed")
    act(shown, "notes.edit")
    assert shown.session.note_at(change_key(0)).body == "changed"
    act(shown, "notes.delete")
    assert shown.session.note_at(change_key(0)) is None
    assert not model.index(0).data().endswith("✎") and not shown.gutter.noted_groups
    shown.gutter.repaint()


def test_cancelled_editor_changes_nothing(shown, monkeypatch):
    shown.go_to_change(1)
    act(shown, "notes.edit")  # the autouse fake editor returns None: cancelled
    assert shown.session.notes == () and not shown.session.dirty


def test_gutter_paints_the_note_badge(shown, monkeypatch):
    with_note(shown, monkeypatch)
    painted = []
    original = type(shown.gutter)._paint_badge
    monkeypatch.setattr(
        type(shown.gutter),
        "_paint_badge",
        lambda self, painter, y: painted.append(y) or original(self, painter, y),
    )
    shown.gutter.repaint()
    assert painted


def test_note_on_the_whole_comparison(shown, monkeypatch):
    write_note(monkeypatch, "Overall: *mostly* rewording")
    act(shown, "notes.overall")
    assert shown.session.note_at(COMPARISON_KEY).body.startswith("Overall")
    assert "rewording" in shown.notes_panel.overall.toPlainText()
    write_note(monkeypatch, "")  # an empty note is a deletion
    act(shown, "notes.overall")
    assert shown.session.note_at(COMPARISON_KEY) is None


def test_note_on_an_extraneous_block_marks_the_list(shown, monkeypatch):
    shown.go_to_extraneous(0)
    write_note(monkeypatch, "Promo, not news")
    act(shown, "notes.edit")
    side, block = shown.presentation.extraneous[0]
    assert shown.session.note_at(block_key(side, block.id)).body == "Promo, not news"
    item = shown.sidebar.extraneous.index(0)
    assert "✎" in item.data() and item.data(NOTE_ROLE) == "Promo, not news"
    assert "extraneous (promo)" in shown.notes_panel.target.text()


def test_mark_not_extraneous_then_back_updates_the_lists(shown, qtbot):
    shown.go_to_extraneous(0)
    assert shown.actions_by_id["notes.mark_not_extraneous"].isEnabled()
    assert not shown.actions_by_id["notes.mark_extraneous"].isEnabled()
    with qtbot.waitSignal(shown.comparison_shown, timeout=10000):
        act(shown, "notes.mark_not_extraneous")
    assert shown.sidebar.extraneous.rowCount() == 0
    assert len(shown.session.overrides) == 1 and shown.session.dirty
    assert shown.actions_by_id["notes.clear_override"].isEnabled()  # the focus stayed
    with qtbot.waitSignal(shown.comparison_shown, timeout=10000):
        act(shown, "notes.clear_override")
    assert shown.sidebar.extraneous.rowCount() == 1 and shown.session.overrides == ()


def test_mark_a_paragraph_extraneous_from_the_pane_menu(shown, qtbot):
    pane = shown.panes["right"]
    block = pane.blocks[5]  # "A paragraph only the right has."
    rect = pane.span_rect((block.start + 2, block.start + 3))
    point = rect.center().toPoint()
    point.setY(point.y() - pane.scroll_value())
    menu = shown.context_menu("right", point)
    texts = [a.text() for a in menu.actions() if a.text()]
    assert any(t.startswith("Note on Change") for t in texts)  # an inserted paragraph
    assert "Note on This Paragraph…" in texts and "Mark as &Extraneous" in texts
    assert shown._block_focus == ("right", 5)
    with qtbot.waitSignal(shown.comparison_shown, timeout=10000):
        shown.actions_by_id["notes.mark_extraneous"].trigger()
    items = shown.sidebar.extraneous.items()
    assert ("right", 5) in [(s, b.id) for s, b in items]
    assert next(b for s, b in items if s == "right").extraneous.category == "reader"


def test_note_browser_is_safe(monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    browser = NoteBrowser()
    browser.show_markdown(
        "[ok](https://example.org) ![x](http://evil.example/p.png) <img src=x onerror=alert(1)>"
        "<script>alert(1)</script>"
    )
    html = browser.toHtml()
    assert "<img" not in html and "evil.example" not in html and "alert(1)</script" not in html
    assert browser.loadResource(0, QUrl("http://evil.example/p.png")) is None
    assert not browser.openLinks()
    browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    browser.anchorClicked.emit(QUrl("https://example.org"))
    assert opened == ["https://example.org"]
    browser.deleteLater()


def test_note_editor_previews_live(qtbot):
    editor = NoteEditor("Add Note", "Change 1", "")
    qtbot.addWidget(editor)
    editor.editor.setPlainText("- **bold** item")
    qtbot.waitUntil(lambda: "bold" in editor.preview.toPlainText(), timeout=2000)
    assert "font-weight" in editor.preview.toHtml()
    assert editor.text() == "- **bold** item"


def test_save_and_open_session_round_trip(shown, qtbot, settings, monkeypatch, tmp_path):
    with_note(shown, monkeypatch)
    write_note(monkeypatch, "overall")
    act(shown, "notes.overall")
    session_file = tmp_path / "review.json"
    save_to(monkeypatch, session_file)
    act(shown, "file.save_session")  # no path yet: asks where
    doc = json.loads(session_file.read_text(encoding="utf-8"))
    assert doc["format"] == "article-diff-session/1" and len(doc["notes"]) == 2
    assert doc["left"]["sha256"] and doc["right"]["path"].endswith("right.txt")
    assert not shown.session.dirty and not shown.isWindowModified()
    assert "review.json" in shown.windowTitle()
    other = new_window(qtbot, settings)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(session_file), ""))
    with qtbot.waitSignal(other.comparison_shown, timeout=10000):
        act(other, "file.open_session")
    assert other.session.note_at(change_key(0)).body == "**Why** it matters"
    assert other.session.note_at(COMPARISON_KEY).body == "overall"
    assert other.sidebar.changes.index(0).data().endswith("✎")
    assert other.session.path == str(session_file) and not other.session.dirty


def test_session_restores_options_and_overrides(shown, qtbot, settings, monkeypatch, tmp_path):
    shown.go_to_extraneous(0)
    with qtbot.waitSignal(shown.comparison_shown, timeout=10000):
        act(shown, "notes.mark_not_extraneous")
    with qtbot.waitSignal(shown.comparison_shown, timeout=10000):
        act(shown, "options.ignore_case")
    assert shown.save_session(str(tmp_path / "s.json"))
    settings.options = _options()  # the next window starts with the options off
    other = new_window(qtbot, settings)
    assert not other.options.ignore_case
    with qtbot.waitSignal(other.comparison_shown, timeout=10000):
        other.open_session(str(tmp_path / "s.json"))
    assert other.options.ignore_case and other.actions_by_id["options.ignore_case"].isChecked()
    assert other.sidebar.extraneous.rowCount() == 0 and len(other.session.overrides) == 1


def real_files(tmp_path):
    left, right = tmp_path / "a.txt", tmp_path / "b.txt"
    left.write_text(
        "The minister stated on Sunday that talks would resume.\n\n"
        "Officials recorded the figures in March.\n",
        encoding="utf-8",
    )
    right.write_text(
        "The minister said on Sunday that talks would resume.\n\n"
        "Officials captured the figures in March.\n",
        encoding="utf-8",
    )
    return str(left), str(right)


def test_file_changed_since_the_session_orphans_notes_visibly(
    qtbot, settings, tmp_path, monkeypatch
):
    left, right = real_files(tmp_path)
    win = new_window(qtbot, settings, compare_fn=_default())
    with qtbot.waitSignal(win.comparison_shown, timeout=20000):
        win.open_files(left, right)
    change = next(c for c in win.presentation.comparison.changes if c.right_text == "captured")
    with_note(win, monkeypatch, key=change_key(change.id), text="captured vs recorded")
    session_file = tmp_path / "s.json"
    assert win.save_session(str(session_file))
    Path(right).write_text(
        "The minister said on Sunday that talks would resume.\n\n"
        "Officials recorded the figures in March.\n",
        encoding="utf-8",
    )
    infos = []
    monkeypatch.setattr(QMessageBox, "information", lambda p, t, text, *a: infos.append(text))
    other = new_window(qtbot, settings, compare_fn=_default())
    with qtbot.waitSignal(other.comparison_shown, timeout=20000):
        other.open_session(str(session_file))
    qtbot.waitUntil(lambda: bool(infos), timeout=2000)
    assert "right file changed since the session was saved" in infos[0]
    assert "Orphaned notes" in infos[0]
    panel = other.notes_panel
    assert panel.orphans.count() == 1 and panel.orphan_box.isVisibleTo(panel)
    assert "captured vs recorded" in panel.orphans.item(0).text()
    assert "changed since" in panel.warnings.text()
    other.save_session(str(session_file))  # orphans are saved, never dropped
    doc = json.loads(session_file.read_text(encoding="utf-8"))
    assert [n["body"] for n in doc["notes"]] == ["captured vs recorded"]
    panel.orphans.setCurrentRow(0)
    panel.delete_orphan.click()
    assert other.session.notes == () and other.session.dirty


def _default():
    from viewer.ui.worker import default_compare

    return default_compare


def test_autosave_shortly_after_an_edit_and_recovery(qtbot, settings, files, monkeypatch):
    win = new_window(qtbot, settings)
    win.session.timer.setInterval(20)
    with qtbot.waitSignal(win.comparison_shown, timeout=5000):
        win.open_files(*files)
    with_note(win, monkeypatch, text="do not lose me")
    qtbot.waitUntil(lambda: win.session.autosaved_to is not None, timeout=3000)
    autosave = win.session.autosaved_to
    assert autosave.is_file() and str(autosave).startswith(settings.autosave_dir)
    assert "do not lose me" in autosave.read_text(encoding="utf-8")
    win.session.dirty = False  # as if the process had been killed: nothing asked, nothing saved
    win.close()
    asked = []
    answer(monkeypatch, Yes, asked)
    again = new_window(qtbot, settings)
    with qtbot.waitSignal(again.comparison_shown, timeout=5000):
        again.open_files(*files)
    assert asked and "Recover" in asked[0]
    assert again.session.note_at(change_key(0)).body == "do not lose me"
    assert again.session.dirty and again.isWindowModified()


@pytest.mark.parametrize("button", [No, Discard])
def test_declined_recovery_keeps_or_deletes_the_autosave(
    qtbot, settings, files, monkeypatch, button
):
    win = new_window(qtbot, settings)
    with qtbot.waitSignal(win.comparison_shown, timeout=5000):
        win.open_files(*files)
    with_note(win, monkeypatch)
    autosave = win.session.autosave_now()
    answer(monkeypatch, button)
    again = new_window(qtbot, settings)  # while the first window is still open
    with qtbot.waitSignal(again.comparison_shown, timeout=5000):
        again.open_files(*files)
    assert again.session.notes == ()
    assert autosave.exists() == (button == No)  # No: it may be the other window's
    if button == No:  # and this window never writes over it
        with_note(again, monkeypatch, text="second")
        assert again.session.autosave_now() != autosave
        assert "matters" in autosave.read_text(encoding="utf-8")
        again.session.dirty = False
    win.session.dirty = False


@pytest.mark.parametrize(
    "button, closes", [(Cancel, False), (Discard, True), (Save, True), (No, False)]
)
def test_closing_with_unsaved_notes_asks(shown, monkeypatch, tmp_path, button, closes):
    with_note(shown, monkeypatch)
    asked = []
    answer(monkeypatch, button, asked)
    save_to(monkeypatch, tmp_path / "s.json")
    shown.close()
    assert asked and "not been saved" in asked[0]
    assert shown.isVisible() != closes
    autosave = shown.session.autosaved_to
    if button == Save:
        assert (tmp_path / "s.json").is_file() and autosave is None
    elif button == Discard:
        assert autosave is None and not list(Path(shown.session.autosave_dir).glob("*"))
    else:  # still open, and the autosave written at the question keeps the notes
        assert autosave is not None and "matters" in autosave.read_text(encoding="utf-8")
        shown.session.dirty = False


def test_opening_other_files_with_unsaved_notes_asks(shown, monkeypatch, files):
    with_note(shown, monkeypatch)
    asked = []
    answer(monkeypatch, Cancel, asked)
    shown.open_files(*reversed(files))
    assert asked and shown.paths["left"] == files[0] and shown.session.notes
    shown.session.dirty = False


def test_export_html_with_notes(shown, qtbot, monkeypatch, tmp_path):
    with_note(shown, monkeypatch, text="A **reviewed** change")
    out = tmp_path / "report.html"
    save_to(monkeypatch, out)
    with qtbot.waitSignal(shown.report_exported, timeout=10000) as done:
        act(shown, "file.export_html")
    assert done.args == [str(out)]
    html = out.read_text(encoding="utf-8")
    assert "<strong>reviewed</strong>" in html and "<script" not in html
    shown.session.dirty = False


def test_new_actions_are_in_menus_with_shortcuts(window):
    menus = {m.title(): [a.objectName() for a in m.actions()] for m in _menus(window)}
    assert "file.save_session" in menus["&File"] and "file.export_html" in menus["&File"]
    assert "notes.mark_not_extraneous" in menus["&Notes"]
    assert window.actions_by_id["file.save_session"].shortcut().toString() == "Ctrl+S"


def _menus(window):
    return [a.menu() for a in window.menuBar().actions() if a.menu()]


def test_command_line_session_screenshot(tmp_path, monkeypatch):
    """`article-diff LEFT RIGHT --session FILE --screenshot PNG` opens the session."""
    from viewer.core.session import new_session, save_session

    left, right = tmp_path / "l.txt", tmp_path / "r.txt"
    left.write_text("Officials recorded the figures.\n", encoding="utf-8")
    right.write_text("Officials captured the figures.\n", encoding="utf-8")
    from viewer.core.notes import note_for_comparison

    session = new_session(left, right, _options(), (note_for_comparison("Overall note"),))
    save_session(session, tmp_path / "s.json")
    png = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    cmd = [sys.executable, "-m", "viewer", "--session", str(tmp_path / "s.json")]
    done = subprocess.run(
        [*cmd, "--screenshot", str(png)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert png.stat().st_size > 1000
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    bad = [sys.executable, "-m", "viewer", str(left), str(right), "--session"]
    done = subprocess.run(
        [*bad, str(tmp_path / "bad.json"), "--screenshot", str(png)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "bad.json" in done.stderr and "truncated" in done.stderr


def _options():
    from viewer.core.model import CompareOptions

    return CompareOptions()


def test_changing_an_option_marks_a_session_unsaved(shown, qtbot, monkeypatch, tmp_path):
    assert shown.save_session(str(tmp_path / "s.json"))
    with qtbot.waitSignal(shown.comparison_shown, timeout=5000):
        act(shown, "options.ignore_punctuation")
    assert shown.session.dirty and shown.isWindowModified()
    shown.session.dirty = False


def test_a_new_pair_starts_a_new_review(shown, qtbot, monkeypatch, files, tmp_path):
    with_note(shown, monkeypatch)
    assert shown.save_session(str(tmp_path / "s.json"))
    with qtbot.waitSignal(shown.comparison_shown, timeout=5000):
        shown.open_files(*reversed(files))
    assert shown.session.notes == () and shown.session.path is None
    assert shown._note_focus is None and not shown.sidebar.changes.index(0).data(NOTE_ROLE)


def test_export_html_runs_in_the_background(shown, qtbot, monkeypatch, tmp_path):
    import time

    import viewer.core.export as export

    real = export.save_report

    def slow(*args, **kwargs):
        time.sleep(0.6)
        return real(*args, **kwargs)

    monkeypatch.setattr(export, "save_report", slow)
    out = tmp_path / "report.html"
    save_to(monkeypatch, out)
    started = time.monotonic()
    with qtbot.waitSignal(shown.report_exported, timeout=10000) as done:
        act(shown, "file.export_html")
        assert time.monotonic() - started < 0.3  # the window is back at once
        assert not out.exists()
    assert done.args == [str(out)] and out.exists()
