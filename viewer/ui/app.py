"""Start the window: QApplication, settings, the files from the command line, --screenshot."""

from __future__ import annotations

import os
import sys
import tempfile
import time

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from viewer.core.model import CompareOptions
from viewer.resources import resource_path
from viewer.ui.compat import pin_none

SCREENSHOT_SIZE = (1480, 900)
SCREENSHOT_TIMEOUT_MS = 60_000


def merged_options(cli: CompareOptions, saved: CompareOptions) -> CompareOptions:
    """A flag given on the command line switches an option on; otherwise the saved value holds."""
    keys = ("ignore_case", "ignore_punctuation", "fold_typography", "hide_extraneous")
    return CompareOptions(**{k: getattr(cli, k) or getattr(saved, k) for k in keys})


def make_application() -> QApplication:
    """The QApplication, created once, named for QSettings and the desktop entry."""
    pin_none()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("article-diff")
    app.setApplicationName("article-diff")
    app.setApplicationDisplayName("Article Diff")
    app.setDesktopFileName("article-diff")
    app.setWindowIcon(QIcon(str(resource_path("icons", "article-diff.svg"))))
    return app  # type: ignore[return-value]


def run_app(
    files: list[str],
    options: CompareOptions,
    session: str | None = None,
    screenshot: str | None = None,
) -> int:
    """Show the window on ``files`` (0-2 paths); returns the exit status.

    With ``session``, that session is opened (on ``files`` instead of its own paths
    when two are given).
    With ``screenshot``, the window is saved as a PNG once the comparison is shown
    and the program exits (0 on success, 2 if the files could not be compared).
    """
    from viewer.ui.main_window import MainWindow
    from viewer.ui.settings import Settings

    app = make_application()
    if screenshot:  # a throwaway settings file: screenshots must not depend on the user's state
        store = QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QSettings.Format.IniFormat)
    else:
        store = QSettings()
    settings = Settings(store)
    if screenshot:  # nor on the user's autosaves
        settings.autosave_dir = os.path.join(tempfile.mkdtemp(), "autosave")
    window = MainWindow(
        settings, merged_options(options, settings.options), dialogs_enabled=not screenshot
    )
    if os.environ.get("ARTICLE_DIFF_TIMING"):
        window.comparison_shown.connect(
            lambda: print(f"shown {time.monotonic():.6f}", file=sys.stderr)
        )
    if screenshot:
        window.resize(*SCREENSHOT_SIZE)
    window.show()
    waits = len(files) == 2
    if session:
        problems: list[str] = []
        window.error_reported.connect(problems.append)
        pair = (files[0], files[1]) if len(files) == 2 else None
        if window.open_session(session, pair):
            files, waits = [], True
        elif screenshot:
            print(f"article-diff: {problems[-1] if problems else session}", file=sys.stderr)
            return 2
    if len(files) == 2:
        window.open_files(files[0], files[1])
    elif len(files) == 1:
        window.open_side("left", files[0])
    if screenshot:
        return _run_screenshot(app, window, screenshot, waits=waits)
    return app.exec()


def _run_screenshot(app: QApplication, window, path: str, waits: bool) -> int:  # type: ignore[no-untyped-def]
    status = {"code": 2}

    def save() -> None:
        app.processEvents()
        ok = window.grab().save(path, "PNG")
        if not ok:
            print(f"article-diff: {path}: could not write the screenshot", file=sys.stderr)
        status["code"] = 0 if ok else 2
        app.exit(status["code"])

    def fail(message: str) -> None:
        print(f"article-diff: {message}", file=sys.stderr)
        app.exit(2)

    window.error_reported.connect(fail)
    if waits:
        window.comparison_shown.connect(lambda: QTimer.singleShot(200, save))
    else:
        QTimer.singleShot(300, save)
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, lambda: fail("timed out waiting for the comparison"))
    app.exec()
    return status["code"]
