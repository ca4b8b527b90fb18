"""The real window once, on a virtual X server through the xcb platform plugin."""

import os
import shutil
import subprocess
import sys

import pytest


@pytest.mark.xvfb
def test_demo_screenshot_under_xvfb(tmp_path):
    if shutil.which("Xvfb") is None or shutil.which("xvfb-run") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb xauth, see docs/window.md)")
    out = tmp_path / "out.png"
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    env.pop("DISPLAY", None)
    command = [
        "xvfb-run",
        "-a",
        "-s",
        "-screen 0 1600x1000x24",
        sys.executable,
        "-m",
        "viewer",
        "--demo",
        "--screenshot",
        str(out),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 50_000
