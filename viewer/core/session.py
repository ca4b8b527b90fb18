"""Saved sessions (``article-diff-session/1``): both files, their hashes, options, notes, overrides.

A session is a small JSON document written atomically. Loading one never guesses: a
file that is not JSON, was cut short, belongs to another program or to a newer
version raises :class:`SessionError` with one sentence saying which. Autosave
(core/autosave.py) writes the same document to a side file, so a crash loses no note.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from viewer.core.errors import SessionError
from viewer.core.model import CompareOptions, Comparison
from viewer.core.notes import (
    SIDES,
    TARGETS,
    Anchor,
    Attachment,
    Note,
    Override,
    Side,
    apply_overrides,
    attach,
    now_iso,
    overall_note,
)
from viewer.core.safe_write import write_text_atomic

FORMAT = "article-diff-session/1"
FORMAT_NAME, FORMAT_VERSION = FORMAT.rsplit("/", 1)
MAX_SESSION_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FileRef:
    """One compared file as the session remembers it."""

    path: str  # absolute when saved
    sha256: str  # of the file's bytes, "" when it could not be read


@dataclass(frozen=True, slots=True)
class Session:
    """Everything needed to reopen a review: files, options, notes and overrides."""

    left: FileRef
    right: FileRef
    options: CompareOptions = field(default_factory=CompareOptions)
    notes: tuple[Note, ...] = ()
    overrides: tuple[Override, ...] = ()
    saved_at: str = ""

    @property
    def overall_note(self) -> str:
        """Markdown of the note on the whole comparison ("" if none)."""
        note = overall_note(self.notes)
        return note.body if note else ""


def file_sha256(path: str | os.PathLike[str]) -> str:
    """sha256 of a file's bytes, hex; "" when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def new_session(
    left_path: str | os.PathLike[str],
    right_path: str | os.PathLike[str],
    options: CompareOptions,
    notes: tuple[Note, ...] = (),
    overrides: tuple[Override, ...] = (),
) -> Session:
    """A session for two files as they are now (paths made absolute, contents hashed)."""

    def ref(path: str | os.PathLike[str]) -> FileRef:
        return FileRef(str(Path(path).absolute()), file_sha256(path))

    return Session(ref(left_path), ref(right_path), options, tuple(notes), tuple(overrides))


# ---- JSON ---------------------------------------------------------------------------------


def _relative(path: str, base: Path | None) -> str | None:
    if base is None:
        return None
    try:
        return os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return None


def session_to_json(session: Session, base: Path | None = None) -> dict[str, Any]:
    """The session document; ``base`` (the session's folder) adds relative paths."""

    def ref(r: FileRef) -> dict[str, Any]:
        out: dict[str, Any] = {"path": r.path, "sha256": r.sha256}
        rel = _relative(r.path, base)
        if rel is not None:
            out["relative"] = rel
        return out

    # Note, Anchor and Override fields are the JSON fields: asdict keeps them in step.
    return {
        "format": FORMAT,
        "saved_at": session.saved_at or now_iso(),
        "left": ref(session.left),
        "right": ref(session.right),
        "options": session.options.to_json(),
        "notes": [asdict(n) for n in session.notes],
        "overrides": [asdict(o) for o in session.overrides],
    }


