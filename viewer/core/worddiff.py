"""Word-level diff: diff-match-patch on word tokens, mapped back to code-point offsets.

Each word, whitespace run and punctuation mark becomes one character of a private
alphabet, diff-match-patch diffs those strings (never in line mode, so token 10 is
not mistaken for a newline), and the result is mapped back to spans of the original
text. Semantic cleanup then runs on the token strings, so its thresholds count words
rather than letters: "dog" -> "duck" stays one whole-word replacement.
Scripts written without spaces (Chinese, Japanese, Thai, ...) are tokenised per character
(see tokens.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import accumulate, chain, filterfalse
from types import ModuleType
from typing import NamedTuple

from viewer.core.model import CompareOptions, Span
from viewer.core.native import native as _native
from viewer.core.tokens import (
    CODE_RANGES,
    count_words,
    is_insignificant,
    tokenize,
    word_keys,
    words,
)

__all__ = [
    "Op",
    "Raw",
    "count_words",
    "diff_spans",
    "diff_words",
    "is_insignificant",
    "native_diff_hooks",
    "run_dmp",
    "token_key",
    "tokenize",
    "word_keys",
]

# Typographic characters folded to their plain forms when fold_typography is on.
TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)

# Above this many tokens on both sides together, diff-match-patch gets a deadline; if it
# hits it, the result is reported as one replacement instead of silently degrading.
_LARGE_TOKENS = 40_000
_LARGE_TIMEOUT = 4.0


class Op(NamedTuple):
    """One diff operation with code-point spans relative to the texts diffed."""

    kind: str  # "equal", "insert", "delete", "replace"
    left: Span
    right: Span


def keys_are_tokens(options: CompareOptions) -> bool:
    """True when every token but whitespace is its own key (no case or typography folding)."""
    return not (options.fold_typography or options.ignore_case)


def token_key(token: str, options: CompareOptions) -> str:
    """The form under which two tokens count as equal for the given options."""
    if token.isspace():
        return " "
    if options.fold_typography:
        token = token.translate(TYPOGRAPHY)
    if options.ignore_case:
        token = token.casefold()
    return token


# Tokens are encoded as characters of tokens.CODE_RANGES, assigned in order of first
# appearance (the result never depends on the process's hash seed); whitespace tokens are
# a real space, so edits still settle on word boundaries.


def _code(n: int) -> str:
    for first, last in CODE_RANGES:
        if n <= last - first:
            return chr(first + n)
        n -= last - first + 1
    raise OverflowError("more distinct tokens than characters to encode them")


def _codes(start: int, count: int) -> Iterator[str]:
    """The characters for tokens numbered start, start + 1, ... (the first range in one go)."""
    first, last = CODE_RANGES[0]
    if start + count <= last - first + 1:
        return map(chr, range(first + start, first + start + count))
    return map(_code, range(start, start + count))


class _Encoder:
    """Maps token keys to private characters, shared by both sides of one diff."""

    def __init__(self, options: CompareOptions) -> None:
        self.options = options
        self.plain = keys_are_tokens(options)
        self.cache: dict[str, str] = {}  # token -> character
        self.codes: dict[str, str] = {" ": " "}  # key -> character, when keys are not tokens
        self.assigned = 0  # characters handed out so far

    def learn(self, tokens: Iterable[str]) -> None:
        """Give a character to each token not seen yet, in order of first appearance."""
        cache = self.cache
        fresh: Iterable[str] = dict.fromkeys(tokens)
        if cache:
            fresh = list(filterfalse(cache.__contains__, fresh))
        other = list(filterfalse(str.isspace, fresh))
        if self.plain:  # every other token is its own key, and a new one
            cache.update(zip(other, self._next_codes(len(other)), strict=True))
        else:
            keys = [token_key(t, self.options) for t in other]
            codes = self.codes
            new = list(filterfalse(codes.__contains__, dict.fromkeys(keys)))
            codes.update(zip(new, self._next_codes(len(new)), strict=True))
            cache.update(zip(other, map(codes.__getitem__, keys), strict=True))
        cache.update(dict.fromkeys(filter(str.isspace, fresh), " "))  # whitespace: key " "

    def _next_codes(self, count: int) -> Iterator[str]:
        start, self.assigned = self.assigned, self.assigned + count
        return _codes(start, count)

    def apply(self, tokens: list[str]) -> str:
        """The tokens as one string of their characters (all of them learnt)."""
        return "".join(map(self.cache.__getitem__, tokens))

    def encode(self, tokens: list[str]) -> str:
        self.learn(tokens)
        return self.apply(tokens)


@cache
def _fast_dmp() -> ModuleType | None:
    """The C++ port of diff-match-patch: identical output, about ten times faster.

    Its search reads the CPU clock at every step to check a deadline, a system call each
    time; the extension points it at a clock read without one (see _process.c).
    """
    try:
        import fast_diff_match_patch
    except ImportError:  # pragma: no cover - the pure-Python library is the reference
        return None
    module: ModuleType = fast_diff_match_patch
    if _native is not None:
        _native.quiet_clock(module.diff)
    return module


def run_dmp(a: str, b: str, *, accelerated: bool = True) -> list[tuple[int, int]]:
    """diff-match-patch with semantic cleanup: a list of (op, length), op -1/0/1.

    No deadline for normal sizes (a deadline makes diff-match-patch fall back silently to
    "delete all, insert all"); very large inputs get one, and the fallback is then honest.
    """
    return [(_OP_SIGNS[op], n) for op, n in _dmp(a, b, accelerated)]


def _dmp(a: str, b: str, accelerated: bool = True) -> list[tuple[str, int]]:
    """run_dmp with ops as the C++ port gives them: "=", "-" or "+"."""
    timeout = _LARGE_TIMEOUT if len(a) + len(b) > _LARGE_TOKENS else 0.0
    fast = _fast_dmp() if accelerated else None
    if fast is not None:
        ops: list[tuple[str, int]] = fast.diff(
            a, b, timelimit=timeout, checklines=False, cleanup="Semantic", counts_only=True
        )
        return ops
    from diff_match_patch import diff_match_patch

    dmp = diff_match_patch()
    dmp.Diff_Timeout = timeout
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return [("-=+"[op + 1], len(chunk)) for op, chunk in diffs]


_OP_SIGNS = {"=": 0, "-": -1, "+": 1}

Raw = tuple[str, int, int, int, int]  # (kind, left start, left end, right start, right end)


def _offsets(tokens: list[str]) -> list[int]:
    return list(accumulate(map(len, tokens), initial=0))


def _pair_ops(dmp_ops: list[tuple[str, int]], lo: list[int], ro: list[int]) -> list[Raw]:
    """Spans of the ops; each run of deletes and inserts between equalities is one op."""
    ops: list[Raw] = []
    i = j = 0  # tokens consumed on each side
    i0 = j0 = -1  # where the pending run of deletes and inserts began (-1: none)
    for op, n in dmp_ops:
        if op == "=":
            if i0 >= 0:
                ops.append(_run(i0, i, j0, j, lo, ro))
                i0 = -1
            ops.append(("equal", lo[i], lo[i + n], ro[j], ro[j + n]))
            i, j = i + n, j + n
            continue
        if i0 < 0:
            i0, j0 = i, j
        if op == "-":
            i += n
        else:
            j += n
    if i0 >= 0:
        ops.append(_run(i0, i, j0, j, lo, ro))
    return ops


def _run(i0: int, i: int, j0: int, j: int, lo: list[int], ro: list[int]) -> Raw:
    kind = "replace" if i > i0 and j > j0 else "delete" if i > i0 else "insert"
    return (kind, lo[i0], lo[i], ro[j0], ro[j])


def _neutralise(ops: list[Raw], left: str, right: str, options: CompareOptions) -> list[Raw]:
    """Turn changes that only touch ignored material into equalities, then merge runs."""
    out: list[Raw] = []
    punctuation = options.ignore_punctuation
    for op in ops:
        kind, l0, l1, r0, r1 = op
        if kind != "equal":
            lt, rt = left[l0:l1], right[r0:r1]
            ignorable = (lt.isspace() or not lt) and (rt.isspace() or not rt)
            if not ignorable and punctuation:
                ignorable = is_insignificant(lt) and is_insignificant(rt)
            if ignorable:
                kind = "equal"
                op = (kind, l0, l1, r0, r1)
        if kind == "equal" and out and out[-1][0] == "equal":
            prev = out.pop()
            op = ("equal", prev[1], l1, prev[3], r1)
        out.append(op)
    return out


def diff_spans(left: str, right: str, options: CompareOptions, *, native: bool = True) -> list[Raw]:
    """Diff two texts word by word: (kind, left start, left end, right start, right end)
    tuples that tile both texts in order (what diff_words returns, without objects).

    Where tokens are their own keys (no case or typography folding), the C extension
    tokenises, encodes and maps the ops back in one pass, with the same result.
    """
    if left == right:
        return [("equal", 0, len(left), 0, len(right))] if left else []
    if not left or not right:
        return [("insert" if right else "delete", 0, len(left), 0, len(right))]
    if native and _native is not None and keys_are_tokens(options):
        ops: list[Raw] = _native.word_diff(left, right, _dmp)  # whitespace changes equal
        if options.ignore_punctuation:
            ops = _neutralise(ops, left, right, options)
        return _unshred(ops, left, right)
    lt, rt = tokenize(left), tokenize(right)
    enc = _Encoder(options)
    enc.learn(chain(lt, rt))  # codes in order of first appearance, left then right
    a, b = enc.apply(lt), enc.apply(rt)
    ops = _pair_ops(_dmp(a, b), _offsets(lt), _offsets(rt))
    return _unshred(_neutralise(ops, left, right, options), left, right)


def native_diff_hooks(
    options: CompareOptions,
) -> tuple[Callable[[str, str], list[tuple[str, int]]], Callable[..., list[Raw]]] | None:
    """What C code diffing pairs as ``diff_spans`` does calls back (the extension's
    build_groups): the diff-match-patch runner and ``_unshred``; None where diff_spans
    does not run in C for these options, or the punctuation rule applies."""
    if _native is None or not keys_are_tokens(options) or options.ignore_punctuation:
        return None
    return _dmp, _unshred


def diff_words(left: str, right: str, options: CompareOptions | None = None) -> list[Op]:
    """Diff two texts word by word; the ops tile both texts in order.

    Equal ops may join texts that differ only in ways the options ignore
    (case, punctuation, typography, amount of whitespace).
    """
    ops = diff_spans(left, right, options or CompareOptions())
    return [Op(kind, (l0, l1), (r0, r1)) for kind, l0, l1, r0, r1 in ops]


# Below this share of words in common, a pair's equal runs are coincidences.
SHRED_SHARE = 0.12


def _unshred(ops: list[Raw], left: str, right: str) -> list[Raw]:
    """Show a pair with almost nothing in common as one replacement, not confetti.

    Equal runs count as common ground only if they hold a content word (not a function
    word of the shipped stopword lists); a pair mostly changed whose only matches are
    "the", "of" and commas is shown as one replacement, as a careful reader would see it.
    """
    equal = [op for op in ops if op[0] == "equal"]
    if not equal or len(equal) == len(ops):
        return ops
    equal_chars = sum(op[2] - op[1] for op in equal)
    if equal_chars * 2 >= max(len(left), len(right)):
        return ops  # half the text in common: plainly not a coincidence
    from viewer.core.lexicon import stopwords

    function_words = stopwords()
    equal_words = content = 0
    for op in equal:
        found = words(left[op[1] : op[2]].casefold())
        equal_words += len(found)
        content += sum(1 for w in found if w not in function_words)
    share = equal_words / max(count_words(left), count_words(right), 1)
    if share >= SHRED_SHARE and (content or share >= 0.5):
        return ops
    return [("replace", 0, len(left), 0, len(right))]
