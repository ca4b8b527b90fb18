import os

import pytest
from PySide6.QtCore import QSettings

from tests.ui.fakes import fake_compare
from viewer.ui.compat import pin_none

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pin_none()  # PySide6 6.12 on Python 3.11: see viewer/ui/compat.py


@pytest.fixture
def settings(tmp_path):
    from viewer.ui.settings import Settings

    made = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    made.autosave_dir = str(tmp_path / "autosave")  # never the user's folder
    return made


@pytest.fixture
def files(tmp_path):
    left, right = tmp_path / "left.txt", tmp_path / "right.txt"
    left.write_text("left version\n", encoding="utf-8")
    right.write_text("right version\n", encoding="utf-8")
    return str(left), str(right)


@pytest.fixture
def window(qtbot, settings):
    from viewer.ui.main_window import MainWindow

    win = MainWindow(settings, compare_fn=fake_compare, dialogs_enabled=True)
    qtbot.addWidget(win)
    win.resize(1200, 700)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.worker.cancel()


@pytest.fixture
def shown(qtbot, window, files):
    """The window with the sample comparison laid out and painted."""
    with qtbot.waitSignal(window.comparison_shown, timeout=5000):
        window.open_files(*files)
    return window


@pytest.fixture(autouse=True)
def no_blocking_dialogs(monkeypatch):
    """Any dialog a test did not expect is recorded instead of blocking the run."""
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

    from viewer.ui import note_editor

    seen: list[tuple[str, tuple]] = []

    def record(name, result):
        def fake(*args, **kwargs):
            seen.append((name, args))
            return result

        return fake

    monkeypatch.setattr(QMessageBox, "warning", record("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(
        QMessageBox, "information", record("information", QMessageBox.StandardButton.Ok)
    )
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.No))
    monkeypatch.setattr(QMessageBox, "about", record("about", None))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", record("open", ("", "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", record("save", ("", "")))
    monkeypatch.setattr(QInputDialog, "getText", record("text", ("", False)))
    monkeypatch.setattr(note_editor, "ask_note", record("note", None))
    return seen
