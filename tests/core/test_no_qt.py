"""viewer/core imports no Qt: the engine runs and is tested without a display."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import viewer.core

CORE = Path(viewer.core.__file__).parent


def test_core_sources_do_not_mention_qt():
    for path in CORE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "PySide" not in text and "PyQt" not in text, path


def test_importing_every_core_module_loads_no_qt():
    names = [f"viewer.core.{m.name}" for m in pkgutil.iter_modules([str(CORE)])]
    code = "import importlib, sys\n"
    code += "".join(f"importlib.import_module({n!r})\n" for n in names)
    code += "assert not [m for m in sys.modules if m.startswith(('PySide', 'shiboken'))]\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
