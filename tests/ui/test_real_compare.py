"""The window on the bundled seed pair with the real core (loading, extraneous, align, diff)."""

from viewer.ui.main_window import MainWindow


def test_seed_pair_with_real_compare(qtbot, settings, seed_paths):
    win = MainWindow(settings, dialogs_enabled=False)
    qtbot.addWidget(win)
    win.show()
    shown, errors = [], []
    win.comparison_shown.connect(lambda: shown.append(True))
    win.error_reported.connect(errors.append)
    win.open_files(str(seed_paths[0]), str(seed_paths[1]))
    qtbot.waitUntil(lambda: bool(shown or errors), timeout=20000)
    assert not errors, errors[0]
    comparison = win.presentation.comparison
    assert win.panes["left"].view.document().blockCount() == len(win.presentation.shown["left"])
    win.actions_by_id["go.next_change"].trigger()
    assert win.current == 0
    assert win.position_label.text() == f"Change 1 of {len(comparison.changes)}"


def test_markdown_headings_show_as_headings(qtbot, settings, tmp_path):
    left, right = tmp_path / "a.md", tmp_path / "b.md"
    left.write_text(
        "# Big news\n\nThe cat sat on the mat.\n\n## Details\n\nMore text here.\n", "utf-8"
    )
    right.write_text(
        "# Big news\n\nThe cat sat on a mat.\n\n## Details\n\nMore text here.\n", "utf-8"
    )
    win = MainWindow(settings, dialogs_enabled=False)
    qtbot.addWidget(win)
    win.show()
    errors = []
    win.error_reported.connect(errors.append)
    with qtbot.waitSignal(win.comparison_shown, timeout=20000):
        win.open_files(str(left), str(right))
    document = win.panes["left"].view.document()
    levels = [document.findBlockByNumber(i).blockFormat().headingLevel() for i in range(4)]
    assert levels == [1, 0, 2, 0]
    assert "Markdown" in win.panes["left"].details.text()
