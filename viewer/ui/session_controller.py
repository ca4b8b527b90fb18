"""The reader's notes, overrides and session file for one window: state, saving, autosave.

The window owns one SessionController. It keeps the notes and overrides as core's
immutable tuples (replaced on every edit), attaches the notes to each new comparison
by their words, writes the session file and its autosave, and knows whether there is
unsaved work. It asks no questions: dialogs are the window's business
(viewer/ui/session_commands.py).

Autosave and several windows: the first window to autosave a session (or pair) owns
core's autosave file (``.NAME.autosave`` beside the session, or the pair's file in the
autosave folder). A window that finds that file written by someone else since it last
wrote it (checked by sha256) leaves it alone and autosaves to its own file,
``session-<key>-w<window id>.autosave`` in the autosave folder. So two windows on the
same session never overwrite each other's autosave, and a recovery can offer either.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from viewer.core.autosave import (
    AUTOSAVE_SUFFIX,
    autosave,
    autosave_path,
    find_autosave,
    paths_digest,
)
from viewer.core.errors import ArticleDiffError, OutputError
from viewer.core.model import Block, CompareOptions, Comparison
from viewer.core.notes import (
    COMPARISON_KEY,
    Note,
    Orphan,
    Override,
    Side,
    add_note,
    attach,
    delete_note,
    edit_note,
    note_for_block,
    note_for_change,
    set_overall_note,
    set_override,
)
from viewer.core.session import (
    FileRef,
    Restored,
    Session,
    apply_overrides_to,
    check_files,
    file_sha256,
    restore_session,
    save_session,
)

AUTOSAVE_DELAY_MS = 1500  # after the last edit: a crash loses at most this much typing

CompareFn = Callable[[str, str, CompareOptions], Comparison]


# ---- what the worker runs (core only, no Qt) ----------------------------------------------


def compare_with_overrides(
    compare_fn: CompareFn, left: str, right: str, options: CompareOptions, overrides
) -> Comparison:
    """Compare two files and apply the reader's overrides (re-compares if they matter)."""
    return apply_overrides_to(compare_fn(left, right, options), tuple(overrides))


def restore(session: Session, compare_fn: CompareFn) -> Restored:
    """core's restore_session, with the window's compare function (tests inject a fake)."""
    from viewer.ui.worker import default_compare

    if compare_fn is default_compare:
        return restore_session(session)
    comparison = compare_with_overrides(
        compare_fn, session.left.path, session.right.path, session.options, session.overrides
    )
    warnings = tuple(check_files(session))
    return Restored(session, comparison, attach(session.notes, comparison), warnings)


def compare_task(compare_fn: CompareFn, left: str, right: str, options, overrides):  # type: ignore[no-untyped-def]
    return partial(compare_with_overrides, compare_fn, left, right, options, tuple(overrides))


def restore_task(session: Session, compare_fn: CompareFn):  # type: ignore[no-untyped-def]
    return partial(restore, session, compare_fn)


def _sha(path: Path) -> str:
    return file_sha256(path) if path.is_file() else ""


