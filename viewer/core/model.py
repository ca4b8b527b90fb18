"""Frozen data model shared by every part of Article Diff.

Data flows one way: files -> loading -> compare -> Comparison -> ui or export.
All offsets are code points (Python string indices) into ``Article.text``; the
one place that converts them to Qt's UTF-16 positions lives in the ui package.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Span = tuple[int, int]

# Kinds of block a loader produces.
BLOCK_KINDS = ("paragraph", "heading", "list_item", "quote")

# Relations of an alignment group.
RELATIONS = ("equal", "changed", "merged", "split", "moved", "unmatched", "hidden")

# Kinds of change; "equal" only appears in segments, never in changes.
CHANGE_KINDS = ("insert", "delete", "replace", "move")


@dataclass(frozen=True, slots=True)
class Extraneous:
    """Why a block is not part of the article: a category, a score and a readable reason."""

    category: str
    reason: str
    score: float

    def to_json(self) -> dict[str, object]:
        return {"category": self.category, "reason": self.reason, "score": round(self.score, 3)}


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph-like unit of an article; ``text == article.text[start:end]``."""

    id: int
    start: int
    end: int
    text: str
    kind: str = "paragraph"
    level: int = 0  # heading level 1-6, list nesting depth, 0 otherwise
    extraneous: Extraneous | None = None

    def with_extraneous(self, verdict: Extraneous | None) -> Block:
        """This block with another verdict (the constructor: replace() is much slower)."""
        return Block(self.id, self.start, self.end, self.text, self.kind, self.level, verdict)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
        }
        if self.level:
            out["level"] = self.level
        out["extraneous"] = self.extraneous.to_json() if self.extraneous else None
        return out


@dataclass(frozen=True, slots=True)
class Article:
    """A loaded article: its normalised text and the blocks that tile it.

    ``text`` is the blocks' texts joined by a single newline, so block ``i`` starts
    at ``blocks[i].start`` and the character after its end is ``"\\n"`` (except the last).
    """

    path: str
    text: str
    blocks: tuple[Block, ...]
    encoding: str = "utf-8"
    format: str = "text"  # "text", "markdown" or "html"
    warnings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        from os.path import basename

        return basename(self.path) or self.path

    def with_blocks(self, blocks: tuple[Block, ...]) -> Article:
        """Same article with new block objects (e.g. after extraneous detection)."""
        return Article(self.path, self.text, blocks, self.encoding, self.format, self.warnings)

    def with_verdicts(self, verdicts: Sequence[Extraneous | None]) -> Article:
        """Same article with one verdict per block.

        Most blocks are body and already say so: those objects are kept (a frozen Block
        costs microseconds to build, thousands of them milliseconds).
        """
        blocks = tuple(
            b if v is None and b.extraneous is None else b.with_extraneous(v)
            for b, v in zip(self.blocks, verdicts, strict=True)
        )
        return self.with_blocks(blocks)


@dataclass(frozen=True, slots=True)
class CompareOptions:
    """User options that change what counts as a difference."""

    ignore_case: bool = False
    ignore_punctuation: bool = False
    fold_typography: bool = False  # typographic quotes, dashes and spaces
    hide_extraneous: bool = False  # take extraneous blocks out of the comparison

    def to_json(self) -> dict[str, bool]:
        return {
            "ignore_case": self.ignore_case,
            "ignore_punctuation": self.ignore_punctuation,
            "fold_typography": self.fold_typography,
            "hide_extraneous": self.hide_extraneous,
        }


@dataclass(frozen=True, slots=True)
class AlignmentGroup:
    """Blocks of the left and right article that correspond to each other.

    ``relation`` is one of RELATIONS. Unmatched groups have one side empty;
    ``hidden`` groups hold extraneous blocks taken out of the comparison.
    ``moved`` is true when the group is out of order relative to its neighbours.
    """

    id: int
    left: tuple[int, ...]
    right: tuple[int, ...]
    relation: str
    similarity: float
    moved: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "left": list(self.left),
            "right": list(self.right),
            "relation": self.relation,
            "similarity": round(self.similarity, 3),
            "moved": self.moved,
        }


@dataclass(frozen=True, slots=True)
class Segment:
    """One diff operation inside a group, equal runs included.

    The segments of a comparison tile the text of every non-hidden block of both
    sides exactly; changes are the non-equal segments plus whole-group moves.
    """

    kind: str  # "equal", "insert", "delete" or "replace"
    group: int
    left: Span
    right: Span


@dataclass(frozen=True, slots=True)
class Change:
    """A numbered difference the user can step to, with offsets into each side's text."""

    id: int
    kind: str  # one of CHANGE_KINDS
    group: int
    left: Span
    right: Span
    left_text: str
    right_text: str

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "group": self.group,
            "left": list(self.left),
            "right": list(self.right),
            "left_text": self.left_text,
            "right_text": self.right_text,
        }


@dataclass(frozen=True, slots=True)
class SideStats:
    """Word counts of one side; ``changed`` words are inserted (right) or deleted (left)."""

    words: int = 0
    equal: int = 0
    changed: int = 0
    replaced: int = 0
    moved: int = 0
    unmatched: int = 0
    extraneous: int = 0


@dataclass(frozen=True, slots=True)
class Stats:
    """Summary figures of a comparison."""

    similarity: float
    rewrite_rate: float
    left: SideStats
    right: SideStats
    relations: dict[str, int] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        def side(s: SideStats, changed_name: str) -> dict[str, int]:
            return {
                "words": s.words,
                "equal": s.equal,
                changed_name: s.changed,
                "replaced": s.replaced,
                "moved": s.moved,
                "unmatched": s.unmatched,
                "extraneous": s.extraneous,
            }

        return {
            "similarity": round(self.similarity, 4),
            "rewrite_rate": round(self.rewrite_rate, 4),
            "left": side(self.left, "deleted"),
            "right": side(self.right, "inserted"),
            "relations": dict(self.relations),
            "changes": dict(self.changes),
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything the window and the report show about two articles."""

    left: Article
    right: Article
    options: CompareOptions
    groups: tuple[AlignmentGroup, ...]
    segments: tuple[Segment, ...]
    changes: tuple[Change, ...]
    stats: Stats

    @property
    def identical(self) -> bool:
        return not self.changes
