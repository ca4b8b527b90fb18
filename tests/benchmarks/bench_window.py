"""Window benchmarks: run by hand, print the figures the README quotes.

    python tests/benchmarks/bench_window.py            # all figures
    QT_QPA_PLATFORM=xcb xvfb-run -a python tests/benchmarks/bench_window.py

Figures: seed pair painted after process start; a ~1 MB pair painted after the
request, the longest event-loop stall meanwhile, next-change time, peak memory.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def make_big_pair(directory: Path, paragraphs: int = 3000, seed: int = 7) -> tuple[Path, Path]:
    """~1 MB per side: edited, rewritten, deleted, inserted and moved paragraphs."""
    rng = random.Random(seed)
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    words = re.findall(r"\w+", " ".join(p.read_text(encoding="utf-8") for p in seeds))

    def para() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(45, 70))).capitalize() + "."

    left = [para() for _ in range(paragraphs)]
    right: list[str] = []
    for text in left:
        roll = rng.random()
        if roll < 0.04:
            continue  # deleted
        if roll < 0.08:
            right.append(para())  # inserted
        tokens = text.split()
        for _ in range(rng.randint(0, 3) if roll < 0.9 else 15):
            tokens[rng.randrange(len(tokens))] = rng.choice(words)
        right.append(" ".join(tokens))
    for _ in range(20):  # moves
        right.insert(rng.randrange(len(right)), right.pop(rng.randrange(len(right))))
    lp, rp = directory / "big_left.txt", directory / "big_right.txt"
    lp.write_text("\n\n".join(left) + "\n", encoding="utf-8")
    rp.write_text("\n\n".join(right) + "\n", encoding="utf-8")
    return lp, rp


def seed_startup() -> float:
    """Seconds from process start to the seed pair painted (median of 3 runs)."""
    times = []
    for _ in range(3):
        env = dict(os.environ, ARTICLE_DIFF_TIMING="1")
        with tempfile.TemporaryDirectory() as tmp:
            start = time.monotonic()
            out = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "viewer",
                    "--demo",
                    "--screenshot",
                    str(Path(tmp) / "s.png"),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
        shown = [
            float(line.split()[1]) for line in out.stderr.splitlines() if line.startswith("shown ")
        ]
        times.append(shown[0] - start)
    return sorted(times)[1]


def big_run(left: str, right: str) -> dict[str, float]:
    """In this process: paint time, longest stall, next-change time, peak memory."""
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer

    from viewer.ui.app import make_application
    from viewer.ui.main_window import MainWindow
    from viewer.ui.settings import Settings

    app = make_application()
    tmp = tempfile.mkdtemp()
    win = MainWindow(
        Settings(QSettings(f"{tmp}/s.ini", QSettings.Format.IniFormat)), dialogs_enabled=False
    )
    win.resize(1480, 900)
    win.show()
    app.processEvents()
    clock, ticks = QElapsedTimer(), QTimer()
    stalls: list[tuple[float, float]] = [(0.0, 0.0)]  # (when, stall) in ms
    last = [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        stalls.append((now, now - last[0] - ticks.interval()))
        last[0] = now

    ticks.setInterval(5)
    ticks.timeout.connect(tick)
    result: dict[str, float] = {}
    win.worker.comparison_ready.connect(
        lambda _: result.setdefault("ready", clock.nsecsElapsed() / 1e9)
    )
    win.comparison_shown.connect(
        lambda: (result.setdefault("paint", clock.nsecsElapsed() / 1e9), app.quit())
    )
    win.error_reported.connect(lambda m: (print(m, file=sys.stderr), app.quit()))
    clock.start()
    ticks.start()
    win.open_files(left, right)
    app.exec()
    ticks.stop()
    ready_ms = result["ready"] * 1000
    result["stall_ms"] = max(s for _, s in stalls)
    result["stall_compare_ms"] = max(s for t, s in stalls if t <= ready_ms)
    result["stall_ui_ms"] = max([s for t, s in stalls if t > ready_ms] or [0.0])
    result["changes"] = len(win.presentation.comparison.changes)
    step = win.actions_by_id["go.next_change"]
    durations = []
    for _ in range(200):
        t = time.perf_counter()
        step.trigger()
        win.repaint()  # synchronous: panes, gutter, overview, sidebar
        durations.append((time.perf_counter() - t) * 1000)
    result["next_change_ms_median"] = sorted(durations)[len(durations) // 2]
    result["next_change_ms_max"] = max(durations)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def real_text_pair(directory: Path) -> tuple[Path, Path] | None:
    """The compare benchmark's ~1 MB pair of real paragraphs (needs ../shared/corpus)."""
    corpus = ROOT.parent / "shared" / "corpus" / "wcxb-dev"
    if not corpus.is_dir():
        return None
    sys.path.insert(0, str(ROOT))
    from tests.benchmarks.pairgen import corpus_paragraphs, make_pair, write_pair

    return write_pair(make_pair(corpus_paragraphs(corpus, 1_000_000)), directory)


def report_big(label: str, left: Path, right: Path) -> None:
    """Paint one large pair in a fresh process and print its figures."""
    size = (left.stat().st_size + right.stat().st_size) / 2 / 1e6
    out = subprocess.run(
        [sys.executable, __file__, "--big", str(left), str(right)],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        print(out.stderr[-3000:])
        return
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{label}: {size:.2f} MB pair ({r['changes']} changes)")
    print(f"  painted {r['paint']:.2f} s after the request")
    print(
        f"  of which the core's compare_files in the worker: {r['ready']:.2f} s; "
        f"building and painting the panes: {r['paint'] - r['ready']:.2f} s"
    )
    print(
        f"  longest event-loop stall meanwhile: {r['stall_ms']:.0f} ms "
        f"(while the worker compares: {r['stall_compare_ms']:.0f} ms; "
        f"while the window builds: {r['stall_ui_ms']:.0f} ms)"
    )
    print(
        f"  next change: median {r['next_change_ms_median']:.1f} ms, "
        f"max {r['next_change_ms_max']:.1f} ms"
    )
    print(f"  peak memory of that process: {r['peak_mb']:.0f} MB")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--big":
        print(json.dumps(big_run(sys.argv[2], sys.argv[3])))
        return
    print(f"seed pair painted {seed_startup():.2f} s after process start (median of 3)")
    with tempfile.TemporaryDirectory() as tmp:
        real = real_text_pair(Path(tmp) / "real")
        if real is not None:
            report_big("real text (corpus paragraphs, a third spun)", *real)
        synthetic = Path(tmp) / "synthetic"
        synthetic.mkdir()
        report_big("stress: random bags of the seeds' 600 words", *make_big_pair(synthetic))


if __name__ == "__main__":
    main()
