"""Settings, action table, worker, scroll sync, sidebar models."""

from collections import Counter

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from tests.ui.fakes import sample
from viewer.core.model import CompareOptions
from viewer.ui.actions import ACTIONS, MENUS, TOOLBAR, handler_name
from viewer.ui.app import merged_options
from viewer.ui.main_window import MainWindow
from viewer.ui.settings import Settings
from viewer.ui.sidebar import NOTE_ROLE, change_label


def test_no_shortcut_is_bound_twice():
    keys = Counter(k for spec in ACTIONS for k in spec.shortcuts)
    assert [k for k, n in keys.items() if n > 1] == []


def test_every_action_has_a_handler_and_every_menu_id_exists():
    ids = {spec.id for spec in ACTIONS}
    for spec in ACTIONS:
        assert hasattr(MainWindow, handler_name(spec.id)), spec.id
    for _, entries in MENUS:
        assert {e for e in entries if e[0] not in "-@"} <= ids
    assert {e for e in TOOLBAR if e != "-"} <= ids


def test_settings_round_trip(tmp_path):
    path = str(tmp_path / "s.ini")
    settings = Settings(QSettings(path, QSettings.Format.IniFormat))
    assert settings.options == CompareOptions()
    settings.options = CompareOptions(ignore_case=True, hide_extraneous=True)
    settings.zoom = 3
    for i in range(12):
        settings.add_recent_pair(f"l{i}", f"r{i}")
    settings.add_recent_pair("l5", "r5")
    settings.sync()
    again = Settings(QSettings(path, QSettings.Format.IniFormat))
    assert again.options == CompareOptions(ignore_case=True, hide_extraneous=True)
    assert again.zoom == 3
    assert again.recent_pairs[0] == ("l5", "r5")
    assert len(again.recent_pairs) == 8


def test_corrupt_settings_fall_back(tmp_path):
    path = tmp_path / "s.ini"
    path.write_text("[recent]\npairs=not json\n[view]\nzoom=abc\n", encoding="utf-8")
    settings = Settings(QSettings(str(path), QSettings.Format.IniFormat))
    assert settings.recent_pairs == [] and settings.zoom == 0


def test_command_line_flags_switch_options_on():
    merged = merged_options(CompareOptions(ignore_case=True), CompareOptions(hide_extraneous=True))
    assert merged == CompareOptions(ignore_case=True, hide_extraneous=True)


def test_change_labels():
    labels = [change_label(c) for c in sample().changes]
    assert "stated → said" in labels
    assert any(label.startswith("moved “") for label in labels)


def test_notes_marker_role(shown):
    model = shown.sidebar.changes
    model.set_notes({1: "check this quote"})
    assert model.index(1).data(NOTE_ROLE) == "check this quote"
    assert model.index(1).data().endswith("✎")
    assert model.index(0).data(NOTE_ROLE) is None


def test_scrolling_one_pane_scrolls_the_other(shown):
    shown.resize(1200, 240)
    QApplication.processEvents()
    left, right = shown.panes["left"], shown.panes["right"]
    bar = right.view.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    assert left.scroll_value() == left.view.verticalScrollBar().maximum()
    bar.setValue(0)
    assert left.scroll_value() == 0
    # Mid-way: the block at the sync point stays level (within its extent on the other side).
    left.view.verticalScrollBar().setValue(left.view.verticalScrollBar().maximum() // 2)
    assert 0 < right.scroll_value() < bar.maximum() or bar.maximum() == 0


def test_worker_reports_errors_with_the_file_name(qtbot, tmp_path):
    from tests.ui.fakes import fake_compare
    from viewer.ui.worker import CompareWorker

    worker = CompareWorker(fake_compare)
    with qtbot.waitSignal(worker.comparison_failed, timeout=5000) as blocker:
        worker.start(str(tmp_path / "missing.txt"), str(tmp_path / "x.txt"), CompareOptions())
    assert "missing.txt" in blocker.args[0]


def test_worker_never_dies_on_unexpected_errors(qtbot):
    from viewer.ui.worker import CompareWorker

    def broken(*_):
        raise ValueError("boom")

    worker = CompareWorker(broken)
    with qtbot.waitSignal(worker.comparison_failed, timeout=5000) as blocker:
        worker.start("a", "b", CompareOptions())
    assert "boom" in blocker.args[0]


def test_dark_palette_uses_dark_colours(qtbot, settings, files):
    from PySide6.QtGui import QColor, QPalette

    from tests.ui.fakes import fake_compare
    from viewer.ui.highlight import DARK

    win = MainWindow(settings, compare_fn=fake_compare)
    qtbot.addWidget(win)
    palette = win.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    win.setPalette(palette)
    win.show()
    with qtbot.waitSignal(win.comparison_shown, timeout=5000):
        win.open_files(*files)
    assert win.gutter.colours is DARK


def test_presentation_hides_hidden_blocks_and_finds_changes():
    from viewer.ui.presentation import change_at, present

    shown = present(sample(options=CompareOptions(hide_extraneous=True)))
    assert [b.id for b in shown.shown["left"]] == [0, 1, 3, 4, 5, 6]
    assert shown.moved == {"left": {4}, "right": {4}}
    assert shown.change_keys == sorted(shown.change_keys)
    comparison = shown.comparison
    said = next(c for c in comparison.changes if c.right_text == "said")
    assert change_at(shown, "right", said.right[0]) == said.id
    assert change_at(shown, "right", said.right[1] - 1) == said.id
    assert change_at(shown, "right", 0) is None
