#!/usr/bin/env python3
"""Train the extraneous-block model shipped in resources/extraneous/model.json.

Reproducible: deterministic features, fixed split, deterministic L-BFGS fit.
Data: the WCXB development corpus in ../shared/corpus/wcxb-dev (plain text, one
paragraph per line, with the benchmark's gold snippets). Needs numpy and scipy
(training only; the shipped model is evaluated in pure Python).

Labels, from the gold snippets (matched with the scorer's normalisation):
  body        a line containing a `with` snippet (or contained in one);
  boilerplate a line matching a `without` snippet;
  weak labels unlabelled lines between the first and last body line count as body,
              lines more than 3 lines outside that span as boilerplate, at lower weight.

Protocol: fit on even-numbered pages, report the benchmark metric on the odd ones
(held out), then refit on all pages and write the model with both sets of figures.

    python scripts/train_extraneous.py [--corpus DIR] [--out FILE] [--heldout-only]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import re
import sys
import unicodedata
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from viewer.core import extraneous  # noqa: E402
from viewer.core.extraneous_features import (  # noqa: E402
    CONTEXT_NAMES,
    LOCAL_NAMES,
    context_features,
    page_local_features,
)
from viewer.core.extraneous_model import BinnedLogit, ExtraneousModel  # noqa: E402

FEATURE_SRC = [
    ROOT / "viewer/core/extraneous_features.py",
    ROOT / "viewer/core/extraneous_phrases.py",
    ROOT / "resources/extraneous/phrases.json",
    ROOT / "resources/extraneous/stopwords.txt",
]

WS = re.compile(r"\s+")
ZW = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
FOLD = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u2026": "...",
    }
)
BULLET = re.compile(r"^(?:[*\u2022\u25cf\u25aa-]|\d+\.)\s+")
SPACE_PUNCT = re.compile(r" +([,.;:!?)])")
W_WEAK_IN, W_WEAK_OUT, L2 = 0.3, 0.3, 1.0
MAX_BINS = 8
CACHE = Path("/tmp/article-diff-extraneous-cache")


def fold(t: str) -> str:
    """The scorer's snippet normalisation (score_extraneous.py)."""
    t = unicodedata.normalize("NFKC", ZW.sub("", WS.sub(" ", t).strip())).translate(FOLD)
    return SPACE_PUNCT.sub(r"\1", WS.sub(" ", BULLET.sub("", t))).strip()


def load_pages(corpus: Path) -> list[dict]:
    pages = []
    for line in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        text = (corpus / g["file"]).read_text(encoding="utf-8")
        g["lines"] = [s.strip() for s in text.splitlines() if s.strip()]
        pages.append(g)
    return pages


def labels(page: dict) -> tuple[list[float], list[float]]:
    """Target (1 body, 0 boilerplate) and weight per line; weight 0 = unlabelled."""
    with_ = [fold(w) for w in page["with"]]
    without = [fold(w) for w in page["without"]]
    lab: list[int | None] = []
    for line in page["lines"]:
        f = fold(line)
        if any(w in f or (len(f) >= 15 and f in w) for w in with_):
            lab.append(1)
        elif any((o in f and len(o) >= 0.5 * len(f)) or f in o for o in without):
            lab.append(0)
        else:
            lab.append(None)
    body = [i for i, x in enumerate(lab) if x == 1]
    a, b = (body[0], body[-1]) if body else (1, 0)
    y, w = [], []
    for i, x in enumerate(lab):
        if x is not None:
            y.append(float(x)), w.append(1.0)
        elif a <= i <= b:
            y.append(1.0), w.append(W_WEAK_IN)
        elif body and (i < a - 3 or i > b + 3):
            y.append(0.0), w.append(W_WEAK_OUT)
        else:
            y.append(0.0), w.append(0.0)
    return y, w


def make_edges(x: np.ndarray) -> list[float]:
    values = np.unique(x)
    if len(values) <= MAX_BINS:
        return [float(v) for v in (values[:-1] + values[1:]) / 2]
    qs = np.quantile(x, np.linspace(0, 1, MAX_BINS + 1)[1:-1])
    return sorted({float(q) for q in qs})


def fit_binned(names, X: np.ndarray, y: np.ndarray, w: np.ndarray) -> BinnedLogit:
    """L2-regularised weighted logistic regression on one-hot bins."""
    edges = [make_edges(X[:, j]) for j in range(X.shape[1])]
    cols, offsets = [], [0]
    for j, ed in enumerate(edges):
        idx = np.searchsorted(np.array(ed), X[:, j], side="right")
        oh = np.zeros((len(X), len(ed) + 1))
        oh[np.arange(len(X)), idx] = 1.0
        cols.append(oh)
        offsets.append(offsets[-1] + len(ed) + 1)
    H = np.hstack(cols)
    ws = w / w.sum() * len(w)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = H @ theta[1:] + theta[0]
        p = 1 / (1 + np.exp(-z))
        eps = 1e-12
        ll = -(ws * (y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))).sum()
        g = ws * (p - y)
        grad = np.concatenate([[g.sum()], H.T @ g + L2 * theta[1:]])
        return ll + 0.5 * L2 * (theta[1:] ** 2).sum(), grad

    res = minimize(
        loss, np.zeros(H.shape[1] + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500}
    )
    theta = res.x
    weights = [tuple(theta[1 + offsets[j] : 1 + offsets[j + 1]]) for j in range(len(edges))]
    return BinnedLogit(
        tuple(names), float(theta[0]), tuple(tuple(e) for e in edges), tuple(weights)
    )


