import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SHARED = ROOT.parent / "shared"


@pytest.fixture
def seed_paths() -> tuple[Path, Path]:
    """The bundled demo pair: left is the machine-rewritten copy, right the agency original."""
    return SEEDS[0], SEEDS[1]
