"""Extraneous-block detection: which blocks of a page are not the article.

A republished article carries donation appeals, widget strings, teasers, agency
sign-off codes, menus, cookie notices, credits... This module marks them with an
``Extraneous(category, reason, score)`` and leaves article body alone.

Method (details in the README, "Extraneous blocks"):

1. every block gets language-neutral features (length, sentence punctuation,
   stopword ratio over a union of languages, capitalisation, list markers,
   repetition on the page, phrase evidence) and a local body score;
2. a second model rescores each block from its context: neighbours, the article
   core (the heaviest run of body-like blocks) and the distance to it, runs of short lines;
3. when the other version of the article is given, blocks shared by both versions
   lean to body and blocks only one version has, next to extraneous ones, lean away;
4. a flagged block gets a category and a reason from phrase patterns or its shape.

Both models are binned logistic regressions shipped as JSON and evaluated in pure
Python (see extraneous_model.py); when unsure, the block is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

from viewer.core import extraneous_pairs as pairs
from viewer.core import extraneous_rules as rules
from viewer.core.extraneous_features import (
    CONTEXT_NAMES,
    LOCAL_NAMES,
    BlockFeatures,
    block_features,
    context_features,
    lowered,
    page_local_features,
)
from viewer.core.extraneous_model import ExtraneousModel, load_model, sigmoid
from viewer.core.model import Article, Extraneous

CATEGORIES: dict[str, str] = {
    "appeal": "donation, membership or subscription appeal and its paywall text",
    "newsletter": "newsletter or e-mail sign-up prompt",
    "consent": "cookie, consent or privacy notice",
    "social": "share, follow or social-network button",
    "interface": "widget or button string (Continue, Close, ×, Read more, Loading…)",
    "teaser": "related-story teaser or cut-off headline of another article",
    "navigation": "menu, breadcrumb, tag list, table of contents or run of link-like lines",
    "signoff": "agency sign-off code or reporting/editing credit after the article",
    "credit": "photo, image or video credit",
    "legal": "copyright line, terms, imprint or other legal notice",
    "advertising": "advertisement label, sponsored or affiliate call to action",
    "comments": "reader comments and comment forms",
    "outside": "page text outside the article body with no more specific category",
}

# Order in which phrase evidence names a category when several match.
_PRIORITY = (
    "signoff",
    "appeal",
    "consent",
    "newsletter",
    "credit",
    "legal",
    "advertising",
    "comments",
    "social",
    "teaser",
    "interface",
    "navigation",
)
# Pair signals, in logit units (hand-set: the corpus has no pairs to learn them from).
SHARED_BONUS = 2.0
UNIQUE_PENALTY = 1.5
RULE_SCORE = 0.6
_I_WORDS = LOCAL_NAMES.index("words")
_I_END = LOCAL_NAMES.index("end_class")
_I_RUN = CONTEXT_NAMES.index("short_run")
_I_DIST = CONTEXT_NAMES.index("core_dist")
_I_CAP = LOCAL_NAMES.index("cap_ratio")


def _pair_adjust(
    z: list[float], shared: Sequence[bool], threshold: float, prose: Sequence[bool]
) -> None:
    """Shift scores with the pair signal: shared leans to body, lone next to junk leans away."""
    cut = _logit(threshold)
    flagged = [zi < cut for zi in z]
    for i, is_shared in enumerate(shared):
        if is_shared:
            z[i] += SHARED_BONUS
        elif prose[i]:
            continue  # a rewritten copy shares few exact paragraphs: prose is not suspect
        elif (i > 0 and flagged[i - 1]) or (i + 1 < len(z) and flagged[i + 1]):
            z[i] -= UNIQUE_PENALTY


def _logit(p: float) -> float:
    from math import log

    return log(p / (1.0 - p))


def _structural(local: Sequence[float], ctx: Sequence[float]) -> tuple[str, str]:
    """Category and reason of a flagged block that no phrase pattern names."""
    words, run, dist = int(local[_I_WORDS]), int(ctx[_I_RUN]), int(ctx[_I_DIST])
    where = (
        "before the article starts" if dist < 0 else "after the article ends" if dist > 0 else ""
    )
    if local[_I_END] == 4:
        return "teaser", "cut-off teaser ending in '…'"
    if run >= 3:
        return "navigation", f"menu-like run of {run} short lines {where}".rstrip()
    if words < 6:
        return "interface", f"short interface line ({words} words) {where}".rstrip()
    if local[_I_END] == 0 and local[_I_CAP] >= 0.6:
        return "teaser", f"headline-like line without sentence punctuation {where}".rstrip()
    return "outside", f"page text {where or 'between non-article blocks'}"


_LABELS = {
    "appeal": "donation or subscription appeal",
    "newsletter": "newsletter prompt",
    "consent": "cookie or privacy notice",
    "social": "share or follow button",
    "interface": "interface string",
    "teaser": "related-story teaser",
    "navigation": "navigation",
    "signoff": "agency sign-off",
    "credit": "photo credit",
    "legal": "legal notice",
    "advertising": "advertising",
    "comments": "reader comments",
}


def _explain(
    text: str, hits: dict[str, str], local: Sequence[float], ctx: Sequence[float]
) -> tuple[str, str]:
    """Category and reason of a flagged block: phrase evidence first, then its shape."""
    if hits:
        # The phrase that comes first names the block ("© 2025 … Privacy" is legal, "We use
        # cookies … ©" consent); the priority list breaks ties and unlocatable matches.
        lower = text.lower()
        rank = {cat: k for k, cat in enumerate(_PRIORITY)}

        def where(cat: str) -> tuple[int, int]:
            pos = lower.find(hits[cat].lower())
            return (pos if pos >= 0 else len(lower), rank.get(cat, len(rank)))

        # A block that says "newsletter" is a newsletter prompt whatever else it says.
        newsletter = "newsletter" in hits and "newsletter" in lower
        cat = "newsletter" if newsletter else min(hits, key=where)
        return cat, f"{_LABELS[cat]}: '{hits[cat]}'"
    return _structural(local, ctx)


def page_logits(
    local: Sequence[Sequence[float]], hits: Sequence[dict[str, str]], model: ExtraneousModel
) -> tuple[list[float], list[list[float]]]:
    """Body log-odds of every block of a page, and the context features behind them."""
    z1 = model.local.logits(local)
    ctx = context_features(z1, local, hits)
    return model.context.logits(ctx), ctx


def page_flags(
    texts: Sequence[str],
    local: Sequence[Sequence[float]],
    hits: Sequence[dict[str, str]],
    model: ExtraneousModel,
    other: Sequence[str] | None = None,
    shared: Sequence[bool] | None = None,
) -> tuple[list[bool], list[float], list[list[float]], dict[int, tuple[str, str]]]:
    """Which blocks are extraneous: models, pair signal, then the page rules.

    The pair signal is on when ``other`` (the other version's block texts) or
    ``shared`` (which blocks have a counterpart there, already computed) is given.
    Returns the flags, the body log-odds, the context features and, for blocks
    hidden as part of a phrase span, that span's category and reason.
    """
    z, ctx = page_logits(local, hits, model)
    if shared is None and other is not None:
        shared = pairs.shared_flags(texts, other)
    return _page_rules(texts, local, hits, model, z, ctx, shared)


def _page_rules(
    texts: Sequence[str],
    local: Sequence[Sequence[float]],
    hits: Sequence[dict[str, str]],
    model: ExtraneousModel,
    z: list[float],
    ctx: list[list[float]],
    shared: Sequence[bool] | None,
) -> tuple[list[bool], list[float], list[list[float]], dict[int, tuple[str, str]]]:
    """``page_flags`` given the page's body log-odds ``z`` (adjusted in place)."""
    if shared is not None:
        prose = [rules.is_prose(row) for row in local]
        _pair_adjust(z, shared, model.threshold, prose)
    else:
        shared = [False] * len(texts)
    cut = _logit(model.threshold)
    flags = [zi < cut for zi in z]
    rules.keep_prose(flags, local, ctx, hits)
    span_of: dict[int, tuple[str, str]] = {}
    for a, b, cat in rules.phrase_spans(flags, texts, hits, shared):
        framed = [hits[i][cat] for i in range(a, b) if cat in hits[i]]
        reason = f"inside a {_LABELS[cat]} framed by '{framed[0]}' … '{framed[-1]}'"
        span_of.update((i, (cat, reason)) for i in range(a, b))
    rules.spread_repeats(flags, texts, local)
    return flags, z, ctx, span_of


def _pair_matters(
    z: Sequence[float], hits: Sequence[dict[str, str]], threshold: float
) -> list[bool]:
    """Blocks whose pair signal can change a verdict (see _page_rules).

    A block is hidden when its adjusted log-odds fall below the cut: one still above it
    after the largest penalty is kept whether or not the other version has it, and its
    flag is all the page rules read of it, unless it lies where a phrase span may hide
    a run (a span containing a shared block is left alone).
    """
    cut = _logit(threshold)
    matters = [zi - UNIQUE_PENALTY < cut for zi in z]
    for a, b, _ in rules.span_ranges(hits):
        matters[a : b + 1] = [True] * (b + 1 - a)
    return matters


def decide(
    texts: Sequence[str],
    model: ExtraneousModel | None = None,
    other: Sequence[str] | None = None,
) -> list[Extraneous | None]:
    """Extraneous verdict for each block text of one page (None = article body).

    ``other`` holds the block texts of the other version when two are compared.
    """
    shared = pairs.shared_flags(texts, other) if other is not None and texts else None
    return _decide(texts, model or load_model(), shared, None)


def _decide(
    texts: Sequence[str],
    model: ExtraneousModel,
    pair: Sequence[bool] | None,
    memo: dict[str, BlockFeatures] | None,
    keys: Sequence[str] | None = None,
) -> list[Extraneous | None]:
    """``decide`` given the pair signal; ``memo`` shares block features between versions,
    ``keys`` are the normalised texts when already known.
    """
    if not texts:
        return []
    local, hits = page_local_features(texts, memo, keys)
    flags, z, ctx, span_of = page_flags(texts, local, hits, model, shared=pair)
    return _verdicts(texts, local, hits, (flags, z, ctx, span_of))


def _verdicts(
    texts: Sequence[str],
    local: Sequence[Sequence[float]],
    hits: Sequence[dict[str, str]],
    page: tuple[list[bool], list[float], list[list[float]], dict[int, tuple[str, str]]],
) -> list[Extraneous | None]:
    """The verdict of each block, from ``page_flags``' result ``page``."""
    flags, z, ctx, span_of = page
    out: list[Extraneous | None] = []
    for i, flagged in enumerate(flags):
        if not flagged:
            out.append(None)
            continue
        if i in span_of and not hits[i]:
            category, reason = span_of[i]
        else:
            category, reason = _explain(texts[i], hits[i], local[i], ctx[i])
        # Blocks hidden by a page rule rather than by their score still read as likely.
        score = max(1.0 - sigmoid(z[i]), RULE_SCORE)
        out.append(Extraneous(category, reason, round(score, 4)))
    return out


def annotate(article: Article, other: Article | None = None) -> Article:
    """The same article with ``Block.extraneous`` set for every block.

    ``other`` is the other version when two articles are compared: blocks both
    versions share lean to body, blocks only this one has lean away next to extraneous ones.
    """
    texts = [b.text for b in article.blocks]
    pair = None
    if other is not None and texts:
        pair = pairs.shared_flags(texts, [b.text for b in other.blocks])
    return article.with_verdicts(_decide(texts, load_model(), pair, None))


def annotate_pair(left: Article, right: Article) -> tuple[Article, Article]:
    """Annotate both versions of a compared pair, each with the other as pair signal."""
    lv, rv = pair_verdict_lists(left, right)
    return left.with_verdicts(lv), right.with_verdicts(rv)


def pair_verdict_lists(
    left: Article, right: Article
) -> tuple[list[Extraneous | None], list[Extraneous | None]]:
    """What annotate_pair sets on each block of both versions, without building the
    annotated articles (for a process that only sends the verdicts on)."""
    return texts_verdict_lists([b.text for b in left.blocks], [b.text for b in right.blocks])


def texts_verdict_lists(
    left: Sequence[str], right: Sequence[str]
) -> tuple[list[Extraneous | None], list[Extraneous | None]]:
    """pair_verdict_lists given the block texts of both versions.

    The features of all distinct texts are computed in one batch, so a block text found
    on both sides (most of them) has its words and features computed once; a rewrite is
    looked up only for blocks whose verdict depends on it (``_pair_matters``).
    """
    texts = list(left), list(right)
    distinct = list(dict.fromkeys(chain(*texts)))
    lows, keys = lowered(distinct)
    memo = dict(zip(distinct, block_features(distinct, lows), strict=True))
    key_of = dict(zip(distinct, keys, strict=True))
    words: dict[str, frozenset[str]] = {}
    versions = [pairs.Version(list(map(key_of.__getitem__, side)), words) for side in texts]
    model = load_model()
    pages = [page_local_features(texts[k], memo, versions[k].keys) for k in (0, 1)]
    logits = [page_logits(*pages[k], model) for k in (0, 1)]
    # The pair signal is looked up only for the blocks whose verdict it can change.
    wanted = [_pair_matters(logits[k][0], pages[k][1], model.threshold) for k in (0, 1)]
    pair = pairs.shared_pair(versions[0], versions[1], wanted[0], wanted[1])
    verdicts = [
        _verdicts(texts[k], *pages[k], _page_rules(texts[k], *pages[k], model, *logits[k], pair[k]))
        for k in (0, 1)
    ]
    return verdicts[0], verdicts[1]
