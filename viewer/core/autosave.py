"""Autosave of sessions, so that a crash or a killed process loses no note.

The window calls :func:`autosave` on a timer and after each edit; it writes the same
document as File → Save Session, atomically, beside the session file (hidden) or in
a user folder passed in. :func:`find_autosave` tells, on open, whether there is a newer
autosave to recover; :func:`discard_autosave` removes it after a real save.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from viewer.core.errors import ArticleDiffError, OutputError
from viewer.core.session import Session, save_session

AUTOSAVE_SUFFIX = ".autosave"


def paths_digest(*paths: str | os.PathLike[str]) -> str:
    """Short stable name part for a set of files: sha256 of their absolute paths."""
    key = "\0".join(str(Path(p).absolute()) for p in paths)
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def autosave_path(
    session_path: str | os.PathLike[str] | None,
    user_dir: str | os.PathLike[str],
    left_path: str | os.PathLike[str],
    right_path: str | os.PathLike[str],
) -> Path:
    """Where to autosave: beside the session file (``.NAME.autosave``) when there is one,
    else in ``user_dir`` under a name derived from both files' absolute paths."""
    if session_path is not None:
        p = Path(session_path).absolute()
        return p.with_name(f".{p.name}{AUTOSAVE_SUFFIX}")
    return Path(user_dir) / f"session-{paths_digest(left_path, right_path)}{AUTOSAVE_SUFFIX}"


def autosave(
    session: Session, session_path: str | os.PathLike[str] | None, user_dir: str | os.PathLike[str]
) -> Path:
    """Write ``session`` to its autosave file atomically and return where it went.

    Beside the session file first; if that folder is read-only or gone, in ``user_dir``
    (created if needed), so a note is never lost for want of a writable folder.
    """
    left, right = session.left.path, session.right.path
    candidates = [autosave_path(session_path, user_dir, left, right)]
    if session_path is not None:
        candidates.append(autosave_path(None, user_dir, left, right))
    error: ArticleDiffError | None = None
    for target in candidates:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            save_session(session, target)
            return target
        except (OutputError, OSError) as exc:
            error = exc if isinstance(exc, OutputError) else OutputError(str(exc), str(target))
    assert error is not None
    raise error


def find_autosave(
    session_path: str | os.PathLike[str] | None,
    user_dir: str | os.PathLike[str],
    left_path: str | os.PathLike[str],
    right_path: str | os.PathLike[str],
) -> Path | None:
    """An autosave newer than the session file (or any, without one): offer to recover it."""
    candidates = [autosave_path(session_path, user_dir, left_path, right_path)]
    if session_path is not None:
        candidates.append(autosave_path(None, user_dir, left_path, right_path))
    saved = (
        Path(session_path).stat().st_mtime if session_path and Path(session_path).exists() else None
    )
    for path in candidates:
        if path.is_file() and (saved is None or path.stat().st_mtime >= saved):
            return path
    return None


def discard_autosave(path: str | os.PathLike[str] | None) -> None:
    """Remove an autosave after the session was saved for real (missing is fine)."""
    if path is None:
        return
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise OutputError(f"cannot remove the autosave: {exc.strerror or exc}", str(path)) from None
