"""Reader's notes on changes, blocks and the whole comparison, and overrides of the detector.

Notes are anchored by content, not by offsets: an anchor keeps the annotated words,
a little context on each side and the offsets last seen. When a file is edited the
offsets go stale, so :func:`attach` finds the words again in the new comparison and
lists the notes whose words are gone as orphaned, never dropping one.

Everything here is pure: functions take tuples of frozen objects and return new ones,
so the window can keep one ``tuple[Note, ...]`` and replace it on every edit.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from difflib import SequenceMatcher
from typing import Literal, NamedTuple

from viewer.core.model import Article, Block, Change, Comparison, Extraneous

Side = Literal["left", "right"]
SIDES: tuple[Side, Side] = ("left", "right")
TARGETS = ("change", "block", "comparison")
CONTEXT_CHARS = 40  # context kept on each side of an anchor
BLOCK_SIMILARITY = 0.6  # an edited block still carries its note above this word similarity
OVERRIDE_CATEGORY = "reader"  # category of blocks a reader marked extraneous


def now_iso() -> str:
    """Current time as an ISO 8601 string in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a note points on one side: the words, their context and their last offsets."""

    side: Side
    text: str
    before: str
    after: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Note:
    """A Markdown note on a change, a block or the whole comparison.

    A change note has an anchor for each side whose text is not empty; a block note
    has one anchor (its side, the whole block text); a comparison note has none.
    """

    id: str
    target: str  # one of TARGETS
    body: str
    anchors: tuple[Anchor, ...] = ()
    created: str = ""
    modified: str = ""


class Orphan(NamedTuple):
    """A note whose words were not found again, and why."""

    note: Note
    reason: str


class Attachment(NamedTuple):
    """Result of :func:`attach`: notes by target key, and the ones left without a target."""

    attached: dict[str, Note]
    orphaned: list[Orphan]


# ---- target keys: one string per thing a note can sit on -------------------------------


def change_key(change_id: int) -> str:
    """Key of the note on change ``change_id`` (the comparison's own numbering)."""
    return f"change:{change_id}"


def block_key(side: Side, block_id: int) -> str:
    """Key of the note on block ``block_id`` of ``side``."""
    return f"block:{side}:{block_id}"


COMPARISON_KEY = "comparison"


def noted_changes(attached: Mapping[str, Note]) -> set[int]:
    """Ids of the changes that carry a note (markers in the Changes list and the gutter)."""
    return {int(k.split(":")[1]) for k in attached if k.startswith("change:")}


def noted_blocks(attached: Mapping[str, Note]) -> set[tuple[str, int]]:
    """(side, block id) of the blocks that carry a note."""
    out = set()
    for key in attached:
        if key.startswith("block:"):
            _, side, block_id = key.split(":")
            out.add((side, int(block_id)))
    return out


def _article(comparison: Comparison, side: Side) -> Article:
    return comparison.left if side == "left" else comparison.right


def make_anchor(article: Article, side: Side, start: int, end: int) -> Anchor:
    """Anchor for ``article.text[start:end]`` with its context."""
    text = article.text
    return Anchor(
        side=side,
        text=text[start:end],
        before=text[max(0, start - CONTEXT_CHARS) : start],
        after=text[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
    )


# ---- creating, editing, deleting --------------------------------------------------------


def _new_note(target: str, body: str, anchors: tuple[Anchor, ...], now: str | None) -> Note:
    stamp = now or now_iso()
    return Note(uuid.uuid4().hex[:12], target, body, anchors, stamp, stamp)


def note_for_change(
    comparison: Comparison, change_id: int, body: str, now: str | None = None
) -> Note:
    """A new note on a change, anchored by the change's words on each side."""
    change = comparison.changes[change_id]
    spans: tuple[tuple[Side, tuple[int, int]], ...] = (
        ("left", change.left),
        ("right", change.right),
    )
    anchors = tuple(
        make_anchor(_article(comparison, side), side, *span)
        for side, span in spans
        if span[1] > span[0]
    )
    return _new_note("change", body, anchors, now)


def note_for_block(
    comparison: Comparison, side: Side, block_id: int, body: str, now: str | None = None
) -> Note:
    """A new note on a block (typically an extraneous one), anchored by the block's text."""
    block = _article(comparison, side).blocks[block_id]
    anchor = make_anchor(_article(comparison, side), side, block.start, block.end)
    return _new_note("block", body, (anchor,), now)


def note_for_comparison(body: str, now: str | None = None) -> Note:
    """The overall note on the whole comparison."""
    return _new_note("comparison", body, (), now)


def add_note(notes: Sequence[Note], note: Note) -> tuple[Note, ...]:
    """``notes`` with ``note`` added; a second comparison note replaces the first."""
    if note.target == "comparison":
        notes = [n for n in notes if n.target != "comparison"]
    return (*notes, note)


def edit_note(
    notes: Sequence[Note], note_id: str, body: str, now: str | None = None
) -> tuple[Note, ...]:
    """``notes`` with the body of note ``note_id`` replaced; KeyError if there is none."""
    if not any(n.id == note_id for n in notes):
        raise KeyError(note_id)
    stamp = now or now_iso()
    return tuple(replace(n, body=body, modified=stamp) if n.id == note_id else n for n in notes)


def delete_note(notes: Sequence[Note], note_id: str) -> tuple[Note, ...]:
    """``notes`` without note ``note_id`` (unchanged if it is not there)."""
    return tuple(n for n in notes if n.id != note_id)


def overall_note(notes: Iterable[Note]) -> Note | None:
    """The note on the whole comparison, if any."""
    return next((n for n in notes if n.target == "comparison"), None)


def set_overall_note(notes: Sequence[Note], body: str, now: str | None = None) -> tuple[Note, ...]:
    """Create, edit or (with an empty body) delete the overall note."""
    current = overall_note(notes)
    if current is None:
        return add_note(notes, note_for_comparison(body, now)) if body.strip() else tuple(notes)
    if not body.strip():
        return delete_note(notes, current.id)
    return edit_note(notes, current.id, body, now)


# ---- finding anchors again ---------------------------------------------------------------


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def locate(article: Article, anchor: Anchor) -> tuple[int, int] | None:
    """Span of ``anchor``'s words in ``article``: the occurrence with the best-matching
    context, nearest to the old offsets on a tie; None when the words are gone."""
    if not anchor.text:
        return None
    text, best, best_score = article.text, None, (-1, 0)
    pos = text.find(anchor.text)
    while pos >= 0:
        end = pos + len(anchor.text)
        context = _common_suffix(text[max(0, pos - CONTEXT_CHARS) : pos], anchor.before)
        context += _common_prefix(text[end : end + CONTEXT_CHARS], anchor.after)
        score = (context, -abs(pos - anchor.start))
        if score > best_score:
            best, best_score = (pos, end), score
        pos = text.find(anchor.text, pos + 1)
    return best


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _change_span(change: Change, side: Side) -> tuple[int, int]:
    return change.left if side == "left" else change.right


def _find_change(comparison: Comparison, note: Note) -> tuple[Change | None, str]:
    """The change a change note belongs to now, or None and the reason."""
    found = False
    votes: dict[int, float] = {}
    for anchor in note.anchors:
        span = locate(_article(comparison, anchor.side), anchor)
        if span is None:
            continue
        found = True
        for change in comparison.changes:
            other = _change_span(change, anchor.side)
            overlap = _overlap(span, other)
            if overlap:
                # overlap over union: the tightest fit wins, so a note on a replace
                # inside a moved paragraph stays on the replace, not on the move
                union = max(span[1], other[1]) - min(span[0], other[0])
                votes[change.id] = votes.get(change.id, 0.0) + overlap / union
    if votes:
        best = max(votes, key=lambda cid: (votes[cid], -cid))
        return comparison.changes[best], ""
    if found:
        return None, "its words are still there but no longer differ"
    return None, "the words it annotated are gone"


def _words(text: str) -> list[str]:
    return text.split()


def _find_block(comparison: Comparison, anchor: Anchor) -> Block | None:
    """The block a block note belongs to now: same text, else the most similar one."""
    article = _article(comparison, anchor.side)
    span = locate(article, anchor)
    if span is not None:
        for block in article.blocks:
            if block.start == span[0] and block.end == span[1]:
                return block
    wanted = _words(anchor.text)
    best, best_ratio = None, BLOCK_SIMILARITY
    for block in article.blocks:
        matcher = SequenceMatcher(None, wanted, _words(block.text), autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio or (ratio == best_ratio and best is None):
            best, best_ratio = block, ratio
    return best


def _refresh(note: Note, comparison: Comparison, spans: Mapping[Side, tuple[int, int]]) -> Note:
    """``note`` with its anchors re-made at the spans where it was found."""
    anchors = tuple(
        make_anchor(_article(comparison, side), side, *span)
        for side, span in spans.items()
        if span[1] > span[0]
    )
    return replace(note, anchors=anchors) if anchors else note


def _attach_one(note: Note, comparison: Comparison) -> tuple[str, Note] | Orphan:
    if note.target == "comparison":
        return COMPARISON_KEY, note
    if note.target == "block" and note.anchors:
        anchor = note.anchors[0]
        block = _find_block(comparison, anchor)
        if block is None:
            return Orphan(note, f"the {anchor.side} block it annotated is gone")
        fresh = _refresh(note, comparison, {anchor.side: (block.start, block.end)})
        return block_key(anchor.side, block.id), fresh
    if note.target == "change" and note.anchors:
        change, reason = _find_change(comparison, note)
        if change is None:
            return Orphan(note, reason)
        fresh = _refresh(note, comparison, {"left": change.left, "right": change.right})
        return change_key(change.id), fresh
    return Orphan(note, f"unknown target {note.target!r}")


def attach(notes: Iterable[Note], comparison: Comparison) -> Attachment:
    """Find each note's target in ``comparison`` by the words it annotates.

    Returns the attached notes by target key (with anchors refreshed to the new
    offsets, so saving them again keeps them current) and the orphaned ones with a
    reason. A second note landing on a target that already has one is orphaned too,
    so nothing is silently merged or lost.
    """
    attached: dict[str, Note] = {}
    orphaned: list[Orphan] = []
    for note in notes:
        result = _attach_one(note, comparison)
        if isinstance(result, Orphan):
            orphaned.append(result)
        elif result[0] in attached:
            orphaned.append(Orphan(note, "another note already sits on the same place"))
        else:
            attached[result[0]] = result[1]
    return Attachment(attached, orphaned)


def current_notes(attachment: Attachment) -> tuple[Note, ...]:
    """All notes of an attachment, attached (refreshed) then orphaned: what to save."""
    return (*attachment.attached.values(), *(o.note for o in attachment.orphaned))


# ---- overrides of the extraneous detector -----------------------------------------------


@dataclass(frozen=True, slots=True)
class Override:
    """A reader's verdict on one block, keyed by side and the hash of the block's text."""

    side: Side
    text_hash: str
    extraneous: bool
    preview: str = ""  # start of the block text, for people reading the session file


def text_hash(text: str) -> str:
    """Content key of a block: sha256 of its UTF-8 text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def set_override(
    overrides: Sequence[Override], side: Side, block: Block, extraneous: bool | None
) -> tuple[Override, ...]:
    """``overrides`` with the reader's verdict on ``block`` set (None removes it)."""
    key = text_hash(block.text)
    kept = tuple(o for o in overrides if (o.side, o.text_hash) != (side, key))
    if extraneous is None:
        return kept
    return (*kept, Override(side, key, extraneous, block.text[:80]))


def override_for(overrides: Iterable[Override], side: Side, block: Block) -> Override | None:
    """The reader's verdict on ``block``, if there is one."""
    key = text_hash(block.text)
    return next((o for o in overrides if o.side == side and o.text_hash == key), None)


def apply_overrides(article: Article, overrides: Iterable[Override], side: Side) -> Article:
    """``article`` with the reader's verdicts applied to its blocks' ``extraneous``."""
    verdicts = {o.text_hash: o.extraneous for o in overrides if o.side == side}
    if not verdicts:
        return article
    blocks = []
    for block in article.blocks:
        verdict = verdicts.get(text_hash(block.text))
        if verdict is False and block.extraneous is not None:
            block = replace(block, extraneous=None)
        elif verdict is True and block.extraneous is None:
            mark = Extraneous(OVERRIDE_CATEGORY, "marked extraneous by a reader", 1.0)
            block = replace(block, extraneous=mark)
        blocks.append(block)
    return article.with_blocks(tuple(blocks))
