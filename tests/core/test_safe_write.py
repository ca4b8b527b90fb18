"""Atomic writes that refuse to overwrite an input, with one-line errors."""

import os

import pytest

from viewer.core.errors import OutputError
from viewer.core.safe_write import check_not_input, write_bytes_atomic, write_text_atomic


def test_refuses_an_input_by_any_name(tmp_path, monkeypatch):
    source = tmp_path / "a.txt"
    source.write_text("x", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(source)
    monkeypatch.chdir(tmp_path)
    for out in (source, "a.txt", "./a.txt", str(tmp_path / "sub" / ".." / "a.txt"), link):
        with pytest.raises(OutputError, match="refusing to overwrite the input file"):
            check_not_input(out, [str(source)])
    check_not_input(tmp_path / "other.txt", [source])  # a new file is fine


def test_writes_whole_files_and_keeps_the_mode(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    write_bytes_atomic(target, b"one")
    assert target.read_bytes() == b"one" and target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o600)
    write_text_atomic(str(target), "twö")
    assert target.read_text(encoding="utf-8") == "twö" and target.stat().st_mode & 0o777 == 0o600
    monkeypatch.chdir(tmp_path)
    write_bytes_atomic("bare.json", b"x")  # no folder in the name: the current one
    assert (tmp_path / "bare.json").read_bytes() == b"x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bare.json", "out.json"]


def test_clear_errors_for_folders(tmp_path):
    with pytest.raises(OutputError, match="is a folder"):
        write_bytes_atomic(tmp_path, b"x")
    with pytest.raises(OutputError, match="does not exist"):
        write_bytes_atomic(tmp_path / "missing" / "out.json", b"x")
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(OutputError, match="cannot write into"):
            write_bytes_atomic(locked / "out.json", b"x")


def test_durable_writes_reach_the_disk_before_the_rename(tmp_path, monkeypatch):
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    write_text_atomic(tmp_path / "session.json", "{}")  # durable by default
    assert len(synced) == 1
    write_bytes_atomic(tmp_path / "out.json", b"{}", durable=False)  # made again at will
    assert len(synced) == 1 and (tmp_path / "out.json").read_bytes() == b"{}"


def test_a_taken_temporary_name_is_skipped_and_none_is_left_behind(tmp_path, monkeypatch):
    names = iter([b"\x00" * 6, b"\x00" * 6, b"\x01" * 6])
    monkeypatch.setattr(os, "urandom", lambda n: next(names))
    taken = tmp_path / ".out.json.000000000000.tmp"
    taken.write_bytes(b"someone else's")
    write_bytes_atomic(tmp_path / "out.json", b"mine")
    assert (tmp_path / "out.json").read_bytes() == b"mine"
    assert taken.read_bytes() == b"someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [taken.name, "out.json"]


def test_no_free_temporary_name_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "urandom", lambda n: b"\x00" * n)
    (tmp_path / ".out.json.000000000000.tmp").write_bytes(b"")
    with pytest.raises(OutputError, match="cannot write into"):
        write_bytes_atomic(tmp_path / "out.json", b"x")
    assert not (tmp_path / "out.json").exists()