class _Reader:
    """Typed access to a parsed document that fails with one clear SessionError."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, what: str) -> SessionError:
        return SessionError(f"not a valid session: {what}", self.path)

    def get(
        self, obj: Mapping[str, Any], key: str, kind: type, where: str, default: Any = ...
    ) -> Any:
        if key not in obj:
            if default is not ...:
                return default
            raise self.fail(f"{where} has no {key!r}")
        value = obj[key]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            raise self.fail(f"{where}.{key} should be {kind.__name__}")
        return value

    def objects(
        self, obj: Mapping[str, Any], key: str, where: str, label: str
    ) -> Iterator[tuple[Mapping[str, Any], str]]:
        """Each object of the optional list ``obj[key]``, named ``label[i]`` in errors."""
        for i, item in enumerate(self.get(obj, key, list, where, [])):
            at = f"{label}[{i}]"
            if not isinstance(item, dict):
                raise self.fail(f"{at} should be an object")
            yield item, at

    def side(self, value: Any, where: str) -> Side:
        if value not in SIDES:
            raise self.fail(f"{where}.side should be 'left' or 'right'")
        side: Side = value
        return side


def _check_format(doc: Any, path: str) -> None:
    if not isinstance(doc, dict) or not isinstance(doc.get("format"), str):
        raise SessionError("not an Article Diff session (no session format field)", path)
    name, _, version = doc["format"].rpartition("/")
    if name != FORMAT_NAME:
        raise SessionError(f"not an Article Diff session (format {doc['format']!r})", path)
    if version != FORMAT_VERSION:
        newer = version.isdigit() and int(version) > int(FORMAT_VERSION)
        why = "was saved by a newer version of Article Diff" if newer else "has an unknown version"
        raise SessionError(f"session {why} ({doc['format']}); this version reads {FORMAT}", path)


def _ref_from(r: _Reader, obj: Any, where: str, base: Path) -> FileRef:
    if obj is None:
        raise r.fail(f"session has no {where!r} file")
    if not isinstance(obj, dict):
        raise r.fail(f"{where} should be an object")
    path = r.get(obj, "path", str, where)
    rel = r.get(obj, "relative", str, where, None)
    # Prefer the absolute path; fall back to the relative one when the folder moved.
    if rel is not None and not Path(path).exists() and (base / rel).exists():
        path = str((base / rel).absolute())
    return FileRef(path, r.get(obj, "sha256", str, where, ""))


def _note_from(r: _Reader, obj: Mapping[str, Any], where: str) -> Note:
    target = r.get(obj, "target", str, where)
    if target not in TARGETS:
        raise r.fail(f"{where}.target {target!r} is not one of {', '.join(TARGETS)}")
    anchors = []
    for a, w in r.objects(obj, "anchors", where, f"{where}.anchors"):
        anchors.append(
            Anchor(
                r.side(a.get("side"), w),
                r.get(a, "text", str, w),
                r.get(a, "before", str, w, ""),
                r.get(a, "after", str, w, ""),
                r.get(a, "start", int, w, 0),
                r.get(a, "end", int, w, 0),
            )
        )
    return Note(
        r.get(obj, "id", str, where),
        target,
        r.get(obj, "body", str, where),
        tuple(anchors),
        r.get(obj, "created", str, where, ""),
        r.get(obj, "modified", str, where, ""),
    )


def session_from_json(doc: Any, path: str = "", base: Path | None = None) -> Session:
    """Parse a session document; SessionError naming the first problem found."""
    _check_format(doc, path)
    r = _Reader(path)
    base = base or Path(".")
    opts = r.get(doc, "options", dict, "session", {})
    known = {f.name for f in fields(CompareOptions)}
    options = CompareOptions(**{k: bool(v) for k, v in opts.items() if k in known})
    notes = tuple(_note_from(r, n, w) for n, w in r.objects(doc, "notes", "session", "notes"))
    overrides = []
    for o, w in r.objects(doc, "overrides", "session", "overrides"):
        overrides.append(
            Override(
                r.side(o.get("side"), w),
                r.get(o, "text_hash", str, w),
                r.get(o, "extraneous", bool, w),
                r.get(o, "preview", str, w, ""),
            )
        )
    return Session(
        _ref_from(r, doc.get("left"), "left", base),
        _ref_from(r, doc.get("right"), "right", base),
        options,
        notes,
        tuple(overrides),
        r.get(doc, "saved_at", str, "session", ""),
    )


# ---- files --------------------------------------------------------------------------------


def save_session(session: Session, path: str | os.PathLike[str]) -> None:
    """Write ``session`` to ``path`` atomically; OutputError if it cannot be written
    or if ``path`` is one of the compared files."""
    from viewer.core.safe_write import check_not_input

    check_not_input(path, [session.left.path, session.right.path])
    base = Path(path).absolute().parent
    saved = replace(session, saved_at=now_iso())
    text = json.dumps(session_to_json(saved, base), ensure_ascii=False, indent=1) + "\n"
    write_text_atomic(path, text)


def load_session(path: str | os.PathLike[str]) -> Session:
    """Read a session file; SessionError for a missing, corrupt, truncated, foreign or
    newer-version file, with a message that says which."""
    name = str(path)
    try:
        size = os.stat(path).st_size
        if size > MAX_SESSION_BYTES:
            raise SessionError(f"too large for a session file ({size} bytes)", name)
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SessionError("session file not found", name) from None
    except IsADirectoryError:
        raise SessionError("is a folder, not a session file", name) from None
    except OSError as exc:
        raise SessionError(f"cannot read the session file: {exc.strerror or exc}", name) from None
    if not data.strip():
        raise SessionError("session file is empty", name)
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise SessionError("not an Article Diff session (not UTF-8 text)", name) from None
    except json.JSONDecodeError as exc:
        # an error at the very end, or a string still open there, means the file was cut
        cut = exc.pos >= len(data.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        why = (
            "truncated (it ends too early)"
            if cut
            else f"corrupt (invalid JSON at line {exc.lineno})"
        )
        raise SessionError(f"session file is {why}", name) from None
    return session_from_json(doc, name, Path(path).absolute().parent)


def check_files(session: Session) -> list[str]:
    """Warnings for files that are missing or changed since the session was saved."""
    warnings = []
    for side, ref in (("left", session.left), ("right", session.right)):
        if not Path(ref.path).is_file():
            warnings.append(f"{side} file {ref.path} is missing")
        elif ref.sha256 and file_sha256(ref.path) != ref.sha256:
            warnings.append(
                f"{side} file changed since the session was saved; notes re-attached by their words"
            )
    return warnings


# ---- applying a session to a comparison ---------------------------------------------------


def merged_options(cli: CompareOptions, saved: CompareOptions) -> CompareOptions:
    """Options of a headless run with a session: an option is on if either turns it on."""
    return CompareOptions(
        **{f.name: getattr(cli, f.name) or getattr(saved, f.name) for f in fields(cli)}
    )


def apply_overrides_to(comparison: Comparison, overrides: tuple[Override, ...]) -> Comparison:
    """``comparison`` with the reader's verdicts on blocks applied, re-compared when
    that changes what is extraneous (the groups, stats and lists follow)."""
    left = apply_overrides(comparison.left, overrides, "left")
    right = apply_overrides(comparison.right, overrides, "right")
    if left is comparison.left and right is comparison.right:
        return comparison
    if left.blocks == comparison.left.blocks and right.blocks == comparison.right.blocks:
        return comparison
    from viewer.core.compare import compare

    return compare(left, right, comparison.options)


def apply_session(comparison: Comparison, session: Session) -> Comparison:
    """``comparison`` under the session's options (merged) and overrides."""
    options = merged_options(comparison.options, session.options)
    if options != comparison.options:
        from viewer.core.compare import compare

        comparison = compare(comparison.left, comparison.right, options)
    return apply_overrides_to(comparison, session.overrides)


@dataclass(frozen=True, slots=True)
class Restored:
    """What the window shows after File → Open Session."""

    session: Session
    comparison: Comparison
    attachment: Attachment
    warnings: tuple[str, ...]


def restore_session(session: Session) -> Restored:
    """Compare the session's files under its options, apply its overrides, attach its notes,
    and say what changed since it was saved. Loads and compares: run it off the GUI thread."""
    from viewer.core.compare import compare_files

    warnings = tuple(check_files(session))
    comparison = compare_files(session.left.path, session.right.path, session.options)
    comparison = apply_overrides_to(comparison, session.overrides)
    return Restored(session, comparison, attach(session.notes, comparison), warnings)
