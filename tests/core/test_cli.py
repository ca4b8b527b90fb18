"""The headless command line: JSON, blocks, exit statuses, one-line errors, no Qt."""

import json
import os
import subprocess
import sys

import pytest

from viewer.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "viewer", *args], capture_output=True, text=True, timeout=120
    )


def run_code(code: str) -> subprocess.CompletedProcess[str]:
    """Python code run in a fresh interpreter (what a process imports, how it ends)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_seed_pair_json_end_to_end(seed_paths, tmp_path):
    out = tmp_path / "seed.json"
    assert main([str(seed_paths[0]), str(seed_paths[1]), "--json", str(out)]) == 1
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "article-diff/1"
    groups = doc["alignment"]
    assert {"left": [1, 2], "right": [1]}.items() <= next(
        g for g in groups if g["relation"] == "merged"
    ).items()
    kinds = [(c["kind"], c["left_text"], c["right_text"]) for c in doc["changes"]]
    assert ("replace", "stated", "said") in kinds
    # the unrelated tail (spun article's last part vs the appeal and teasers) stays unmatched
    paired_right = {j for g in groups if g["left"] for j in g["right"]}
    assert not paired_right & set(range(12, 30))
    for side in ("left", "right"):
        text_blocks = doc[side]["blocks"]
        for change in doc["changes"]:
            a, b = change[side]
            joined = "\n".join(bl["text"] for bl in text_blocks)
            assert joined[a:b] == change[f"{side}_text"]
    stats = doc["stats"]
    assert 0 < stats["similarity"] < 1 and stats["rewrite_rate"] > 0.2


def test_json_to_stdout_and_identical_files(seed_paths):
    proc = run(str(seed_paths[0]), str(seed_paths[0]), "--json", "-")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["changes"] == [] and doc["stats"]["similarity"] == 1.0


def test_options_change_what_counts(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("The Minister said “yes”.\n", encoding="utf-8")
    b.write_text('the minister said "yes".\n', encoding="utf-8")
    out = tmp_path / "o.json"
    assert main([str(a), str(b), "--json", str(out)]) == 1
    assert main([str(a), str(b), "--json", str(out), "--ignore-case", "--fold-typography"]) == 0
    assert json.loads(out.read_text())["options"]["ignore_case"] is True


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "folder"),
    ],
)
def test_bad_input_is_one_line_with_status_2(tmp_path, seed_paths, make, message):
    bad = make(tmp_path)
    proc = run(str(bad), str(seed_paths[0]), "--json", "-")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and message in lines[0]
    assert "Traceback" not in proc.stderr


def test_refuses_to_overwrite_an_input(seed_paths, tmp_path):
    left = tmp_path / "left.txt"
    left.write_bytes(seed_paths[0].read_bytes())
    before = left.read_bytes()
    assert main([str(left), str(seed_paths[1]), "--json", str(left)]) == 2
    assert left.read_bytes() == before


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--bogus"])
    assert exc.value.code == 2
    assert main(["only-one.txt", "--json", "-"]) == 2
    assert "needs LEFT and RIGHT" in capsys.readouterr().err


def test_blocks_one_json_line_per_file_and_bad_files_reported(seed_paths, tmp_path):
    proc = run("--blocks", str(seed_paths[0]), str(tmp_path / "nope.txt"), str(seed_paths[1]))
    assert proc.returncode == 2
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [x["path"] for x in lines] == [
        str(seed_paths[0]),
        str(tmp_path / "nope.txt"),
        str(seed_paths[1]),
    ]
    assert lines[1] == {"path": str(tmp_path / "nope.txt"), "error": "no such file", "blocks": []}
    assert "nope.txt" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    left_blocks = lines[0]["blocks"]
    assert left_blocks[-1]["text"] == "bur-jj/gv"
    assert left_blocks[-1]["extraneous"]["category"]


def test_headless_modes_never_import_qt(seed_paths):
    code = (
        "import sys\n"
        "from viewer.cli import main\n"
        f"main([{str(seed_paths[0])!r}, {str(seed_paths[1])!r}, '--json', '/dev/null'])\n"
        f"main(['--blocks', {str(seed_paths[0])!r}])\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'\n"
    )
    proc = run_code(code)
    assert proc.returncode == 0, proc.stderr


def test_headless_runs_import_nothing_they_do_not_use(seed_paths, tmp_path):
    # Every module costs every start: tempfile (random, hashlib) and shutil (zlib, bz2,
    # lzma; argparse's formatter imports it to measure the terminal) are not needed; nor
    # are orjson (uuid, platform, datetime: 12 ms) where the C writer writes the JSON,
    # pickle where the forked detection sends its verdicts marshalled, and json (the
    # stopword list is plain text).
    from viewer.core.compare import PARALLEL_MIN_BYTES
    from viewer.core.native import native

    unused = ["tempfile", "shutil", "random"] + (["orjson", "pickle"] if native else [])
    large = []  # large enough that detection runs in a forked child
    for k, path in enumerate(seed_paths):
        text = path.read_text(encoding="utf-8")
        large.append(tmp_path / f"{k}.txt")
        large[-1].write_text(text * (PARALLEL_MIN_BYTES // len(text) + 1), encoding="utf-8")
    # json too, for the large pair: the detector reads its JSON tables in the child
    for pair, names in ((seed_paths, unused), (large, unused + (["json"] if native else []))):
        args = [str(pair[0]), str(pair[1]), "--json", str(tmp_path / "o.json")]
        code = (
            "import sys\n"
            "before = set(sys.modules)\n"
            "from viewer.cli import main\n"
            f"main({args!r})\n"
            f"print(sorted(set({names!r}) & (set(sys.modules) - before)))\n"
        )
        proc = run_code(code)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == "[]"


def test_one_shot_runs_never_import_inspect_and_it_still_works(seed_paths):
    # dataclasses imports inspect (with ast, dis, tokenize) only to write docstrings; a
    # one-shot process has a stand-in that imports it on first use instead.
    code = (
        "import sys\n"
        "from viewer.core import oneshot\n"
        "from viewer.cli import main\n"
        "oneshot.begin()\n"
        f"main([{str(seed_paths[0])!r}, {str(seed_paths[1])!r}, '--json', '/dev/null'])\n"
        "print(sorted({'ast', 'dis', 'tokenize'} & set(sys.modules)))\n"
        "import inspect\n"
        "print(inspect.signature(main))\n"
        "real = sys.modules['inspect']\n"
        "print(real is not inspect, 'getsource' in vars(real))\n"
    )
    proc = run_code(code)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "[]"
    assert lines[1].startswith("(argv: 'Sequence[str] | None' = None")
    assert lines[2] == "True True"  # the real module took the stand-in's place


def test_help_fits_the_terminal(seed_paths):
    proc = subprocess.run(
        [sys.executable, "-m", "viewer", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "60"},
    )
    assert proc.returncode == 0
    assert "--hide-extraneous" in proc.stdout and "--json OUT" in proc.stdout
    assert max(len(line) for line in proc.stdout.splitlines()[5:]) <= 60


def test_window_without_a_display_is_one_line_not_an_abort(seed_paths):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        [sys.executable, "-m", "viewer", "--demo"], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("article-diff: no display") and len(proc.stderr.splitlines()) == 1


def test_undecodable_file_name_still_gives_valid_json(tmp_path, seed_paths):
    # A name that is not UTF-8 reaches Python as surrogate escapes: the JSON escapes them.
    name = tmp_path / os.fsdecode(b"caf\xe9.txt")
    name.write_bytes(seed_paths[0].read_bytes())
    proc = subprocess.run(
        [sys.executable, "-m", "viewer", "--blocks", os.fsencode(name)],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    line = json.loads(proc.stdout)
    assert line["path"] == str(name) and line["blocks"]
    out = tmp_path / "out.json"
    assert main([str(name), str(seed_paths[1]), "--json", str(out)]) == 1
    assert json.loads(out.read_bytes())["left"]["path"] == str(name)


def test_cycle_collector_is_back_on_after_a_comparison(seed_paths, tmp_path):
    import gc

    assert main([str(seed_paths[0]), str(seed_paths[1]), "--json", str(tmp_path / "o.json")]) == 1
    assert gc.isenabled()
    missing = tmp_path / "missing.txt"
    assert main([str(missing), str(seed_paths[1]), "--json", str(tmp_path / "p.json")]) == 2
    assert gc.isenabled()


def test_one_shot_headless_run_flushes_everything_then_leaves_without_teardown(seed_paths):
    # The console script's headless runs end the process once output is flushed: whatever
    # was written (a large JSON on stdout, warnings on stderr) arrives whole, the status is
    # diff's, no cycle collection runs once the comparison starts, and no teardown (the
    # atexit line never appears).
    code = (
        "import atexit, gc, sys\n"
        "from viewer.cli import main\n"
        "atexit.register(print, 'teardown')\n"
        # (a collection may come while main parses its arguments, before it turns the
        # collector off; the comparison's modules are imported after that)
        "gc.callbacks.append(lambda phase, info: 'viewer.core.compare' in sys.modules\n"
        "                    and sys.stderr.write('collected\\n'))\n"
        "sys.stdout.write('before ')\n"
        f"main([{str(seed_paths[0])!r}, {str(seed_paths[1])!r}, '--json', '-'], one_shot=True)\n"
        "print('not reached')\n"
    )
    proc = run_code(code)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("before {")
    doc = json.loads(proc.stdout[len("before ") :])
    assert doc["format"] == "article-diff/1" and doc["changes"]
    assert "teardown" not in proc.stdout and "not reached" not in proc.stdout
    assert "collected" not in proc.stderr


def test_in_process_main_returns_and_changes_nothing_for_the_caller(seed_paths, tmp_path):
    # Tests and embedding callers get a status back; the process goes on.
    out = tmp_path / "out.json"
    assert main([str(seed_paths[0]), str(seed_paths[1]), "--json", str(out)]) == 1
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "article-diff/1"
