"""The shipped extraneous-block model: binned logistic regressions read from JSON.

Each feature is cut into a few bins and every bin has a weight (an additive model,
so a feature may act non-monotonically, e.g. very short and very long blocks). A block's
logit is the bias plus one weight per feature; evaluating it is a bisection and a tuple
look-up per feature, run in C through ``map`` (it is called twice for every block of every
page), so no numerical library is needed at run time; ``logits`` evaluates whole pages in
the C extension where it is built. ``scripts/train_extraneous.py`` writes
the file reproducibly from the development corpus.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from operator import getitem
from typing import NamedTuple

from viewer.core.native import native as _native
from viewer.resources import read_text

MODEL_FILE = ("extraneous", "model.json")


class BinnedLogit(NamedTuple):
    """Bias plus, per feature, bin edges and one weight per bin."""

    names: tuple[str, ...]
    bias: float
    edges: tuple[tuple[float, ...], ...]
    weights: tuple[tuple[float, ...], ...]

    def logit(self, row: Sequence[float]) -> float:
        """Log-odds that the block is article body.

        The bias plus each feature's bin weight, added left to right: on Python 3.11
        ``sum`` adds floats in order like a plain loop (3.12 compensates rounding,
        which can move the last bits only).
        """
        if len(row) != len(self.edges):
            raise ValueError(f"expected {len(self.edges)} features, got {len(row)}")
        bins = map(bisect_right, self.edges, row)
        return sum(map(getitem, self.weights, bins), self.bias)

    def logits(self, rows: Sequence[Sequence[float]], *, native: bool = True) -> list[float]:
        """``logit`` of each row: in C where the extension is built (``native``), the
        same values (bisections and additions in the same order, on doubles)."""
        if native and _native is not None:
            values: list[float] = _native.binned_logits(rows, self.edges, self.weights, self.bias)
            return values
        return [self.logit(row) for row in rows]

    @classmethod
    def from_json(cls, data: dict[str, object]) -> BinnedLogit:
        feats = data["features"]
        assert isinstance(feats, list)
        return cls(
            names=tuple(str(f["name"]) for f in feats),
            bias=float(data["bias"]),  # type: ignore[arg-type]
            edges=tuple(tuple(float(e) for e in f["edges"]) for f in feats),
            weights=tuple(tuple(float(w) for w in f["weights"]) for f in feats),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "bias": round(self.bias, 6),
            "features": [
                {
                    "name": n,
                    "edges": [round(e, 6) for e in ed],
                    "weights": [round(w, 6) for w in ws],
                }
                for n, ed, ws in zip(self.names, self.edges, self.weights, strict=True)
            ],
        }


class ExtraneousModel(NamedTuple):
    """Local model, context model and the decision threshold on the body probability."""

    local: BinnedLogit
    context: BinnedLogit
    threshold: float


def sigmoid(x: float) -> float:
    """Logistic function, safe for large magnitudes."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@lru_cache(maxsize=1)
def load_model() -> ExtraneousModel:
    """The model shipped in resources/extraneous/model.json (read once)."""
    data = json.loads(read_text(*MODEL_FILE))
    return ExtraneousModel(
        local=BinnedLogit.from_json(data["local"]),
        context=BinnedLogit.from_json(data["context"]),
        threshold=float(data["threshold"]),
    )
