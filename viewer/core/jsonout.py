"""The stable JSON format ``article-diff/1`` (documented in the README)."""

from __future__ import annotations

from collections.abc import Sequence
from operator import is_
from typing import TYPE_CHECKING, Any

from viewer.core.model import AlignmentGroup, Article, Block, Change, Comparison, Extraneous
from viewer.core.native import field_names, native, records
from viewer.core.oneshot import keep

if TYPE_CHECKING:
    from viewer.core.compare import Diffed

FORMAT = "article-diff/1"


def encode_line(document: object) -> bytes:
    """One compact JSON document as UTF-8 bytes ending in a newline.

    orjson writes the 4 MB document of a 1 MB pair in about 6 ms where json.dumps takes
    70; the values are the same. A path holding undecodable bytes (surrogate escapes from
    the command line) is not valid Unicode for orjson: json then escapes it as ``\\udcXX``.
    """
    import orjson  # (here: with what it imports, 12 ms of a command line's start)

    try:
        return orjson.dumps(document, option=orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:
        import json

        return (json.dumps(document, ensure_ascii=True) + "\n").encode("ascii")


class Early:
    """The JSON of a comparison's groups and changes, and of its articles' blocks as they
    stand, written before its verdicts are known (compare_files' ``meanwhile``), for
    encode_comparison to use where they are still the comparison's: the blocks' where
    detection found nothing in them (the verdicts then leave the very block objects)."""

    __slots__ = ("groups", "changes", "groups_json", "changes_json", "blocks", "blocks_json")

    def __init__(self) -> None:
        self.groups: object = None
        self.changes: object = None
        self.groups_json = b""
        self.changes_json = b""
        self.blocks: tuple[Sequence[Block], ...] = ()  # of each side, as written
        self.blocks_json: tuple[bytes, ...] = ()

    def write(self, left: Article, right: Article, diffed: Diffed) -> None:
        """Write the groups, changes and blocks (nothing without the extension)."""
        if native is None:
            return
        try:
            groups_json, changes_json = (
                _groups_written(diffed.groups),
                _changes_written(diffed.changes),
            )
            blocks_json = (_blocks_written(left.blocks), _blocks_written(right.blocks))
        except (TypeError, ValueError, OverflowError):  # (left to encode_comparison)
            return
        self.groups, self.changes = diffed.groups, diffed.changes
        self.groups_json, self.changes_json = groups_json, changes_json
        self.blocks, self.blocks_json = (left.blocks, right.blocks), blocks_json

    def blocks_of(self, side: int, blocks: Sequence[Block]) -> bytes | None:
        """The JSON written of side ``side``'s blocks, if ``blocks`` are the very objects
        it was written from; else None."""
        if len(self.blocks) <= side:
            return None
        written = self.blocks[side]
        if written is not blocks and (
            len(written) != len(blocks) or not all(map(is_, written, blocks))
        ):
            return None
        return self.blocks_json[side]


def encode_comparison(comparison: Comparison, early: Early | None = None) -> bytes:
    """``encode_line(comparison_json(comparison))``, the same bytes, faster (see
    comparison_parts)."""
    return b"".join(comparison_parts(comparison, early))


def comparison_parts(comparison: Comparison, early: Early | None = None) -> list[bytes]:
    """encode_comparison's bytes in parts, to be written one after the other: the large
    arrays as they were written, not copied into one 4 MB buffer (a thousand pages).

    Where the extension is built, the whole document is written in C (native.dumps, with
    the blocks, groups and changes, thousands of each, written by native.records_json
    with no dict made for each of them), and orjson is not even imported: with the
    modules it imports, it would cost a command-line run 12 ms of start-up. What the C
    writer leaves to orjson (a path that is not valid Unicode, a float orjson writes with
    an exponent) goes the long way. ``early``: the groups and changes already written,
    used where they are this comparison's.
    """
    if native is not None:
        try:
            left, right = (
                (early.blocks_of(k, a.blocks) if early is not None else None)
                or _blocks_written(a.blocks)
                for k, a in enumerate((comparison.left, comparison.right))
            )
            if early is not None and early.groups is comparison.groups:
                groups = early.groups_json
            else:
                groups = _groups_written(comparison.groups)
            if early is not None and early.changes is comparison.changes:
                changes = early.changes_json
            else:
                changes = _changes_written(comparison.changes)
            document = _document(comparison, left, right, groups, changes)
            keep(document)  # (a one-shot process lets the system free it at exit)
            parts: list[bytes] = native.dumps(document, True, True)
            return parts
        except (TypeError, ValueError, OverflowError):  # (a value only orjson writes)
            pass
    return [encode_line(comparison_json(comparison))]


def _groups_written(groups: Sequence[AlignmentGroup]) -> bytes:
    """orjson.dumps(_groups_json(groups)), written in C."""
    assert native is not None
    names = field_names(AlignmentGroup)
    written: bytes = native.records_json(AlignmentGroup, names, groups, (), None, 3)
    return written


def _changes_written(changes: Sequence[Change]) -> bytes:
    """orjson.dumps(records(Change, changes)), written in C."""
    assert native is not None
    written: bytes = native.records_json(Change, field_names(Change), changes)
    return written


def article_json(article: Article) -> dict[str, object]:
    """One side: path, encoding, format, warnings and blocks."""
    return _side(article, _blocks_json(article.blocks))


def _side(article: Article, blocks: object) -> dict[str, object]:
    return {
        "path": article.path,
        "encoding": article.encoding,
        "format": article.format,
        "warnings": list(article.warnings),
        "blocks": blocks,
    }


def blocks_json(article: Article) -> dict[str, object]:
    """The ``--blocks`` line of one file."""
    return {
        "path": article.path,
        "encoding": article.encoding,
        "blocks": _blocks_json(article.blocks),
    }


# Thousands of blocks and groups: their to_json, from dicts of their fields made in C
# (native.records), twice as fast as a method call each. tests/core/test_jsonout.py holds
# the documents equal to the to_json ones.


def _blocks_json(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    """Block.to_json of each block: "level" only where it is set, a verdict as its JSON."""
    out = records(Block, blocks)
    for block in out:
        if not block["level"]:
            del block["level"]
        verdict = block["extraneous"]
        if verdict is not None:
            block["extraneous"] = verdict.to_json()
    return out


def _blocks_written(blocks: Sequence[Block]) -> bytes:
    """orjson.dumps(_blocks_json(blocks)), written in C."""
    assert native is not None
    written: bytes = native.records_json(
        Block, field_names(Block), blocks, ("level",), _verdict_written
    )
    return written


def _verdict_written(verdict: Extraneous) -> bytes:
    assert native is not None
    written: bytes = native.dumps(verdict.to_json())
    return written


def _groups_json(groups: Sequence[AlignmentGroup]) -> list[dict[str, Any]]:
    """AlignmentGroup.to_json of each group (block ids as tuples: the same JSON arrays)."""
    out = records(AlignmentGroup, groups)
    for group in out:
        group["similarity"] = round(group["similarity"], 3)
    return out


def comparison_json(comparison: Comparison) -> dict[str, object]:
    """The whole comparison as the ``article-diff/1`` document, for encode_line."""
    return _document(
        comparison,
        _blocks_json(comparison.left.blocks),
        _blocks_json(comparison.right.blocks),
        _groups_json(comparison.groups),
        # A change's fields in order are Change.to_json: as dicts made in C, orjson writes
        # them three times faster than the dataclasses (tests/core/test_jsonout.py).
        records(Change, comparison.changes),
    )


def _document(
    comparison: Comparison,
    left_blocks: object,
    right_blocks: object,
    groups: object,
    changes: object,
) -> dict[str, object]:
    return {
        "format": FORMAT,
        "options": comparison.options.to_json(),
        "left": _side(comparison.left, left_blocks),
        "right": _side(comparison.right, right_blocks),
        "alignment": groups,
        "changes": changes,
        "stats": comparison.stats.to_json(),
    }
