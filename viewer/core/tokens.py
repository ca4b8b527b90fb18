"""How text splits into tokens and words, shared by alignment, word diff and statistics.

A token is a word, a whitespace run or any other single character. Characters of
scripts written without spaces (Chinese, Japanese, Thai, ...) are words of their own,
and combining marks and joiners stay inside their word although ``\\w`` excludes them.

The regular expressions that know those scripts are large and take a few milliseconds
each to compile, so they are compiled on first use; text without such characters (nearly
all Latin, Greek and Cyrillic text) takes plain ``\\w`` paths, which are equivalent there.
Word counts go through a class string (one character per character of the text), which
``str.translate`` and ``str.count`` handle in C: about ten times faster than a regex.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache, lru_cache

# Code point ranges (first, last) of scripts written without spaces: one word per character.
NOSPACE_RANGES = (
    (0x0E00, 0x0EFF),
    (0x1000, 0x109F),
    (0x1780, 0x17FF),
    (0x2E80, 0x2FFF),
    (0x3040, 0x30FF),
    (0x3100, 0x312F),
    (0x3190, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
)
# Combining marks and joiners that belong inside a word although \w excludes them.
MARK_RANGES = (
    (0x0300, 0x036F),
    (0x0483, 0x0489),
    (0x0591, 0x05C7),
    (0x0610, 0x061A),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06ED),
    (0x0900, 0x0DFF),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x200C, 0x200C),
    (0x200D, 0x200D),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """The inside of a regex character class matching the code point ranges."""
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)


_NOSPACE = _char_class(NOSPACE_RANGES)
_MARKS = _char_class(MARK_RANGES)
_WORD = rf"(?:[^\W{_NOSPACE}]|[{_MARKS}])+"

# Equivalent to the full patterns when a text holds no special character, and cheap to compile.
PLAIN_TOKEN_RE = re.compile(r"\w+|\s+|.", re.DOTALL)
# Characters from U+0300 on: the only ones that can be special (the lowest range starts there).
_HIGH_RE = re.compile("[^\x00-\u02ff]")


@cache
def token_re() -> re.Pattern[str]:
    """The full token pattern, compiled on first use (a few milliseconds)."""
    return re.compile(rf"{_WORD}|[{_NOSPACE}]|\s+|.", re.DOTALL)


@cache
def word_re() -> re.Pattern[str]:
    """The full word pattern, compiled on first use (a few milliseconds)."""
    return re.compile(rf"{_WORD}|[{_NOSPACE}]")


@cache
def _punct_only_re() -> re.Pattern[str]:
    return re.compile(rf"(?:\s|[^\w{_MARKS}])*")


def _bounds(ranges: tuple[tuple[int, int], ...]) -> list[int]:
    return [x for a, b in ranges for x in (a, b + 1)]


NOSPACE_BOUNDS = _bounds(NOSPACE_RANGES)
MARK_BOUNDS = _bounds(MARK_RANGES)

# Characters that stand for tokens in the word diff (worddiff.py): letters of large blocks
# that diff-match-patch's semantic cleanup scores neither as whitespace, line break nor
# ASCII alphanumeric, so every token boundary weighs the same.
CODE_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0xEFFFF), (0xF0000, 0x10FFFD))
CODE_BOUNDS = _bounds(CODE_RANGES)


@lru_cache(maxsize=8192)
def char_class(ch: str) -> str:
    """How a character counts in words: "n" a word of its own (a script without spaces),
    "m" a mark or joiner inside words, "a" a word character, " " anything else."""
    cp = ord(ch)
    if bisect_right(NOSPACE_BOUNDS, cp) % 2:
        return "n"
    if bisect_right(MARK_BOUNDS, cp) % 2:
        return "m"
    return "a" if ch.isalnum() or ch == "_" else " "  # exactly what \w matches


def has_special(text: str) -> bool:
    """True when text holds a character of a script without spaces, or a combining mark."""
    if text.isascii():
        return False
    highs = _HIGH_RE.findall(text)
    return bool(highs) and any(char_class(c) in "nm" for c in set(highs))


def tokenize(text: str) -> list[str]:
    """Split text into word, whitespace and single-character punctuation tokens."""
    if has_special(text):
        return token_re().findall(text)
    return PLAIN_TOKEN_RE.findall(text)


def words(text: str) -> list[str]:
    """The word tokens of a text."""
    if has_special(text):
        return word_re().findall(text)
    return plain_words(text)


# ASCII characters that are neither word characters nor whitespace, to spaces.
_ASCII_PUNCT_TO_SPACE = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isalnum() or c == 0x5F or chr(c).isspace())}
)


def plain_words(text: str) -> list[str]:
    """The runs of ``\\w`` characters, as ``\\w+`` finds them, but a third cheaper:
    every other character that is not whitespace becomes a space, and str.split does the rest.
    """
    if text.isascii():
        return text.translate(_ASCII_PUNCT_TO_SPACE).split()
    for c in set(text):
        if not (c.isalnum() or c == "_" or c.isspace()):
            text = text.replace(c, " ")
    return text.split()


def word_keys(text: str) -> list[str]:
    """Case-folded word tokens of a text, as alignment compares them."""
    # Only scripts without spaces matter here; combining marks split words, as they
    # always have in alignment keys.
    folded = text.casefold()
    if not folded.isascii() and any(char_class(c) == "n" for c in set(_HIGH_RE.findall(folded))):
        return word_re().findall(folded)
    return plain_words(folded)


def is_insignificant(text: str) -> bool:
    """True when text holds only whitespace and punctuation."""
    return _punct_only_re().fullmatch(text) is not None


# ASCII characters to their classes (word characters "a", everything else " ").
_ASCII_CLASSES = str.maketrans(
    {chr(c): "a" if chr(c).isalnum() or c == 0x5F else " " for c in range(128)}
)
_NONASCII_RE = re.compile("[^\x00-\x7f]")


def word_classes(text: str) -> str:
    """One class character per character of text: "a" inside a word, "n" a word of its own
    (a script without spaces), " " between words. Words are the runs of "a" and each "n"."""
    if text.isascii():
        return text.translate(_ASCII_CLASSES)
    classes = {c: char_class(c) for c in set(_NONASCII_RE.findall(text))}
    if "n" in classes.values():  # rare: no ASCII stand-in would survive translate
        return "".join(map(char_class, text)).replace("m", "a")
    for c, k in classes.items():
        text = text.replace(c, "a" if k == "m" else k)
    return text.translate(_ASCII_CLASSES)


class WordCounter:
    """Counts the words of any slice of a text, in C, on the text's word classes."""

    __slots__ = ("classes", "nospace")

    def __init__(self, classes: str) -> None:
        self.classes = " " + classes  # a word starts where "a" follows " " (or "n")
        self.nospace = "n" in classes

    @classmethod
    def of_prefixed(cls, classes: str) -> WordCounter:
        """The counter of ``classes[1:]``, given " " + them (native.word_classes(text,
        True)): no copy of a 1 MB string."""
        counter = cls.__new__(cls)
        counter.classes = classes
        counter.nospace = "n" in classes
        return counter

    def count(self, start: int, end: int) -> int:
        """Words of ``text[start:end]``: the count of the slice, even of one cutting a word."""
        return self.counts(((start, end),))[0]

    def counts(self, spans: Sequence[tuple[int, int]], *, native: bool = True) -> list[int]:
        """count(start, end) of each span, in one loop (spans come by thousands); in C
        where the extension is built (``native``), else here, with the same counts."""
        from viewer.core.native import native as extension  # (it imports this module)

        if native and extension is not None:
            counts: list[int] = extension.span_words(self.classes, spans, self.nospace)
            return counts
        cls = self.classes
        find = cls.count
        nospace = self.nospace
        out: list[int] = []
        for start, end in spans:
            if end <= start:
                out.append(0)
                continue
            n = find(" a", start, end + 1)
            if cls[start] == "a" == cls[start + 1]:  # the slice starts inside a word
                n += 1
            if nospace:
                n += find("na", start, end + 1) + find("n", start + 1, end + 1)
            out.append(n)
        return out


def count_words(text: str) -> int:
    """Number of word tokens (each character counts in scripts without spaces)."""
    if text.isascii():
        return (" " + text).translate(_ASCII_CLASSES).count(" a")
    return WordCounter(word_classes(text)).count(0, len(text))
