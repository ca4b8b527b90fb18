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


# ---- sessions and the report ------------------------------------------------------------

SESSION_FILTER = "Article Diff sessions (*.json *.adsession);;All files (*)"
REPORT_FILTER = "HTML report (*.html *.htm);;All files (*)"


def choose_session_to_open(parent: QWidget, directory: str = "") -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open a session", directory, SESSION_FILTER)
    return path or None


def choose_save_path(parent: QWidget, title: str, suggested: str, report: bool) -> str | None:
    """Where to save a session (``report`` False) or an HTML report."""
    path, _ = QFileDialog.getSaveFileName(
        parent, title, suggested, REPORT_FILTER if report else SESSION_FILTER
    )
    return path or None


def show_problem(parent: QWidget, title: str, message: str) -> None:
    """A file could not be opened or written: say which and why; nothing else changes."""
    QMessageBox.warning(parent, title, message)


def show_session_warnings(parent: QWidget, warnings: tuple[str, ...], orphans: int) -> None:
    lines = [escape(w) for w in warnings]
    if orphans:
        lines.append(
            f"{orphans} note(s) could not be placed again; they are listed under "
            "<b>Orphaned notes</b> in the Notes panel and kept in the session."
        )
    QMessageBox.information(parent, "Session opened with warnings", "<br>".join(lines))


def ask_save_changes(parent: QWidget, what: str) -> str:
    """ "save", "discard" or "cancel" for unsaved notes and overrides."""
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(
        parent,
        "Unsaved notes",
        f"{what}\nThe notes and overrides have not been saved to a session file "
        "(an autosave keeps them meanwhile). Save them?",
        buttons.Save | buttons.Discard | buttons.Cancel,
    )
    return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")


def ask_recover(parent: QWidget, autosave: str, when: str) -> str:
    """ "recover", "keep" (not now: it may be another open window's) or "discard"."""
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(
        parent,
        "Recover unsaved notes?",
        f"An autosave newer than the session was found (written {when}):\n{autosave}\n\n"
        "Recover its notes and overrides? No keeps the autosave for later (another window "
        "may still be using it); Discard deletes it.",
        buttons.Yes | buttons.No | buttons.Discard,
    )
    return {buttons.Yes: "recover", buttons.Discard: "discard"}.get(answer, "keep")


def ask_overwrite_session(parent: QWidget, path: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "Session changed elsewhere",
        f"{path}\nwas saved by another window or program since this window opened or saved "
        "it. Overwrite it with this window's notes? (No: use Save Session As.)",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_files_gone(parent: QWidget, paths: list[str]) -> None:
    QMessageBox.warning(
        parent,
        "File gone",
        "\n".join(paths) + "\nwas deleted or moved. The window keeps showing the last version "
        "and your notes are kept; press F5 (Reload) once the file is back.",
    )
