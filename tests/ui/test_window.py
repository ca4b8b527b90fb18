from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from tests.ui.fakes import sample
from viewer.ui.actions import ACTIONS


def act(window, action_id):
    window.actions_by_id[action_id].trigger()


def test_shows_both_articles_with_headers(shown):
    left, right = shown.panes["left"], shown.panes["right"]
    assert left.title.text() == "left.txt" and right.title.text() == "right.txt"
    assert "words" in left.details.text() and "utf-8" in left.details.text()
    assert left.view.document().blockCount() == 7
    assert right.view.document().findBlockByNumber(1).text().startswith("Ukrainian President")
    assert "Similarity 50%" in shown.stats_label.text()


def test_heading_is_formatted_as_heading(shown):
    block = shown.panes["left"].view.document().findBlockByNumber(0)
    assert block.blockFormat().headingLevel() == 1


def test_highlights_use_strike_and_underline(shown):
    left_block = shown.panes["left"].view.document().findBlockByNumber(1)
    right_block = shown.panes["right"].view.document().findBlockByNumber(1)
    left_formats = left_block.layout().formats()
    right_formats = right_block.layout().formats()
    assert left_formats and all(r.format.fontStrikeOut() for r in left_formats)
    assert right_formats and all(r.format.fontUnderline() for r in right_formats)
    # "stated" -> "said": the first replaced word on each side.
    first = min(left_formats, key=lambda r: r.start)
    assert left_block.text()[first.start : first.start + first.length] == "stated"


def test_step_next_prev_first_last(shown, qtbot):
    total = len(shown.presentation.comparison.changes)
    act(shown, "go.first_change")
    assert shown.current == 0
    assert shown.position_label.text() == f"Change 1 of {total}"
    assert not shown.actions_by_id["go.prev_change"].isEnabled()
    act(shown, "go.next_change")
    assert shown.current == 1
    assert shown.sidebar.change_view.currentIndex().row() == 1
    act(shown, "go.prev_change")
    assert shown.current == 0
    act(shown, "go.last_change")
    assert shown.current == total - 1
    assert not shown.actions_by_id["go.next_change"].isEnabled()
    assert not shown.actions_by_id["go.last_change"].isEnabled()


def test_step_by_keyboard_shortcut(shown, qtbot):
    shown.activateWindow()
    qtbot.keyClick(shown.panes["left"].view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert shown.current == 0


def test_current_change_is_centred_in_both_panes(shown):
    shown.resize(1200, 300)
    QApplication.processEvents()
    last = len(shown.presentation.comparison.changes) - 1
    shown.go_to_change(last)
    change = shown.presentation.comparison.changes[last]
    for side, span in (("left", change.left), ("right", change.right)):
        pane = shown.panes[side]
        rect = pane.span_rect(span)
        visible = (
            pane.scroll_value() <= rect.center().y() <= pane.scroll_value() + pane.page_height()
        )
        assert visible, side


def test_sidebar_selection_brings_change_into_view(shown):
    view = shown.sidebar.change_view
    view.setCurrentIndex(shown.sidebar.changes.index(2))
    assert shown.current == 2
    assert shown.gutter.current_group == shown.presentation.comparison.changes[2].group


def test_extraneous_listed_and_stepped(shown):
    model = shown.sidebar.extraneous
    assert model.rowCount() == 1
    assert "promo" in model.index(0).data()
    act(shown, "go.next_extraneous")
    assert shown.current_extraneous == 0
    assert shown.sidebar.extraneous_view.currentIndex().row() == 0


def test_hide_extraneous_takes_blocks_out_and_back(shown, qtbot):
    with qtbot.waitSignal(shown.comparison_shown, timeout=5000):
        shown.sidebar.hide_box.setChecked(True)
    assert shown.options.hide_extraneous
    assert shown.actions_by_id["options.hide_extraneous"].isChecked()
    assert shown.panes["left"].view.document().blockCount() == 6
    assert shown.settings.options.hide_extraneous
    with qtbot.waitSignal(shown.comparison_shown, timeout=5000):
        act(shown, "options.hide_extraneous")
    assert shown.panes["left"].view.document().blockCount() == 7
    assert not shown.sidebar.hide_box.isChecked()


def test_options_persist_and_recompare(shown, qtbot):
    for key in ("ignore_case", "ignore_punctuation", "fold_typography"):
        with qtbot.waitSignal(shown.comparison_shown, timeout=5000):
            act(shown, f"options.{key}")
        assert getattr(shown.options, key)
        assert getattr(shown.settings.options, key)
        assert getattr(shown.presentation.comparison.options, key)


def test_open_pair_through_dialogs(window, files, qtbot, monkeypatch):
    answers = iter([(files[0], ""), (files[1], "")])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: next(answers))
    with qtbot.waitSignal(window.comparison_shown, timeout=5000):
        act(window, "file.open")
    assert window.paths == {"left": files[0], "right": files[1]}
    assert window.settings.recent_pairs[0][1].endswith("right.txt")


def test_open_each_side_on_its_own(window, files, qtbot, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (files[0], ""))
    act(window, "file.open_left")
    assert window.presentation is None  # waits for the right side
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (files[1], ""))
    with qtbot.waitSignal(window.comparison_shown, timeout=5000):
        act(window, "file.open_right")
    assert window.panes["right"].title.text() == "right.txt"


