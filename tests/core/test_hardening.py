"""Hostile input on the command line: one clear line and status 2, or a correct result.

Each case runs the real program in a subprocess, as a user would, and checks that
stderr never holds a traceback and that no input file is touched.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.cli import main

GOOD = "The minister said on Monday that the budget would rise.\n"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "viewer", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


BAD_FILES = {
    "missing": (lambda d: d / "missing.txt", "no such file"),
    "folder": (lambda d: d, "is a folder"),
    "binary": (
        lambda d: _write(d / "x.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20),
        "is not a text file",
    ),
    "nul bytes": (lambda d: _write(d / "nul.txt", b"text\x00with\x00nuls " * 50), "NUL"),
    "empty": (lambda d: _write(d / "empty.txt", b""), "is empty"),
    "whitespace only": (lambda d: _write(d / "blank.txt", b"  \n\t\r\n  \n"), "is empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
@pytest.mark.parametrize("side", ["left", "right"])
def test_bad_file_gives_one_line_and_status_2(tmp_path, case, side):
    good = _write(tmp_path / "good.txt", GOOD.encode())
    bad = BAD_FILES[case][0](tmp_path)
    args = (bad, good) if side == "left" else (good, bad)
    proc = run(*args, "--json", "-")
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(bad) in lines[0] and BAD_FILES[case][1] in lines[0]
    assert "Traceback" not in proc.stderr


def test_file_above_the_size_limit_is_refused_with_the_limit_named(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # 50 MB, sparse: the size is refused before any read
        fh.truncate(50 * 1024 * 1024)
    proc = run(big, big, "--json", "-")
    assert proc.returncode == 2
    assert "is too large" in proc.stderr and "25 MiB" in proc.stderr
    assert len(proc.stderr.splitlines()) == 1


def test_unreadable_file(tmp_path, monkeypatch, capsys):
    secret = _write(tmp_path / "secret.txt", GOOD.encode())

    def denied(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("viewer.core.loading.open", denied, raising=False)
    assert main([str(secret), str(secret), "--json", "-"]) == 2
    err = capsys.readouterr().err
    assert f"{secret}: cannot be read: permission denied" in err


def test_same_file_twice_is_identical(tmp_path):
    a = _write(tmp_path / "a.txt", GOOD.encode())
    proc = run(a, a, "--json", "-")
    assert proc.returncode == 0 and json.loads(proc.stdout)["changes"] == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf16.txt", "\ufeffThe minister said on Monday.\r\n".encode("utf-16-le")),
        ("bom.txt", "\ufeffThe minister said on Monday.\n".encode()),
        ("crlf.txt", b"The minister said on Monday.\r\n"),
        ("cr.txt", b"The minister said on Monday.\r"),
        ("nofinal.txt", b"The minister said on Monday."),
    ],
)
def test_encodings_and_newlines_compare_equal_to_plain_utf8(tmp_path, name, data):
    plain = _write(tmp_path / "plain.txt", b"The minister said on Monday.\n")
    other = _write(tmp_path / name, data)
    proc = run(plain, other, "--json", "-")
    assert proc.returncode == 0, proc.stderr


def test_invalid_utf8_bytes_are_replaced_with_a_warning(tmp_path):
    text = ("Le ministre a parlé lundi du budget de la ville. " * 20).encode()
    damaged = _write(tmp_path / "damaged.txt", text[:100] + b"\xff\xfe" + text[100:])
    good = _write(tmp_path / "good.txt", text)
    proc = run(damaged, good, "--json", "-")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert "\ufffd" in doc["left"]["blocks"][0]["text"]
    assert doc["left"]["warnings"] and "warning" in proc.stderr and "damaged.txt" in proc.stderr


def test_one_2mb_line_without_newline(tmp_path):
    words = GOOD.split() * 40_000
    line = " ".join(words)
    assert len(line) > 2_000_000
    a = _write(tmp_path / "a.txt", line.encode())
    b = _write(tmp_path / "b.txt", line.replace(" budget ", " plan ", 50).encode())
    proc = run(a, b, "--json", "-")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert [c["left_text"] for c in doc["changes"]] == ["budget"] * 50


@pytest.mark.parametrize(
    ("left", "right", "changed"),
    [
        ("Hello 😀 world, the cat sat.", "Hello 😀 world, the dog sat.", ("cat", "dog")),
        ("Un café noir.", "Un cafe\u0301 noir et fort.", ("", " et fort")),
        ("قال الوزير يوم الاثنين", "قال الرئيس يوم الاثنين", ("الوزير", "الرئيس")),
        ("השר אמר ביום שני", "השר אמר ביום שלישי", ("שני", "שלישי")),
        ("我爱北京天安门", "我爱上海天安门", ("北京", "上海")),
        ("今日は東京で会議があります", "今日は大阪で会議があります", ("東京", "大阪")),
        (
            "See https://example.org/a/very/long/path?with=query&and=more for details.",
            "See https://example.org/a/very/long/path?with=query&and=less for details.",
            ("more", "less"),
        ),
        ("Sup" + "er" * 500 + "word here", "Sup" + "er" * 500 + "word there", ("here", "there")),
    ],
)
def test_unusual_text_lands_on_the_right_characters(tmp_path, left, right, changed):
    a = _write(tmp_path / "a.txt", left.encode())
    b = _write(tmp_path / "b.txt", right.encode())
    proc = run(a, b, "--json", "-")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    texts = [(c["left_text"], c["right_text"]) for c in doc["changes"]]
    assert changed in texts
    for c in doc["changes"]:
        a0, a1 = c["left"]
        assert doc["left"]["blocks"][0]["text"][a0:a1] == c["left_text"]


def test_output_into_a_folder_that_cannot_hold_it(tmp_path):
    a = _write(tmp_path / "a.txt", GOOD.encode())
    not_a_folder = _write(tmp_path / "file", b"x")
    for flag in ("--json", "--html"):
        proc = run(a, a, flag, not_a_folder / "out")
        assert proc.returncode == 2, flag
        assert len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr


@pytest.mark.parametrize("flag", ["--json", "--html"])
def test_output_over_an_input_is_refused_and_the_input_kept(tmp_path, flag):
    a = _write(tmp_path / "a.txt", GOOD.encode())
    b = _write(tmp_path / "b.txt", GOOD.replace("rise", "fall").encode())
    proc = run(a, b, flag, b)
    assert proc.returncode == 2 and "refusing to overwrite" in proc.stderr
    assert b.read_text() == GOOD.replace("rise", "fall")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b'{"format": "article-diff-session/1", "left": {"pa', "truncated"),
        (b'{"format": "something-else/3"}', "not an Article Diff session"),
        (b"\x00\x01binary", ""),
    ],
)
def test_bad_session_file(tmp_path, content, message):
    a = _write(tmp_path / "a.txt", GOOD.encode())
    session = _write(tmp_path / "s.json", content)
    for flag in ("--json", "--html"):
        out = tmp_path / "out"
        proc = run(a, a, flag, out, "--session", session)
        assert proc.returncode == 2, (flag, proc.stderr)
        assert str(session) in proc.stderr and message in proc.stderr
        assert len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr
        assert not out.exists()
