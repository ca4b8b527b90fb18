"""Small dialogs of the window: choosing files, errors, the shortcut list, about.

All go through QFileDialog/QMessageBox static methods, which tests replace.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from viewer import __version__
from viewer.ui.actions import shortcut_rows

FILTER = "Articles (*.txt *.md *.markdown *.html *.htm);;All files (*)"


def choose_file(parent: QWidget, title: str, directory: str = "") -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, directory, FILTER)
    return path or None


def choose_pair(parent: QWidget, directory: str = "") -> tuple[str, str] | None:
    """Ask for the left file, then the right one; None if either is cancelled."""
    left = choose_file(parent, "Open the left (older or copied) article", directory)
    if not left:
        return None
    right = choose_file(parent, "Open the right (newer or original) article", directory)
    return (left, right) if right else None


def show_error(parent: QWidget, message: str) -> None:
    QMessageBox.warning(parent, "Article Diff: cannot compare", message)


def ask_reload(parent: QWidget, path: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "File changed on disk",
        f"{path}\nhas changed on disk. Reload and compare again?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def shortcuts_html() -> str:
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>&nbsp;&nbsp;<b>{escape(keys)}</b></td></tr>"
        for name, keys in shortcut_rows()
    )
    return f"<table>{rows}</table><p>Drop a file on a pane to replace that side.</p>"


def show_shortcuts(parent: QWidget) -> None:
    QMessageBox.information(parent, "Keyboard shortcuts", shortcuts_html())


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        "About Article Diff",
        f"<b>Article Diff {escape(__version__)}</b><p>Two versions of a news article side by "
        "side: aligned paragraphs, word-level changes, extraneous blocks.</p>",
    )
