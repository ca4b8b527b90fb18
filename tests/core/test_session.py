"""Sessions: round trip, changed files, corrupt files, autosave."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from viewer.core import notes as N
from viewer.core.autosave import autosave, autosave_path, discard_autosave, find_autosave
from viewer.core.compare import compare_files
from viewer.core.errors import OutputError, SessionError
from viewer.core.model import CompareOptions, Comparison
from viewer.core.session import (
    FORMAT,
    Session,
    apply_session,
    check_files,
    load_session,
    new_session,
    restore_session,
    save_session,
)


@pytest.fixture
def pair(tmp_path: Path, seed_paths: tuple[Path, Path]) -> tuple[Path, Path]:
    """Copies of the seed pair that a test may edit."""
    left, right = tmp_path / "left.txt", tmp_path / "right.txt"
    shutil.copy(seed_paths[0], left)
    shutil.copy(seed_paths[1], right)
    return left, right


def _change_on(c: Comparison, words: str) -> int:
    return next(ch.id for ch in c.changes if words in ch.right_text)


def _session_with_notes(left: Path, right: Path) -> tuple[Session, Comparison]:
    c = compare_files(left, right, CompareOptions(ignore_case=True))
    ns = (
        N.note_for_change(c, _change_on(c, "hand captured"), "**Softened** the verb"),
        N.note_for_block(c, "right", 15, "Donation appeal, not the story"),
        N.note_for_block(c, "left", 8, "Subheading the copy invented"),
        N.note_for_comparison("Spun copy of the agency story."),
    )
    ov = N.set_override((), "right", c.right.blocks[12], True)
    return new_session(left, right, c.options, ns, ov), c


def test_round_trip_keeps_everything(pair: tuple[Path, Path], tmp_path: Path) -> None:
    session, _ = _session_with_notes(*pair)
    path = tmp_path / "review.json"
    save_session(session, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == FORMAT and doc["left"]["relative"] == "left.txt"
    assert len(doc["left"]["sha256"]) == 64
    loaded = load_session(path)
    assert loaded.notes == session.notes
    assert loaded.overrides == session.overrides
    assert loaded.options == CompareOptions(ignore_case=True)
    assert loaded.left.path == session.left.path
    assert loaded.overall_note == "Spun copy of the agency story."
    assert check_files(loaded) == []


def test_changed_file_reattaches_by_words_and_orphans_the_rest(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    left, right = pair
    session, _ = _session_with_notes(left, right)
    path = tmp_path / "review.json"
    save_session(session, path)
    # The right file gains a paragraph at the top (every offset shifts) and loses
    # the donation appeal paragraph that a note annotated.
    text = right.read_text(encoding="utf-8").splitlines()
    appeal = next(line for line in text if line.startswith("These actions are direct attempts"))
    right.write_text(
        "Editor's note: updated.\n" + "\n".join(t for t in text if t != appeal), "utf-8"
    )

    loaded = load_session(path)
    warnings = check_files(loaded)
    assert warnings == [
        "right file changed since the session was saved; notes re-attached by their words"
    ]
    c = compare_files(left, right, loaded.options)
    attached, orphaned = N.attach(loaded.notes, c)
    change_keys = [k for k in attached if k.startswith("change:")]
    assert len(change_keys) == 1
    assert "hand captured" in c.changes[int(change_keys[0].split(":")[1])].right_text
    assert N.block_key("left", 8) in attached and N.COMPARISON_KEY in attached
    assert [o.note.body for o in orphaned] == ["Donation appeal, not the story"]
    assert "gone" in orphaned[0].reason
    # saving again keeps the orphan: nothing is ever dropped silently
    again = new_session(left, right, c.options, N.current_notes(N.Attachment(attached, orphaned)))
    save_session(again, path)
    assert len(load_session(path).notes) == 4


def test_missing_file_is_reported(pair: tuple[Path, Path], tmp_path: Path) -> None:
    session, _ = _session_with_notes(*pair)
    pair[0].unlink()
    assert check_files(session) == [f"left file {session.left.path} is missing"]


def test_relative_paths_follow_a_moved_folder(pair: tuple[Path, Path], tmp_path: Path) -> None:
    session, _ = _session_with_notes(*pair)
    save_session(session, tmp_path / "review.json")
    moved = tmp_path.parent / (tmp_path.name + "-moved")
    shutil.move(tmp_path, moved)
    try:
        loaded = load_session(moved / "review.json")
        assert loaded.left.path == str(moved / "left.txt")
        assert check_files(loaded) == []
    finally:
        shutil.move(moved, tmp_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b'{"format": "article-diff-session/1", "left": {"path": "a", "sha', "truncated"),
        (b'{"format": "article-diff-session/1",, }', "corrupt"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[1, 2, 3]", "not an Article Diff session"),
        (b'{"format": "article-diff/1", "left": {}}', "not an Article Diff session"),
        (b'{"name": "something else"}', "not an Article Diff session"),
        (b'{"format": "article-diff-session/2"}', "newer version"),
        (b'{"format": "article-diff-session/1"}', "no 'left' file"),
        (b'{"format": "article-diff-session/1", "left": {}, "right": {}}', "has no 'path'"),
        (
            b'{"format": "article-diff-session/1", "left": {"path": "a"}, "right": {"path": "b"},'
            b' "notes": [{"id": "x", "target": "elsewhere", "body": ""}]}',
            "target",
        ),
        (
            b'{"format": "article-diff-session/1", "left": {"path": "a"}, "right": {"path": "b"},'
            b' "overrides": [{"side": "middle", "text_hash": "h", "extraneous": true}]}',
            "side",
        ),
    ],
)
def test_bad_session_files_raise_session_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(SessionError, match=message) as info:
        load_session(path)
    assert str(path) in str(info.value)


def test_missing_session_and_folder(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match="not found"):
        load_session(tmp_path / "nope.json")
    with pytest.raises(SessionError, match="folder"):
        load_session(tmp_path)


def test_save_refuses_to_overwrite_an_input(pair: tuple[Path, Path]) -> None:
    session, _ = _session_with_notes(*pair)
    before = pair[1].read_bytes()
    with pytest.raises(OutputError, match="refusing"):
        save_session(session, pair[1])
    assert pair[1].read_bytes() == before


def test_autosave_is_atomic_and_recoverable(pair: tuple[Path, Path], tmp_path: Path) -> None:
    session, _ = _session_with_notes(*pair)
    user_dir = tmp_path / "user"
    # no session file yet: autosave goes to the user folder, named after both files
    first = autosave(session, None, user_dir)
    assert first == autosave_path(None, user_dir, *pair) and first.parent == user_dir
    assert find_autosave(None, user_dir, *pair) == first
    assert load_session(first).notes == session.notes
    assert sorted(p.name for p in user_dir.iterdir()) == [first.name]  # no temporary file
    # with a session file, the autosave sits beside it, hidden
    path = tmp_path / "review.json"
    save_session(session, path)
    beside = autosave(session, path, user_dir)
    assert beside == tmp_path / ".review.json.autosave"
    assert find_autosave(path, user_dir, *pair) == beside
    discard_autosave(beside)
    discard_autosave(beside)  # already gone: fine
    assert not beside.exists()


def test_autosave_falls_back_when_the_session_folder_is_unwritable(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    session, _ = _session_with_notes(*pair)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    written = autosave(session, blocker / "review.json", tmp_path / "user")
    assert written.parent == tmp_path / "user"
    assert load_session(written).notes == session.notes


def test_apply_session_applies_overrides_and_options(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    left, right = pair
    c = compare_files(left, right, CompareOptions())
    block = c.left.blocks[0]
    ov = N.set_override((), "left", block, True)
    path = tmp_path / "s.json"
    save_session(new_session(left, right, CompareOptions(hide_extraneous=True), (), ov), path)
    out = apply_session(c, load_session(path))
    assert out.options.hide_extraneous
    assert out.left.blocks[0].extraneous is not None
    assert out.groups[0].relation == "hidden" or any(
        g.relation == "hidden" and g.left == (0,) for g in out.groups
    )


def test_restore_session_brings_back_the_review(pair: tuple[Path, Path], tmp_path: Path) -> None:
    session, _ = _session_with_notes(*pair)
    path = tmp_path / "review.json"
    save_session(session, path)
    restored = restore_session(load_session(path))
    assert restored.warnings == ()
    assert restored.comparison.options == CompareOptions(ignore_case=True)
    assert restored.comparison.right.blocks[12].extraneous is not None  # the override
    assert len(restored.attachment.attached) == 4 and restored.attachment.orphaned == []


def test_failed_autosave_keeps_the_previous_one(
    pair: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, _ = _session_with_notes(*pair)
    user_dir = tmp_path / "user"
    first = autosave(session, None, user_dir)
    before = first.read_bytes()

    def crash(src: str, dst: str) -> None:  # the process dies between write and rename
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("os.replace", crash)
    later = replace(session, notes=N.set_overall_note(session.notes, "newer text"))
    with pytest.raises(OutputError, match="Input/output error"):
        autosave(later, None, user_dir)
    monkeypatch.undo()
    assert first.read_bytes() == before
    assert sorted(p.name for p in user_dir.iterdir()) == [first.name]
    assert load_session(first).notes == session.notes
