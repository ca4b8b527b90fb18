"""File → Open/Save Session, Export HTML, recovery and unsaved work, mixed into MainWindow.

Loading a session file is quick and happens here, on the GUI thread, so a bad file is
refused before anything changes; comparing its files runs on the worker
(``restore_task``), and the window adopts paths, options and notes only when that
succeeds. Uses the window's ``session`` (SessionController), ``worker``, ``paths``,
``options``, ``presentation`` and ``_dialogs``.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QTimer

from viewer.core.errors import ArticleDiffError, SessionError
from viewer.core.model import Comparison
from viewer.core.notes import noted_changes
from viewer.core.session import Restored, Session, load_session
from viewer.ui import dialogs
from viewer.ui.session_controller import restore_task

SESSION_SUFFIX = ".session.json"


class SessionCommandsMixin:
    """Opening pairs and sessions, saving, exporting, recovering, leaving unsaved work."""

    # ---- opening -----------------------------------------------------------------------

    def open_files(self, left: str, right: str) -> None:
        """Compare ``left`` with ``right`` (in the background): a new review."""
        if self._may_leave("Open other files?"):
            self._start_review({"left": left, "right": right})

    def open_side(self, side: str, path: str) -> None:
        """Replace one side; compares once both sides are known."""
        if self._may_leave("Open another file?"):
            self._start_review({**self.paths, side: path})

    def _start_review(self, paths: dict[str, str | None]) -> None:
        self.session.reset()
        self._set_note_focus(None)
        self.paths = paths
        left, right = paths["left"], paths["right"]
        if left and right:
            found = self.session.find_recovery(None, left, right)
            if found is not None and self._offer_recovery(found, None, (left, right)):
                return
        self.compare()

    def open_session(self, path: str, files: tuple[str, str] | None = None) -> bool:
        """Open a session file (with ``files``, on those files instead of the saved paths).

        A file that cannot be read as a session gives a dialog naming it and the problem;
        nothing in the window changes. Returns True when the restore was started."""
        try:
            session = load_session(path)
        except SessionError as exc:
            self._report_problem("Cannot open the session", str(exc))
            return False
        session = _with_files(session, files)
        if not self._may_leave("Open another session?"):
            return False
        found = self.session.find_recovery(path, session.left.path, session.right.path)
        if found is not None and self._offer_recovery(found, path, files):
            return True
        self._restore(session, path, dirty=False, autosave=None)
        return True

    def _offer_recovery(self, found: Path, path: str | None, files) -> bool:  # type: ignore[no-untyped-def]
        """Ask whether to recover ``found``; True when its restore was started."""
        if not self._dialogs:
            return False
        when = datetime.fromtimestamp(found.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
        choice = dialogs.ask_recover(self, str(found), when)
        if choice == "discard":
            try:
                self.session.throw_away(found)
            except ArticleDiffError as exc:
                self._report_problem("Cannot remove the autosave", str(exc))
        if choice != "recover":
            return False
        try:
            recovered = _with_files(load_session(found), files)
        except SessionError as exc:
            self._report_problem("Cannot recover the autosave", str(exc))
            return False
        self._restore(recovered, path, dirty=True, autosave=found)
        return True

    def _restore(self, session: Session, path: str | None, dirty: bool, autosave) -> None:  # type: ignore[no-untyped-def]
        generation = self.worker.start_task(restore_task(session, self.worker.compare_fn))
        self._pending_restore = (generation, path, dirty, autosave)

    def _adopt_result(self, result: object) -> Comparison:
        """The comparison of a worker result; a restored session's state is adopted first."""
        if not isinstance(result, Restored):
            assert isinstance(result, Comparison)
            self.session.attach_to(result)
            return result
        _, path, dirty, autosave = self._pending_restore or (0, None, False, None)
        self._pending_restore = None
        self.session.adopt(result, path, dirty)
        if autosave is not None:
            self.session.take_over(autosave)
        comparison = result.comparison
        self.paths = {"left": comparison.left.path, "right": comparison.right.path}
        self.options = comparison.options
        for key, value in comparison.options.to_json().items():
            self.actions_by_id[f"options.{key}"].setChecked(value)  # equal: no recompare
        self._watch_files()
        self._resume_pending = True
        if self._dialogs and (result.warnings or result.attachment.orphaned):
            orphans = len(result.attachment.orphaned)
            warnings = result.warnings
            QTimer.singleShot(
                0, self, lambda: dialogs.show_session_warnings(self, warnings, orphans)
            )
        return comparison

    def _on_comparison_shown(self) -> None:
        """After a session is restored, resume the review at its first annotated change."""
        if getattr(self, "_resume_pending", False):
            self._resume_pending = False
            noted = noted_changes(self.session.attached)
            if noted:
                self.go_to_change(min(noted))

    def _on_file_open_session(self) -> None:
        path = dialogs.choose_session_to_open(self, self._start_dir())
        if path:
            self.open_session(path)

    # ---- saving ------------------------------------------------------------------------

    def _on_file_save_session(self) -> None:
        self.save_session(self.session.path)

    def _on_file_save_session_as(self) -> None:
        self.save_session(None)

    def _suggested(self, suffix: str) -> str:
        left, right = self.paths["left"] or "left", self.paths["right"] or "right"
        stem = f"{Path(left).stem}--{Path(right).stem}{suffix}"
        return os.path.join(os.path.dirname(os.path.abspath(left)), stem)

    def save_session(self, path: str | None) -> bool:
        """Save to ``path`` (None: ask where); True when saved."""
        if self.session.files is None:
            self._report_problem("Nothing to save", "Open two files first.")
            return False
        if path and self.session.changed_on_disk():
            if not dialogs.ask_overwrite_session(self, path):
                return False
        if not path:
            path = dialogs.choose_save_path(
                self,
                "Save the session",
                self.session.path or self._suggested(SESSION_SUFFIX),
                False,
            )
            if not path:
                return False
        try:
            self.session.save(path)
        except ArticleDiffError as exc:
            self._report_problem("Cannot save the session", str(exc))
            return False
        self.statusBar().showMessage(f"Session saved to {path}", 5000)
        return True

    def _on_file_export_html(self) -> None:
        if self.presentation is None:
            self._report_problem("Nothing to export", "Open two files first.")
            return
        path = dialogs.choose_save_path(
            self, "Export an HTML report", self._suggested(".html"), True
        )
        if not path:
            return
        from viewer.core.export import save_report
        from viewer.ui.worker import BackgroundJob

        comparison, notes = self.presentation.comparison, self.session.notes
        warnings = self.session.warnings
        protect = [self.session.path] if self.session.path else []
        job = BackgroundJob(self)  # rendering a 1 MB pair takes most of a second
        self._export_jobs.add(job)
        job.succeeded.connect(lambda _result: self._on_export_done(job, path, None))
        job.failed.connect(lambda message: self._on_export_done(job, path, message))
        self.statusBar().showMessage(f"Writing the report to {path}…")
        job.start(lambda: save_report(comparison, notes, path, warnings=warnings, protect=protect))

    def _on_export_done(self, job: object, path: str, problem: str | None) -> None:
        self._export_jobs.discard(job)
        if problem is not None:
            self.statusBar().clearMessage()
            self._report_problem("Cannot export the report", problem)
        else:
            self.statusBar().showMessage(f"Report written to {path}", 5000)
        self.report_exported.emit(path if problem is None else "")

    # ---- leaving ------------------------------------------------------------------------

    def _may_leave(self, what: str) -> bool:
        """Before unsaved notes are left behind: Save, Discard or Cancel (False)."""
        if not self.session.dirty:
            return True
        self.session.autosave_now()  # whatever the answer, nothing is lost meanwhile
        if not self._dialogs:
            return True
        answer = dialogs.ask_save_changes(self, what)
        if answer == "save":
            return self.save_session(self.session.path)
        if answer == "discard":
            self.session.discard()
            return True
        return False

    def _on_session_autosave_failed(self, message: str) -> None:
        self.statusBar().showMessage(f"Autosave failed: {message}")

    def _report_problem(self, title: str, message: str) -> None:
        self.error_reported.emit(message)
        if self._dialogs:
            dialogs.show_problem(self, title, message)


def _with_files(session: Session, files: tuple[str, str] | None) -> Session:
    """``session`` on other files (``LEFT RIGHT --session FILE``): its hashes still tell
    whether they are the files the notes were written on."""
    if not files:
        return session
    left, right = (os.path.abspath(f) for f in files)
    return replace(
        session, left=replace(session.left, path=left), right=replace(session.right, path=right)
    )
