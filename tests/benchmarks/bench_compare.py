"""Speed and memory of the comparison engine, against baselines measured in the same run.

Run by hand: ``python tests/benchmarks/bench_compare.py [--runs N]``. Prints medians and
ratios; asserts nothing. Needs ../shared/corpus for the large pair (real paragraphs).

1. The seed pair compared in-process (load excluded), against diff-match-patch on the
   whole seed texts in character mode and on word tokens.
2. A ~1 MB pair (about 3,000 paragraphs, a third rewritten, some moved, merged, split,
   boilerplate inserted) end to end through ``article-diff L R --json OUT`` with process
   start, against ``git diff --no-index --word-diff`` on the same files (runs interleaved),
   and its peak memory. The program runs as installed in a clean venv (clean_python), again
   in this interpreter, whose own start-up hooks the user would not have, and in a clean
   venv of Debian's own python3 where that is another build of the same version;
   then the phases of that run, each in fresh processes and alone (fastest of the runs):
   what the parent does (load, send the block texts, align + diff, word counts, JSON) and
   what the forked child does in parallel (receive the block texts, detection).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import venv
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from diff_match_patch import diff_match_patch  # noqa: E402

from tests.benchmarks.pairgen import (  # noqa: E402
    alignment_accuracy,
    corpus_paragraphs,
    make_pair,
    write_pair,
)
from viewer.core.compare import compare  # noqa: E402
from viewer.core.extraneous import annotate_pair  # noqa: E402
from viewer.core.loading import load_article  # noqa: E402
from viewer.core.model import CompareOptions  # noqa: E402
from viewer.core.worddiff import _Encoder, tokenize  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "wcxb-dev"
# What the `article-diff` console script runs.
CONSOLE_SCRIPT = "import sys; from viewer.cli import run; sys.exit(run())"
# What `--json` imports before reading a byte of the articles (the forked child imports
# the detector after that, in parallel).
IMPORTS = "import viewer.cli, viewer.core.compare, viewer.core.jsonout, viewer.core.forked"
# The phases of one `--json` run, timed in a fresh process with the collector paused as the
# command line pauses it; each prints its milliseconds.
PHASES = """
import marshal, sys, time
from viewer.core.collector import collector_paused
from viewer.core import compare as C
from viewer.core.detect_job import block_texts, texts_verdicts
from viewer.core.forked import _dumps, _loads
from viewer.core.jsonout import encode_comparison
from viewer.core.loading import load_article
from viewer.core.model import CompareOptions
with collector_paused():
    t0 = time.perf_counter()
    left, right = load_article(sys.argv[1]), load_article(sys.argv[2])
    t1 = time.perf_counter()
    sent = _dumps(block_texts(left, right))
    t2 = time.perf_counter()
    if sys.argv[3] == "parent":
        options = CompareOptions()
        diffed = C.align_and_diff(left, right, options)
        t3 = time.perf_counter()
        counts = C.word_counts(left, right, diffed)
        t4 = time.perf_counter()
        encode_comparison(C.assemble(left, right, options, diffed, counts))
        t5 = time.perf_counter()
        print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)
    else:
        import viewer.core.extraneous
        t2 = time.perf_counter()
        texts = _loads(sent)
        t3 = time.perf_counter()
        texts_verdicts(lambda: texts)
        print(t3 - t2, time.perf_counter() - t3)
"""


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def phase_times(left: Path, right: Path, side: str) -> list[float]:
    """Seconds of each phase of one side of a `--json` run, in a fresh process (PHASES)."""
    cmd = [sys.executable, "-c", PHASES, str(left), str(right), side]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return [float(x) for x in out.split()]


def dmp_chars(a: str, b: str, timeout: float) -> int:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = timeout
    return len(dmp.diff_main(a, b))


def dmp_words(a: str, b: str) -> int:
    enc = _Encoder(CompareOptions())
    x, y = enc.encode(tokenize(a)), enc.encode(tokenize(b))
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(x, y, False)
    dmp.diff_cleanupSemantic(diffs)
    return len(diffs)


def clean_python(folder: Path, base: str | None = None) -> str:
    """An interpreter that runs the program as `pip install .` into a fresh venv would.

    A venv seeing the installed dependencies and this checkout through one .pth file of
    paths: the .pth hooks of this interpreter's own site-packages (an editable install's
    finder, this machine's certificate hook: 35-60 ms at every start here) do not run,
    as they would not for a user. The program itself comes from wherever it is installed,
    or from this checkout (with its C extension built in place by an editable install).
    ``base``: another CPython of the same version to make the venv from (the dependencies
    and the extension are built for the version, not the build).
    """
    if base is None:
        venv.create(folder, with_pip=False)
    else:
        subprocess.run([base, "-m", "venv", "--without-pip", str(folder)], check=True)
    paths = sysconfig.get_paths()
    python = str(folder / "bin" / "python")
    query = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(
        subprocess.run(
            [python, "-c", query], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    lines = dict.fromkeys([paths["purelib"], paths["platlib"], str(ROOT)])
    (site / "article_diff_bench.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return python


def system_python() -> str | None:
    """Debian's own python3 when it is another build of this version (what the README's
    commands run on a fresh Debian machine; this machine's default is a pyenv build)."""
    system = "/usr/bin/python3"
    if not os.path.exists(system) or os.path.realpath(system) == os.path.realpath(sys.executable):
        return None
    query = "import sys; print(sys.version_info[:2])"
    found = subprocess.run([system, "-c", query], capture_output=True, text=True)
    return system if found.stdout.strip() == str(sys.version_info[:2]) else None


