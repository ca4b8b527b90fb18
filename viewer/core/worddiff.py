"""Word-level diff: diff-match-patch on word tokens, mapped back to code-point offsets.

Each word, whitespace run and punctuation mark becomes one character of a private
alphabet, diff-match-patch diffs those strings (never in line mode, so token 10 is
not mistaken for a newline), and the result is mapped back to spans of the original
text. Semantic cleanup then runs on the token strings, so its thresholds count words
rather than letters: "dog" -> "duck" stays one whole-word replacement.
Scripts written without spaces (Chinese, Japanese, Thai, ...) are tokenised per character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from diff_match_patch import diff_match_patch

try:  # The C++ port of the same library: identical output, about ten times faster.
    import fast_diff_match_patch as _fast
except ImportError:  # pragma: no cover - the pure-Python library is the reference
    _fast = None

from viewer.core.model import CompareOptions, Span

# Characters of scripts written without spaces: one token each.
_NOSPACE = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fff\u3040-\u30ff\u3100-\u312f"
    "\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
# Combining marks and joiners that belong inside a word although \w excludes them.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0dff\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufe20-\ufe2f"
)
_WORD = rf"(?:[^\W{_NOSPACE}]|[{_MARKS}])+"
TOKEN_RE = re.compile(rf"{_WORD}|[{_NOSPACE}]|\s+|.", re.DOTALL)
_WORD_RE = re.compile(rf"{_WORD}|[{_NOSPACE}]")
# Equivalent to _WORD_RE and TOKEN_RE when _SPECIAL_RE finds nothing, and twice as fast.
_PLAIN_WORD_RE = re.compile(r"\w+")
_PLAIN_TOKEN_RE = re.compile(r"\w+|\s+|.", re.DOTALL)
_NOSPACE_RE = re.compile(f"[{_NOSPACE}]")
_SPECIAL_RE = re.compile(f"[{_NOSPACE}{_MARKS}]")
_PUNCT_ONLY = re.compile(rf"(?:\s|[^\w{_MARKS}])*")

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


@dataclass(frozen=True, slots=True)
class Op:
    """One diff operation with code-point spans relative to the texts diffed."""

    kind: str  # "equal", "insert", "delete", "replace"
    left: Span
    right: Span


def tokenize(text: str) -> list[str]:
    """Split text into word, whitespace and single-character punctuation tokens."""
    if _SPECIAL_RE.search(text):
        return TOKEN_RE.findall(text)
    return _PLAIN_TOKEN_RE.findall(text)


def count_words(text: str) -> int:
    """Number of word tokens (each character counts in scripts without spaces)."""
    if _SPECIAL_RE.search(text):
        return len(_WORD_RE.findall(text))
    return len(_PLAIN_WORD_RE.findall(text))


def word_keys(text: str) -> list[str]:
    """Case-folded word tokens of a text, as alignment compares them."""
    folded = text.casefold()
    if _NOSPACE_RE.search(folded):
        return _WORD_RE.findall(folded)
    return _PLAIN_WORD_RE.findall(folded)


def is_insignificant(text: str) -> bool:
    """True when text holds only whitespace and punctuation."""
    return _PUNCT_ONLY.fullmatch(text) is not None


def token_key(token: str, options: CompareOptions) -> str:
    """The form under which two tokens count as equal for the given options."""
    if token.isspace():
        return " "
    if options.fold_typography:
        token = token.translate(TYPOGRAPHY)
    if options.ignore_case:
        token = token.casefold()
    return token


# Characters that stand for tokens: letters of large blocks that diff-match-patch's
# semantic cleanup scores neither as whitespace, line break nor ASCII alphanumeric, so
# every token boundary weighs the same; whitespace tokens are a real space, so edits
# still settle on word boundaries. Assigned in order of first appearance: the result
# never depends on the process's hash seed.
_CODE_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0xEFFFF), (0xF0000, 0x10FFFD))


def _code(n: int) -> str:
    for first, last in _CODE_RANGES:
        if n <= last - first:
            return chr(first + n)
        n -= last - first + 1
    raise OverflowError("more distinct tokens than characters to encode them")


class _Encoder:
    """Maps token keys to private characters, shared by both sides of one diff."""

    def __init__(self, options: CompareOptions) -> None:
        self.options = options
        self.codes: dict[str, str] = {" ": " "}  # key -> character
        self.cache: dict[str, str] = {}  # token -> character

    def encode(self, tokens: list[str]) -> str:
        cache, codes = self.cache, self.codes
        for tok in dict.fromkeys(tokens):  # distinct tokens, in order of first appearance
            if tok in cache:
                continue
            key = token_key(tok, self.options)
            ch = codes.get(key)
            if ch is None:
                ch = codes[key] = _code(len(codes) - 1)
            cache[tok] = ch
        return "".join(map(cache.__getitem__, tokens))


def run_dmp(a: str, b: str, *, accelerated: bool = True) -> list[tuple[int, int]]:
    """diff-match-patch with semantic cleanup: a list of (op, length), op -1/0/1.

    No deadline for normal sizes (a deadline makes diff-match-patch fall back silently to
    "delete all, insert all"); very large inputs get one, and the fallback is then honest.
    """
    timeout = _LARGE_TIMEOUT if len(a) + len(b) > _LARGE_TOKENS else 0.0
    if accelerated and _fast is not None:
        ops = _fast.diff(
            a, b, timelimit=timeout, checklines=False, cleanup="Semantic", counts_only=True
        )
        return [(_FAST_OPS[op], n) for op, n in ops]
    dmp = diff_match_patch()
    dmp.Diff_Timeout = timeout
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return [(op, len(chunk)) for op, chunk in diffs]


_FAST_OPS = {"=": 0, "-": -1, "+": 1}


def _offsets(tokens: list[str]) -> list[int]:
    return list(accumulate(map(len, tokens), initial=0))


def _pair_ops(raw: list[tuple[str, int, int, int, int]]) -> list[Op]:
    """Merge each run of deletes and inserts between equalities into one replace."""
    ops: list[Op] = []
    i = 0
    while i < len(raw):
        kind, l0, l1, r0, r1 = raw[i]
        if kind == "equal":
            ops.append(Op("equal", (l0, l1), (r0, r1)))
            i += 1
            continue
        j = i
        lo, hi, ro, rh = l0, l1, r0, r1
        while j + 1 < len(raw) and raw[j + 1][0] != "equal":
            j += 1
            _, a0, a1, b0, b1 = raw[j]
            lo, hi, ro, rh = min(lo, a0), max(hi, a1), min(ro, b0), max(rh, b1)
        if hi > lo and rh > ro:
            kind = "replace"
        elif hi > lo:
            kind = "delete"
        else:
            kind = "insert"
        ops.append(Op(kind, (lo, hi), (ro, rh)))
        i = j + 1
    return ops


def _neutralise(ops: list[Op], left: str, right: str, options: CompareOptions) -> list[Op]:
    """Turn changes that only touch ignored material into equalities, then merge runs."""
    out: list[Op] = []
    for op in ops:
        if op.kind != "equal":
            lt, rt = left[op.left[0] : op.left[1]], right[op.right[0] : op.right[1]]
            ignorable = (lt.isspace() or not lt) and (rt.isspace() or not rt)
            if options.ignore_punctuation and is_insignificant(lt) and is_insignificant(rt):
                ignorable = True
            if ignorable:
                op = Op("equal", op.left, op.right)
        if out and out[-1].kind == "equal" and op.kind == "equal":
            prev = out.pop()
            op = Op("equal", (prev.left[0], op.left[1]), (prev.right[0], op.right[1]))
        out.append(op)
    return out


def diff_words(left: str, right: str, options: CompareOptions | None = None) -> list[Op]:
    """Diff two texts word by word; the ops tile both texts in order.

    Equal ops may join texts that differ only in ways the options ignore
    (case, punctuation, typography, amount of whitespace).
    """
    options = options or CompareOptions()
    if left == right:
        return [Op("equal", (0, len(left)), (0, len(right)))] if left else []
    if not left or not right:
        return [Op("insert" if right else "delete", (0, len(left)), (0, len(right)))]
    lt, rt = tokenize(left), tokenize(right)
    enc = _Encoder(options)
    a, b = enc.encode(lt), enc.encode(rt)
    lo, ro = _offsets(lt), _offsets(rt)
    raw: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for op, n in run_dmp(a, b):
        if op == 0:
            raw.append(("equal", lo[i], lo[i + n], ro[j], ro[j + n]))
            i, j = i + n, j + n
        elif op < 0:
            raw.append(("delete", lo[i], lo[i + n], ro[j], ro[j]))
            i += n
        else:
            raw.append(("insert", lo[i], lo[i], ro[j], ro[j + n]))
            j += n
    return _unshred(_neutralise(_pair_ops(raw), left, right, options), left, right)


# Below this share of words in common, a pair's equal runs are coincidences.
SHRED_SHARE = 0.12


def _unshred(ops: list[Op], left: str, right: str) -> list[Op]:
    """Show a pair with almost nothing in common as one replacement, not confetti.

    Equal runs count as common ground only if they hold a content word (not a function
    word of the shipped stopword lists); a pair mostly changed whose only matches are
    "the", "of" and commas is shown as one replacement, as a careful reader would see it.
    """
    if not any(op.kind != "equal" for op in ops) or not any(op.kind == "equal" for op in ops):
        return ops
    equal_chars = sum(op.left[1] - op.left[0] for op in ops if op.kind == "equal")
    if equal_chars * 2 >= max(len(left), len(right)):
        return ops  # half the text in common: plainly not a coincidence
    from viewer.core.lexicon import stopwords

    function_words = stopwords()
    equal_words = content = 0
    for op in ops:
        if op.kind == "equal":
            words = _WORD_RE.findall(left[op.left[0] : op.left[1]].casefold())
            equal_words += len(words)
            content += sum(1 for w in words if w not in function_words)
    share = equal_words / max(count_words(left), count_words(right), 1)
    if share >= SHRED_SHARE and (content or share >= 0.5):
        return ops
    return [Op("replace", (0, len(left)), (0, len(right)))]