class SessionController(QObject):
    """Notes, overrides, the session path and the autosave of one window."""

    changed = Signal()  # notes, orphans, overrides or the dirty flag changed
    autosaved = Signal(str)  # where
    autosave_failed = Signal(str)  # why

    def __init__(self, autosave_dir: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.autosave_dir = autosave_dir
        self.window_id = uuid.uuid4().hex[:8]
        self.timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self.timer.timeout.connect(self.autosave_now)
        self.path: str | None = None
        self._reset_state()

    def _reset_state(self) -> None:
        self.notes: tuple[Note, ...] = ()
        self.overrides: tuple[Override, ...] = ()
        self.attached: dict[str, Note] = {}
        self.orphaned: list[Orphan] = []
        self.warnings: tuple[str, ...] = ()
        self.dirty = False
        self.files: tuple[FileRef, FileRef] | None = None
        self.options = CompareOptions()
        self.autosaved_to: Path | None = None
        self._autosave_sha = ""  # what this window last wrote to its autosave
        self._session_sha = ""  # the session file as last read or written by this window

    # ---- state --------------------------------------------------------------------------

    @property
    def has_content(self) -> bool:
        return bool(self.notes or self.overrides)

    def reset(self) -> None:
        """A new review: no notes, overrides or session file."""
        self.timer.stop()
        self.path = None
        self._reset_state()
        self.changed.emit()

    def _remember_files(self, comparison: Comparison) -> None:
        left, right = comparison.left.path, comparison.right.path
        self.files = (
            FileRef(str(Path(left).absolute()), file_sha256(left)),
            FileRef(str(Path(right).absolute()), file_sha256(right)),
        )
        self.options = comparison.options

    def adopt(self, restored: Restored, path: str | None, dirty: bool = False) -> None:
        """State of a session just restored (from its file, or an autosave when ``dirty``)."""
        self.timer.stop()
        self._reset_state()
        self.path = os.path.abspath(path) if path else None
        self.overrides = restored.session.overrides
        self.warnings = restored.warnings
        self._session_sha = _sha(Path(path)) if path else ""
        self._set_attachment(restored.attachment.attached, restored.attachment.orphaned)
        self._remember_files(restored.comparison)
        self.dirty = dirty
        if dirty:
            self.timer.start()
        self.changed.emit()

    def attach_to(self, comparison: Comparison) -> None:
        """Find every note again in a new comparison of the same files (reload, options)."""
        self._remember_files(comparison)
        self._set_attachment(*attach(self.notes, comparison))
        self.changed.emit()

    def _set_attachment(self, attached: dict[str, Note], orphaned: list[Orphan]) -> None:
        self.attached, self.orphaned = dict(attached), list(orphaned)
        self.notes = (*attached.values(), *(o.note for o in orphaned))

    def _edited(self, notes: tuple[Note, ...], comparison: Comparison | None) -> None:
        self.notes = notes
        if comparison is not None:
            self._set_attachment(*attach(notes, comparison))
        self.mark_dirty()

    def mark_dirty(self) -> None:
        self.dirty = True
        self.timer.start()
        self.changed.emit()

    # ---- editing ------------------------------------------------------------------------

    def note_at(self, key: str) -> Note | None:
        return self.attached.get(key)

    def set_note(self, key: str, body: str, comparison: Comparison) -> None:
        """Create, edit or (empty ``body``) delete the note on ``key``."""
        note = self.attached.get(key)
        if not body.strip():
            if note is not None:
                self._edited(delete_note(self.notes, note.id), comparison)
            return
        if note is not None:
            self._edited(edit_note(self.notes, note.id, body), comparison)
            return
        if key == COMPARISON_KEY:
            self._edited(set_overall_note(self.notes, body), comparison)
        elif key.startswith("change:"):
            made = note_for_change(comparison, int(key.split(":")[1]), body)
            self._edited(add_note(self.notes, made), comparison)
        else:
            _, side, block_id = key.split(":")
            made = note_for_block(comparison, side, int(block_id), body)  # type: ignore[arg-type]
            self._edited(add_note(self.notes, made), comparison)

    def delete(self, note_id: str, comparison: Comparison | None) -> None:
        """Delete any note, attached or orphaned."""
        self._edited(delete_note(self.notes, note_id), comparison)

    def set_override(self, side: Side, block: Block, extraneous: bool | None) -> None:
        """Record the reader's verdict on a block; the window compares again."""
        self.overrides = set_override(self.overrides, side, block, extraneous)
        self.mark_dirty()

    # ---- files --------------------------------------------------------------------------

    def session(self) -> Session:
        """The session document of the current state (files as last compared)."""
        assert self.files is not None
        return Session(self.files[0], self.files[1], self.options, self.notes, self.overrides)

    def changed_on_disk(self) -> bool:
        """True when the session file was written by someone else since this window read
        or saved it (another window, another program)."""
        return bool(self.path and self._session_sha and _sha(Path(self.path)) != self._session_sha)

    def save(self, path: str) -> None:
        """Write the session to ``path`` atomically (OutputError if it cannot), then drop the
        autosave: the session file now holds everything."""
        old_autosave = self.autosaved_to
        save_session(self.session(), path)
        self.path = os.path.abspath(path)
        self._session_sha = _sha(Path(path))
        self.dirty = False
        self.timer.stop()
        self._drop_autosave(old_autosave)
        self.changed.emit()

    def discard(self) -> None:
        """The reader threw the unsaved work away: the autosave goes too."""
        self.timer.stop()
        self._drop_autosave(self.autosaved_to)
        self.dirty = False

    def _drop_autosave(self, path: Path | None) -> None:
        if path is not None and _sha(path) == self._autosave_sha:  # only ever our own file
            try:
                path.unlink()
            except OSError:
                pass
        self.autosaved_to, self._autosave_sha = None, ""

    def _own_autosave(self) -> Path:
        paths = [self.path] if self.path else [f.path for f in self.files or ()]
        name = f"session-{paths_digest(*paths)}-w{self.window_id}{AUTOSAVE_SUFFIX}"
        return Path(self.autosave_dir) / name

    def autosave_now(self) -> Path | None:
        """Write the unsaved state to this window's autosave file (see the module doc)."""
        if not self.dirty or self.files is None:
            return None
        left, right = self.files[0].path, self.files[1].path
        shared = autosave_path(self.path, self.autosave_dir, left, right)
        try:
            if self.autosaved_to is not None and self.autosaved_to != shared:
                target = self.autosaved_to  # a file of our own already
                save_session(self.session(), target)
            elif shared.exists() and _sha(shared) != self._autosave_sha:
                target = self._own_autosave()  # another window writes the shared one
                target.parent.mkdir(parents=True, exist_ok=True)
                save_session(self.session(), target)
            else:
                target = autosave(self.session(), self.path, self.autosave_dir)
        except (ArticleDiffError, OSError) as exc:
            self.autosave_failed.emit(str(exc))
            return None
        self.autosaved_to, self._autosave_sha = target, _sha(target)
        self.autosaved.emit(str(target))
        return target

    def find_recovery(self, session_path: str | None, left: str, right: str) -> Path | None:
        """The newest autosave for this session (or pair) newer than the session file."""
        found = [find_autosave(session_path, self.autosave_dir, left, right)]
        digest = paths_digest(session_path) if session_path else paths_digest(left, right)
        folder = Path(self.autosave_dir)
        if folder.is_dir():
            found += folder.glob(f"session-{digest}-w*{AUTOSAVE_SUFFIX}")
        saved = (
            os.path.getmtime(session_path) if session_path and os.path.exists(session_path) else 0
        )
        fresh = [p for p in found if p is not None and p.is_file() and p.stat().st_mtime >= saved]
        return max(fresh, key=lambda p: p.stat().st_mtime) if fresh else None

    def take_over(self, autosave_file: Path) -> None:
        """After recovering from ``autosave_file``: keep writing to it (it is ours now)."""
        self.autosaved_to, self._autosave_sha = autosave_file, _sha(autosave_file)

    def throw_away(self, autosave_file: Path) -> None:
        """The reader declined to recover ``autosave_file``: remove it."""
        try:
            autosave_file.unlink()
        except OSError as exc:
            reason = f"cannot remove the autosave: {exc.strerror}"
            raise OutputError(reason, str(autosave_file)) from None