def run_peak(cmd: list[str]) -> tuple[float, int]:
    """Wall time and peak resident memory (KiB) of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return elapsed, usage.ru_maxrss


def bench_seed(runs: int) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    left, right = (load_article(p) for p in seeds)
    left, right = annotate_pair(left, right)
    ours = median_time(lambda: compare(left, right), max(runs, 20))
    detect = median_time(lambda: annotate_pair(left, right), max(runs, 20))
    words = median_time(lambda: dmp_words(left.text, right.text), runs)
    chars = median_time(lambda: dmp_chars(left.text, right.text, 0.0), min(runs, 3))
    print("Seed pair, in-process, median")
    print(f"  article-diff compare (align + word diff + stats) {ours * 1000:8.1f} ms")
    print(f"  article-diff extraneous detection, both sides    {detect * 1000:8.1f} ms")
    print(
        f"  diff-match-patch, whole texts, word tokens       {words * 1000:8.1f} ms"
        f"   ({words / ours:5.1f}x ours)"
    )
    print(
        f"  diff-match-patch, whole texts, character mode    {chars * 1000:8.1f} ms"
        f"   ({chars / ours:5.1f}x ours)"
    )


def bench_large(runs: int) -> None:
    if not CORPUS.is_dir():
        print(f"Large pair skipped: {CORPUS} not found")
        return
    pair = make_pair(corpus_paragraphs(CORPUS, 1_000_000))
    with tempfile.TemporaryDirectory() as tmp:
        a, b = write_pair(pair, Path(tmp))
        out = Path(tmp) / "out.json"
        size = (a.stat().st_size + b.stat().st_size) / 2 / 1e6
        clean = clean_python(Path(tmp) / "venv")
        system = system_python()
        debian = clean_python(Path(tmp) / "venv-debian", system) if system else None
        args = [str(a), str(b), "--json", str(out)]
        ours_cmd = [clean, "-c", CONSOLE_SCRIPT, *args]
        here_cmd = [sys.executable, "-c", CONSOLE_SCRIPT, *args]
        git_cmd = ["git", "diff", "--no-index", "--word-diff", str(a), str(b)]
        ours, here, git, deb = [], [], [], []
        for _ in range(runs):  # interleaved: the machine's speed drifts, the ratios do not
            ours.append(run_peak(ours_cmd))
            here.append(run_peak(here_cmd))
            if debian:
                deb.append(run_peak([debian, "-c", CONSOLE_SCRIPT, *args]))
            git.append(run_peak(git_cmd))
        bare = [run_peak([clean, "-c", "pass"]) for _ in range(runs)]
        start = [run_peak([clean, "-c", IMPORTS]) for _ in range(runs)]
        phases = {
            side: [phase_times(a, b, side) for _ in range(runs)] for side in ("parent", "child")
        }
        la, lb = annotate_pair(load_article(a), load_article(b))
        chars = median_time(lambda: dmp_chars(la.text, lb.text, 1.0), 1)
        c = compare(la, lb)
        acc = alignment_accuracy(pair, [(g.left, g.right) for g in c.groups])
    o = statistics.median(t for t, _ in ours)
    h = statistics.median(t for t, _ in here)
    g = statistics.median(t for t, _ in git)
    s = statistics.median(t for t, _ in start)
    p = statistics.median(t for t, _ in bare)
    peak = max(m for _, m in ours) / 1024
    print(f"\n~{size:.2f} MB pair ({len(pair.left)} / {len(pair.right)} paragraphs),", end=" ")
    print(f"median of {runs}")
    print(
        f"  article-diff L R --json OUT, process start incl. {o * 1000:8.0f} ms   "
        f"({o / g:5.1f}x git)"
    )
    print(
        f"    the same in this interpreter (its .pth hooks)  {h * 1000:8.0f} ms   "
        f"({h / g:5.1f}x git)"
    )
    if deb:
        d = statistics.median(t for t, _ in deb)
        print(
            f"    the same with {system} (Debian's build)  {d * 1000:8.0f} ms   ({d / g:5.1f}x git)"
        )
    print(f"    of which Python start + imports              {s * 1000:8.0f} ms")
    print(
        f"      of which an empty Python (python -c pass)  {p * 1000:8.0f} ms   ({p / g:5.1f}x git)"
    )
    parent = [min(col) * 1000 for col in zip(*phases["parent"], strict=True)]
    child = [min(col) * 1000 for col in zip(*phases["child"], strict=True)]
    print("    phases, each alone in fresh processes (fastest of the runs):")
    print(
        f"      parent: load {parent[0]:.0f} ms, block texts sent {parent[1]:.0f} ms, "
        f"align + diff {parent[2]:.0f} ms, word counts {parent[3]:.0f} ms, "
        f"JSON {parent[4]:.0f} ms"
    )
    print(
        f"      forked child, in parallel: block texts received {child[0]:.0f} ms, "
        f"detection {child[1]:.0f} ms"
    )
    print(f"  git diff --no-index --word-diff                {g * 1000:8.0f} ms")
    print(
        f"  diff-match-patch char mode, default 1 s deadline {chars * 1000:6.0f} ms"
        "   (gives up silently at the deadline)"
    )
    print(f"  peak memory of article-diff                    {peak:8.0f} MB")
    print(f"  alignment accuracy against the generator's truth {acc:7.2%}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    # An installed wheel carries compiled bytecode; an editable install compiles on first
    # import, and never keeps it where PYTHONDONTWRITEBYTECODE is set. Compile it as pip would.
    compileall.compile_dir(ROOT / "viewer", quiet=1)
    bench_seed(args.runs)
    bench_large(args.runs)


if __name__ == "__main__":
    main()
