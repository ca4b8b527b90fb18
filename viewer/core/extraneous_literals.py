"""Texts that every match of a regular expression contains: cheap pre-tests for phrases.

``needs(pattern)`` returns a few texts one of which occurs in every string that
``pattern`` matches, so ``any(t in text for t in needs)`` is a necessary condition for
``re.search(pattern, text)``: a substring test (C speed, no regular-expression engine)
then skips most searches. The analysis models the syntax the phrase file uses
(literals, escapes, classes, groups, alternation, quantifiers, anchors, lookarounds)
and gives up (None) on anything else, such as inline flags or numeric escapes.
"""

from __future__ import annotations

import re

# A brace quantifier as sre reads it ("{}" and malformed braces are literal text);
# compiled on first use (re caches it).
_BRACES = r"\{(?!\})(\d*)(?:,\d*)?\}"

# An atom is one literal character (str), a choice of texts one of which it matches
# (tuple), or None: it matches something (or nothing) that is not known here.
_Atom = str | tuple[str, ...] | None
_COMMON = frozenset(" \t\n,.;:!?'’\"()-")


class _Unsure(Exception):
    """The pattern uses syntax this analysis does not model."""


def needs(pattern: str) -> tuple[str, ...] | None:
    """Texts one of which every match of ``pattern`` contains (None when none is known)."""
    try:
        found, end = _alternatives(pattern, 0)
    except (_Unsure, IndexError):
        return None
    return found if end == len(pattern) else None


def _alternatives(p: str, i: int) -> tuple[tuple[str, ...] | None, int]:
    """Requirement of the alternatives from ``p[i]`` to an unmatched ')' or the end.

    A match takes one alternative, so each must require something: the union of
    their requirements is then required.
    """
    options: list[str] | None = []
    while True:
        best, i = _sequence(p, i)
        if best is None:
            options = None
        elif options is not None:
            options.extend(best)
        if i < len(p) and p[i] == "|":
            i += 1
            continue
        return (None if options is None else tuple(dict.fromkeys(options))), i


def _sequence(p: str, i: int) -> tuple[tuple[str, ...] | None, int]:
    """The most selective requirement of one alternative, and where it ends.

    Every unrepeated run of literal characters is required, and so is every group or
    class that must occur at least once; the rarest-looking of them is kept.
    """
    candidates: list[tuple[str, ...]] = []
    run = ""
    while i < len(p) and p[i] not in "|)":
        atom, i = _atom(p, i)
        least, i = _repeat(p, i)
        if isinstance(atom, str) and least is None:
            run += atom
            continue
        if isinstance(atom, str) and least:
            run += atom  # at least one copy follows the run
        if run:
            candidates.append((run,))
            run = ""
        if isinstance(atom, tuple) and least != 0:
            candidates.append(atom)
    if run:
        candidates.append((run,))
    return (min(candidates, key=_commonness) if candidates else None), i


def _commonness(options: tuple[str, ...]) -> float:
    """Rough chance that one of ``options`` occurs: long texts and rare symbols are rare."""
    rare = [any(not (c.isalnum() or c in _COMMON) for c in t) for t in options]
    return sum((0.1 if r else 1.0) / len(t) for t, r in zip(options, rare, strict=True))


def _repeat(p: str, i: int) -> tuple[int | None, int]:
    """Least repetition count of the quantifier at ``p[i]`` (None: no quantifier)."""
    if i >= len(p) or p[i] not in "?*+{":
        return None, i
    if p[i] == "{":
        m = re.compile(_BRACES).match(p, i)
        if m is None:
            return None, i  # a literal brace
        least, i = int(m.group(1) or 0), m.end()
    else:
        least, i = (1 if p[i] == "+" else 0), i + 1
    if i < len(p) and p[i] in "?+":  # lazy or possessive
        i += 1
    return least, i


def _atom(p: str, i: int) -> tuple[_Atom, int]:
    """The atom at ``p[i]`` and the index after it."""
    c = p[i]
    if c == "\\":
        nxt = p[i + 1]
        if nxt in "xuUN0123456789":
            raise _Unsure  # a character code or back-reference: more than two characters
        return (None if nxt.isalnum() or nxt == "_" else nxt), i + 2
    if c == "[":
        return _class(p, i)
    if c == "(":
        return _group(p, i)
    if c in ".^$":
        return None, i + 1
    if c in "?*+" or (c == "{" and re.compile(_BRACES).match(p, i)):
        raise _Unsure  # nothing to repeat: not a valid pattern
    return c, i + 1


def _group(p: str, i: int) -> tuple[_Atom, int]:
    """A group's requirement (None for lookarounds, which consume nothing)."""
    keep = True
    if p.startswith("(?:", i) or p.startswith("(?>", i):
        body = i + 3
    elif p.startswith("(?P<", i):
        body = p.index(">", i) + 1
    elif p.startswith(("(?=", "(?!"), i):
        body, keep = i + 3, False
    elif p.startswith(("(?<=", "(?<!"), i):
        body, keep = i + 4, False
    elif p.startswith("(?", i):
        raise _Unsure  # flags, comments, conditionals, named back-references
    else:
        body = i + 1
    found, end = _alternatives(p, body)
    if end >= len(p) or p[end] != ")":
        raise _Unsure
    return (found if keep else None), end + 1


def _class(p: str, i: int) -> tuple[_Atom, int]:
    """A character class: its characters when they are all listed one by one."""
    j = i + 1
    negated = p[j] == "^"
    j += negated
    members: list[str] = []
    listed = not negated
    first = True
    while first or p[j] != "]":  # a leading ']' is a member
        first = False
        if p[j] == "\\":
            if p[j + 1] in "xuUN0123456789":
                raise _Unsure
            if p[j + 1].isalnum() or p[j + 1] == "_":
                listed = False  # \d, \w, \s, \n...
            else:
                members.append(p[j + 1])
            j += 2
        elif p[j + 1] == "-" and p[j + 2] != "]":
            if p[j + 2] == "\\":
                raise _Unsure
            listed, j = False, j + 3  # a range
        else:
            members.append(p[j])
            j += 1
    return (tuple(dict.fromkeys(members)) if listed and members else None), j + 1
