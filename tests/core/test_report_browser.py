"""A real browser opens the report: headless Chromium from Debian's ``chromium`` package.

Skipped when Chromium is not installed (``apt-get install -y chromium``). Chromium runs
with a throwaway profile, no network features and console logging to stderr, so a
script error, a blocked request (CSP "Refused to ...") or a failed load would show up.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from viewer.core import notes as N
from viewer.core.compare import compare_files
from viewer.core.export import export_report
from viewer.core.model import CompareOptions
from viewer.core.session import new_session, save_session

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Chromium not installed (apt-get install chromium)"
    ),
]
FLAGS = [
    "--headless",
    "--no-sandbox",  # tests run as root in CI containers
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
]
# Console messages (script errors, CSP "Refused to ..." or "violates" reports) and load
# failures of the page; Chromium's own chatter (D-Bus, GPU, fonts) is ignored.
BAD = ("CONSOLE", "Uncaught", "Refused to", "Failed to load resource")


def _chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _page_errors(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if any(bad in line for bad in BAD) or ("ERR_" in line and "file://" in line)
    ]


@pytest.fixture
def annotated_report(seed_paths: tuple[Path, Path], tmp_path: Path) -> Path:
    """The seed pair's report with a session: notes on a change, a block and the whole."""
    c = compare_files(*seed_paths)
    change = next(ch for ch in c.changes if ch.kind == "replace")
    notes = (
        N.note_for_change(c, change.id, "**Reworded** by the spinner; meaning kept."),
        N.note_for_block(c, "right", len(c.right.blocks) - 1, "Teaser from another page."),
        N.note_for_comparison("Machine-spun copy of the agency story; see the *changes* list."),
    )
    session = tmp_path / "review.json"
    save_session(new_session(*seed_paths, CompareOptions(), notes), session)
    out = tmp_path / "report.html"
    export_report(*seed_paths, out, CompareOptions(), session_path=session)
    return out


def test_report_screenshot_without_console_errors(annotated_report: Path, tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    run = _chromium(tmp_path, annotated_report, f"--screenshot={png}", "--window-size=1400,2000")
    assert png.is_file(), run.stderr[-2000:]
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    assert _page_errors(run.stderr) == []


def test_report_dom_loads_without_script(annotated_report: Path, tmp_path: Path) -> None:
    run = _chromium(tmp_path, annotated_report, "--dump-dom")
    dom = run.stdout
    assert 'id="group-0"' in dom and 'id="change-1"' in dom
    assert "<script" not in dom.lower()
    assert _page_errors(run.stderr) == []


def test_hostile_report_runs_nothing_in_a_browser(tmp_path: Path) -> None:
    left, right = tmp_path / "a.md", tmp_path / "b.txt"
    left.write_text("Hi <script>document.title='pwned'</script> <img src=x onerror=alert(1)>\n")
    right.write_text("Hi <script>document.title='pwned'</script> there\n")
    out = tmp_path / "hostile.html"
    export_report(left, right, out, CompareOptions())
    run = _chromium(tmp_path, out, "--dump-dom")
    assert "pwned</title>" not in run.stdout
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in run.stdout
    assert _page_errors(run.stderr) == []