def test_drop_file_on_pane_replaces_that_side(shown, tmp_path, qtbot):
    other = tmp_path / "other.txt"
    other.write_text("x", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    view = shown.panes["right"].view
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(shown.comparison_shown, timeout=5000):
        view.dropEvent(event)
    assert shown.paths["right"] == str(other)
    assert shown.panes["right"].title.text() == "other.txt"


def test_bad_file_shows_dialog_and_window_survives(window, files, tmp_path, qtbot, monkeypatch):
    shown_messages = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a: shown_messages.append(text)
    )
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\0\1\2")
    with qtbot.waitSignal(window.error_reported, timeout=5000):
        window.open_files(str(bad), files[1])
    assert shown_messages and "bad.bin" in shown_messages[0] and "binary" in shown_messages[0]
    with qtbot.waitSignal(window.comparison_shown, timeout=5000):
        window.open_files(*files)


def test_reload_with_f5(shown, qtbot):
    with qtbot.waitSignal(shown.comparison_shown, timeout=5000):
        act(shown, "file.reload")


def test_offer_to_reload_when_file_changes_on_disk(shown, files, qtbot, monkeypatch):
    asked = []
    yes = QMessageBox.StandardButton.Yes
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or yes)
    with qtbot.waitSignal(shown.comparison_shown, timeout=5000):
        with open(files[1], "a", encoding="utf-8") as handle:
            handle.write("an edit\n")
    assert asked and "right.txt" in asked[0]


def test_offer_to_reload_when_file_changes(shown, files, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes,
    )
    with qtbot.waitSignal(shown.comparison_shown, timeout=5000):
        shown._on_watcher_file_changed(files[0])
    assert asked and "left.txt" in asked[0]


def test_recent_pairs_menu(shown, qtbot):
    shown._on_recent_menu_about_to_show()
    entries = shown.recent_menu.actions()
    assert entries and "left.txt" in entries[0].text()
    with qtbot.waitSignal(shown.comparison_shown, timeout=5000):
        entries[0].trigger()


def test_stale_results_are_dropped(window, files, qtbot):
    window.worker.start(*files, window.options)
    first = window.worker.generation
    window.worker._on_task_finished(first - 1, sample())
    assert window.presentation is None


def test_zoom_in_and_out(shown):
    size = shown.panes["left"].view.font().pointSize()
    act(shown, "view.zoom_in")
    assert shown.panes["left"].view.font().pointSize() == size + 1
    act(shown, "view.zoom_out")
    act(shown, "view.zoom_out")
    assert shown.panes["right"].view.font().pointSize() == size - 1


def test_shortcuts_listed_under_help(window, monkeypatch):
    texts = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda parent, title, text, *a: texts.append(text)
    )
    act(window, "help.shortcuts")
    for spec in ACTIONS:
        for key in spec.shortcuts:
            if key != "Ctrl+=":
                assert key.split("+")[-1] in texts[0], key


def test_geometry_saved_on_close(shown):
    shown.close()
    assert shown.settings.geometry is not None


def test_gutter_bands_and_overview_marks(shown):
    bands = shown.gutter.visible_bands()
    kinds = {b.kind for b in bands}
    assert {"equal", "changed", "moved", "stub_left", "stub_right"} <= kinds
    assert shown.overview._marks[0] and shown.overview._marks[1]
    shown.gutter.repaint()
    shown.overview.repaint()


def test_overview_click_scrolls(shown, qtbot):
    shown.resize(1200, 260)
    QApplication.processEvents()
    qtbot.mouseClick(
        shown.overview,
        Qt.MouseButton.LeftButton,
        pos=shown.overview.rect().bottomRight() - shown.overview.rect().topLeft().__class__(2, 2),
    )
    assert shown.panes["right"].scroll_value() > 0


def test_click_on_a_highlighted_word_makes_its_change_current(shown, qtbot):
    pane = shown.panes["right"]
    change = next(c for c in shown.presentation.comparison.changes if c.right_text == "said")
    rect = pane.span_rect(change.right)
    point = rect.center().toPoint() - pane.view.viewport().rect().topLeft()
    point.setY(point.y() - pane.scroll_value())
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert shown.current == change.id
    assert "said" in pane.tooltip_at(point)


def test_busy_indicator_while_comparing(window, files, qtbot):
    states = []
    window.worker.busy_changed.connect(states.append)
    with qtbot.waitSignal(window.comparison_shown, timeout=5000):
        window.open_files(*files)
    assert states[0] is True and states[-1] is False
    assert window.busy.isHidden()


def test_resize_remeasures_and_keeps_bands(shown, qtbot):
    pane = shown.panes["left"]
    before = pane.bottoms[-1]
    with qtbot.waitSignal(pane.geometry_changed, timeout=5000):
        shown.resize(700, 700)
    assert pane.bottoms[-1] > before  # narrower panes wrap into more lines
    assert shown.gutter.visible_bands()


def test_big_document_keeps_its_paragraph_through_a_reflow(window, qtbot):
    from tests.ui.fakes import article, make_comparison

    paragraphs = [f"Paragraph {i} " + "word " * (i % 40 + 5) for i in range(450)]
    left, right = article("l.txt", paragraphs), article("r.txt", paragraphs)
    comparison = make_comparison(left, right, [((i,), (i,), "equal") for i in range(450)])
    with qtbot.waitSignal(window.comparison_shown, timeout=10000):
        window.show_comparison(comparison)
    pane = window.panes["left"]
    pane.view.verticalScrollBar().setValue(int(pane.tops[300]))
    with qtbot.waitSignal(pane.geometry_changed, timeout=10000):
        window.resize(800, 700)
        assert pane.reflowing
    assert not pane.reflowing
    assert abs(pane.scroll_value() - pane.tops[300]) <= 2
