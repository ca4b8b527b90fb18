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


def test_hide_extraneous_with_real_compare(qtbot, settings, seed_paths):
    from viewer.core.model import CompareOptions

    win = MainWindow(settings, CompareOptions(hide_extraneous=True), dialogs_enabled=False)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.comparison_shown, timeout=20000):
        win.open_files(str(seed_paths[0]), str(seed_paths[1]))
    p = win.presentation
    hidden = [g for g in p.comparison.groups if g.relation == "hidden"]
    shown_right = {b.id for b in p.shown["right"]}
    assert hidden and not any(set(g.right) & shown_right for g in hidden)
    assert win.panes["right"].view.document().blockCount() == len(p.shown["right"])
    assert len(p.shown["right"]) < len(p.comparison.right.blocks)


def test_screenshot_exit_status(tmp_path, seed_paths):
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))

    def screenshot(left, right, png):
        command = [sys.executable, "-m", "viewer", str(left), str(right), "--screenshot", png]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)

    bad = screenshot(tmp_path / "missing.txt", seed_paths[1], str(tmp_path / "bad.png"))
    assert bad.returncode == 2 and "missing.txt" in bad.stderr
    good = screenshot(*seed_paths, str(tmp_path / "ok.png"))
    assert good.returncode == 0, good.stderr
    assert (tmp_path / "ok.png").read_bytes().startswith(b"\x89PNG")