def score(pages: list[dict], keeps: list[list[bool]]) -> dict[str, float]:
    """The benchmark metric, as score_extraneous.py computes it."""
    t = dict(tp=0, fn=0, fp=0, wp=0, wk=0, op=0, orm=0)
    for page, keep in zip(pages, keeps, strict=True):
        full = fold(" ".join(page["lines"]))
        kept = fold(" ".join(s for s, k in zip(page["lines"], keep, strict=True) if k))
        for s in map(fold, page["with"]):
            k = s in kept
            t["tp" if k else "fn"] += 1
            if s in full:
                t["wp"] += 1
                t["wk"] += k
        for s in map(fold, page["without"]):
            k = s in kept
            t["fp"] += k
            if s in full:
                t["op"] += 1
                t["orm"] += not k
    p = t["tp"] / max(1, t["tp"] + t["fp"])
    r = t["tp"] / max(1, t["tp"] + t["fn"])
    return {
        "F1": 2 * p * r / (p + r) if p + r else 0.0,
        "P": p,
        "R": r,
        "extR": t["orm"] / max(1, t["op"]),
        "kept": t["wk"] / max(1, t["wp"]),
    }


def fmt(s: dict[str, float]) -> str:
    return " ".join(f"{k} {v:.3f}" for k, v in s.items())


def stack(pages: list[dict], key: str, idx: list[int]):
    X = np.array([r for i in idx for r in pages[i][key]])
    y = np.array([v for i in idx for v in pages[i]["y"]])
    w = np.array([v for i in idx for v in pages[i]["w"]])
    keep = w > 0
    return X[keep], y[keep], w[keep]


def add_context(pages: list[dict], local: BinnedLogit, idx: list[int], key: str) -> None:
    for i in idx:
        p = pages[i]
        z = [local.logit(r) for r in p["local"]]
        p[key] = context_features(z, p["local"], p["hits"])


def fit(pages: list[dict], idx: list[int]) -> tuple[BinnedLogit, BinnedLogit]:
    """Local model on idx; context model on cross-fitted local scores (2 folds)."""
    local = fit_binned(LOCAL_NAMES, *stack(pages, "local", idx))
    halves = [idx[0::2], idx[1::2]]
    for a, b in (halves, halves[::-1]):
        add_context(pages, fit_binned(LOCAL_NAMES, *stack(pages, "local", a)), b, "ctx")
    context = fit_binned(CONTEXT_NAMES, *stack(pages, "ctx", idx))
    return local, context


def keeps_for(pages: list[dict], idx: list[int], model: ExtraneousModel) -> list[list[bool]]:
    """Kept lines of the pages idx, exactly as the detector decides (models and rules)."""
    out = []
    for i in idx:
        p = pages[i]
        flags = extraneous.page_flags(p["lines"], p["local"], p["hits"], model)[0]
        out.append([not f for f in flags])
    return out


def pick_threshold(pages, idx, local, context, min_kept: float) -> float:
    """Threshold with the best F1 on idx among those keeping >= min_kept of the body."""
    sub = [pages[i] for i in idx]
    best, best_t = -1.0, 0.05
    for t in np.arange(0.10, 0.51, 0.05):
        s = score(sub, keeps_for(pages, idx, ExtraneousModel(local, context, float(t))))
        if s["kept"] >= min_kept and s["F1"] > best:
            best, best_t = s["F1"], float(t)
    return best_t


def evaluate(pages: list[dict], idx: list[int], model: ExtraneousModel) -> dict[str, float]:
    return score([pages[i] for i in idx], keeps_for(pages, idx, model))


def load_features(pages: list[dict]) -> None:
    """Local features and labels of every page (features cached by content hash)."""
    blob = json.dumps([p["lines"] for p in pages]).encode()
    digest = hashlib.sha1(blob + b"".join(f.read_bytes() for f in FEATURE_SRC)).hexdigest()
    cache = CACHE / f"features-{digest[:16]}.pkl"
    if cache.exists():
        feats = pickle.loads(cache.read_bytes())
    else:
        feats = [page_local_features(p["lines"]) for p in pages]
        CACHE.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(feats))
    for p, (local, hits) in zip(pages, feats, strict=True):
        p["local"], p["hits"] = local, hits
        p["y"], p["w"] = labels(p)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/wcxb-dev")
    ap.add_argument("--out", type=Path, default=ROOT / "resources/extraneous/model.json")
    ap.add_argument("--min-kept", type=float, default=0.98)
    ap.add_argument("--heldout-only", action="store_true", help="report, do not write")
    a = ap.parse_args()
    pages = load_pages(a.corpus)
    load_features(pages)
    train = [i for i in range(len(pages)) if i % 2 == 0]
    test = [i for i in range(len(pages)) if i % 2 == 1]
    local, context = fit(pages, train)
    t = pick_threshold(pages, train, local, context, a.min_kept)
    model = ExtraneousModel(local, context, t)
    held = evaluate(pages, test, model)
    trained = evaluate(pages, train, model)
    print(f"split even/odd threshold {t:.2f}\n  train  {fmt(trained)}\n  held   {fmt(held)}")
    if a.heldout_only:
        return
    everything = list(range(len(pages)))
    local, context = fit(pages, everything)
    t = pick_threshold(pages, everything, local, context, a.min_kept)
    full = evaluate(pages, everything, ExtraneousModel(local, context, t))
    print(f"final fit on all {len(pages)} pages, threshold {t:.2f}\n  all    {fmt(full)}")
    out = {
        "about": "Binned logistic regressions trained by scripts/train_extraneous.py on the "
        "WCXB dev corpus; logit > 0 leans to article body.",
        "threshold": round(t, 4),
        "heldout": {
            "split": "train even pages, score odd pages",
            **{k: round(v, 4) for k, v in held.items()},
        },
        "local": local.to_json(),
        "context": context.to_json(),
    }
    a.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
