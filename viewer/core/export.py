"""The annotated HTML report: one self-contained file, rendered from resources/report/.

Python prepares everything the template shows: the highlighted text of each block
is built here as escaped ``Markup`` (the template never loops over characters, so
a 1 MB pair renders in well under a second), and the template only lays out rows.
Every word of both articles lands in the report exactly once as "primary" text,
in order: a block the alignment shows out of its side's order (a move) is shown in
full at its own place and echoed, highlighted, in the aligned row.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from viewer import __version__
from viewer.core.errors import OutputError
from viewer.core.markdown_render import render_markdown
from viewer.core.model import Article, Block, CompareOptions, Comparison

if TYPE_CHECKING:
    from viewer.core.compare import DetectIn
from viewer.core.notes import (
    COMPARISON_KEY,
    Note,
    Orphan,
    Side,
    attach,
    block_key,
    change_key,
    noted_changes,
    overall_note,
)
from viewer.core.report_layout import (
    Highlighter,
    Numbering,
    RowPlan,
    marks_for,
    plan_rows,
    positions,
)
from viewer.core.snippets import excerpt
from viewer.resources import resource_path

EXCERPT = 90  # characters of a change or block shown in lists


@dataclass(slots=True)
class BlockView:
    """One block as the template shows it."""

    side: Side
    block: Block
    html: Markup
    dom_id: str
    echo: bool = False  # shown again in its aligned row; the primary copy is elsewhere
    noted: bool = False
    link: tuple[str, str] | None = None  # (href, text) of a "moved from/to" marker


@dataclass(slots=True)
class NoteView:
    """A rendered note with what it annotates."""

    note: Note
    label: str
    href: str
    quote: str
    html: Markup
    reason: str = ""


@dataclass(slots=True)
class RowView:
    """One row of the side-by-side table: an alignment group or a displaced block."""

    dom_id: str
    kind: str  # "group" or "ghost"
    relation: str
    moved: bool
    number: str
    left: list[BlockView] = field(default_factory=list)
    right: list[BlockView] = field(default_factory=list)
    anchors: list[tuple[str, str]] = field(default_factory=list)  # (dom id, label) of changes
    notes: list[NoteView] = field(default_factory=list)


def _articles(comparison: Comparison) -> tuple[tuple[Side, Article], tuple[Side, Article]]:
    return ("left", comparison.left), ("right", comparison.right)


def _group_sides(
    left: tuple[int, ...], right: tuple[int, ...]
) -> tuple[tuple[Side, tuple[int, ...]], tuple[Side, tuple[int, ...]]]:
    return ("left", left), ("right", right)


def _note_view(comparison: Comparison, key: str, note: Note, reason: str = "") -> NoteView:
    """Label, link and quoted words of a note on ``key``."""
    quote = excerpt(" / ".join(a.text for a in note.anchors), 160)
    label, href = "Note", ""
    if key.startswith("change:"):
        change = comparison.changes[int(key.split(":")[1])]
        label, href = f"Change {change.id + 1} · {change.kind}", f"#change-{change.id + 1}"
    elif key.startswith("block:"):
        _, side, bid = key.split(":")
        label, href = f"{side.title()} block {int(bid) + 1}", f"#{side[0].upper()}-{bid}"
    elif note.target != "comparison":
        label = f"Note on a {note.target} (orphaned)"
    return NoteView(note, label, href, quote, render_markdown(note.body), reason)


def _block_views(
    row: int,
    plan: RowPlan,
    comparison: Comparison,
    hl: Mapping[Side, Highlighter],
    keys: tuple[set[int], Mapping[str, Note], Mapping[str, tuple[int, str]]],
) -> tuple[list[BlockView], list[BlockView]]:
    """Views of the blocks of one row; displaced blocks link their two places."""
    noted, notes, where = keys
    sides: list[list[BlockView]] = [[], []]
    for i, (side, ids) in enumerate(_group_sides(plan.left, plan.right)):
        article = comparison.left if side == "left" else comparison.right
        prefix = side[0].upper()
        for bid in ids:
            block = article.blocks[bid]
            echo = bid in plan.echo[i]
            ghost = plan.kind == "ghost"
            own, aligned = f"{prefix}-{bid}", f"{prefix}-{bid}-aligned"
            view = BlockView(
                side,
                block,
                hl[side].block(block, noted, plain=ghost),
                aligned if echo else own,
                echo=echo,
                noted=block_key(side, bid) in notes,
            )
            if echo and own in where:
                arrow = "↓ below" if where[own][0] > row else "↑ above"
                view.link = (f"#{own}", f"moved here from its place {arrow}")
            elif ghost and aligned in where:
                other, number = where[aligned]
                arrow = "↓" if other > row else "↑"
                view.link = (f"#{aligned}", f"moved: compared in row {number} {arrow}")
            sides[i].append(view)
    return sides[0], sides[1]


def _add_change_extras(
    row: RowView,
    comparison: Comparison,
    change_ids: Sequence[int],
    notes: Mapping[str, Note],
    state: Numbering,
) -> None:
    """Notes on the group's changes, and gutter anchors for changes not anchored in the text
    (moves, and changes with no text of their own)."""
    for cid in change_ids:
        key = change_key(cid)
        if key in notes:
            row.notes.append(_note_view(comparison, key, notes[key]))
        if cid not in state.anchored:
            state.anchored.add(cid)
            label = f"#{cid + 1} {comparison.changes[cid].kind}"
            row.anchors.append((f"change-{cid + 1}", label))


def build_rows(comparison: Comparison, notes: Mapping[str, Note]) -> list[RowView]:
    """Rows of the report in display order, with highlighted blocks, anchors and notes."""
    state = Numbering()
    hl = {
        side: Highlighter(art, side, marks_for(comparison, side), state)
        for side, art in _articles(comparison)
    }
    by_group: dict[int, list[int]] = {}
    for change in comparison.changes:
        by_group.setdefault(change.group, []).append(change.id)
    grouped = {
        block_key(side, b)
        for g in comparison.groups
        for side, ids in _group_sides(g.left, g.right)
        for b in ids
    }
    rows: list[RowView] = []
    plans = plan_rows(comparison)
    where = positions(plans)
    noted = noted_changes(notes)
    for index, plan in enumerate(plans):
        group = comparison.groups[plan.group] if plan.group is not None else None
        row = RowView(
            plan.dom_id,
            plan.kind,
            group.relation if group else "moved",
            bool(group and group.moved) or plan.kind == "ghost",
            plan.number,
        )
        row.left, row.right = _block_views(index, plan, comparison, hl, (noted, notes, where))
        if group is not None:
            _add_change_extras(row, comparison, by_group.get(group.id, []), notes, state)
        for view in (*row.left, *row.right):
            key = block_key(view.side, view.block.id)
            # a block note sits in the block's group row, or its ghost row if it has none
            if key in notes and (plan.kind == "group" or key not in grouped):
                row.notes.append(_note_view(comparison, key, notes[key]))
        rows.append(row)
    return rows


def _file_info(article: Article, words: int, modified: datetime | None) -> dict[str, object]:
    if modified is None:
        try:
            modified = datetime.fromtimestamp(os.stat(article.path).st_mtime, UTC)
        except OSError:
            modified = None
    return {
        "name": article.name,
        "modified": modified.strftime("%Y-%m-%d %H:%M UTC") if modified else "unknown",
        "encoding": article.encoding,
        "format": article.format,
        "words": words,
        "warnings": list(article.warnings),
    }


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource_path("report"))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(
    comparison: Comparison,
    notes: Mapping[str, Note],
    orphaned: Sequence[Orphan],
    overall_note: str,
    generated_at: datetime,
    *,
    warnings: Sequence[str] = (),
    modified: tuple[datetime | None, datetime | None] = (None, None),
) -> str:
    """The whole report as one HTML document (no script, no external requests).

    ``notes`` are attached notes by target key (from :func:`viewer.core.notes.attach`),
    ``orphaned`` the notes whose words are gone; ``modified`` overrides the files'
    modification times (read from disk when None).
    """
    rows = build_rows(comparison, notes)
    notes_list = [n for row in rows for n in row.notes]
    extraneous = [
        (side, b)
        for side, art in _articles(comparison)
        for b in art.blocks
        if b.extraneous is not None
    ]
    noted = noted_changes(notes)
    template = _environment().get_template("report.html.j2")
    return template.render(
        c=comparison,
        stats=comparison.stats,
        files=(
            _file_info(comparison.left, comparison.stats.left.words, modified[0]),
            _file_info(comparison.right, comparison.stats.right.words, modified[1]),
        ),
        rows=rows,
        toc=[
            (ch, excerpt(ch.left_text, EXCERPT), excerpt(ch.right_text, EXCERPT), ch.id in noted)
            for ch in comparison.changes
        ],
        extraneous=[(side, b, excerpt(b.text, EXCERPT)) for side, b in extraneous],
        notes_list=notes_list,
        orphaned=[_note_view(comparison, "", o.note, o.reason) for o in orphaned],
        overall=render_markdown(overall_note),
        generated=generated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        warnings=list(warnings),
        options=[k.replace("_", " ") for k, v in comparison.options.to_json().items() if v],
        has_notes=bool(notes_list),
        css=Markup(resource_path("report", "report.css").read_text(encoding="utf-8")),  # noqa: S704
        version=__version__,
    )


def save_report(
    comparison: Comparison,
    notes: Sequence[Note],
    out_path: str | os.PathLike[str],
    *,
    warnings: Sequence[str] = (),
    protect: Sequence[str | os.PathLike[str]] = (),
) -> None:
    """Write the report of a comparison the caller already has (the window's Export HTML).

    ``notes`` are all the session's notes: they are attached here, orphans listed.
    Refuses (OutputError) to write over either article or any path in ``protect``.
    """
    from viewer.core.safe_write import check_not_input, write_text_atomic

    check_not_input(out_path, [comparison.left.path, comparison.right.path, *protect])
    folder = Path(out_path).absolute().parent
    if not folder.is_dir():
        raise OutputError(f"cannot write the report: folder {folder} does not exist", str(out_path))
    attached, orphaned = attach(notes, comparison)
    attached.pop(COMPARISON_KEY, None)
    overall = overall_note(notes)
    html = render_report(
        comparison,
        attached,
        orphaned,
        overall.body if overall else "",
        datetime.now(UTC),
        warnings=warnings,
    )
    write_text_atomic(out_path, html)


def export_report(
    left_path: str | os.PathLike[str],
    right_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    options: CompareOptions,
    session_path: str | os.PathLike[str] | None = None,
    *,
    detect_in: DetectIn = "here",
) -> tuple[Comparison, tuple[str, ...]]:
    """Compare two files and write the report to ``out_path`` atomically.

    Returns the comparison and the warnings shown in the report (e.g. a file changed
    since the session was saved), so a caller can also report them elsewhere.

    With a session, its options are merged in, its overrides applied and its notes
    attached by their words. Refuses (OutputError) to write over an input or the session,
    before any work is done. ``detect_in`` as for compare_files.
    """
    from viewer.core.compare import compare_files
    from viewer.core.safe_write import check_not_input
    from viewer.core.session import apply_session, check_files, load_session, merged_options

    protect = [session_path] if session_path else []
    check_not_input(out_path, [left_path, right_path, *protect])
    if not Path(out_path).absolute().parent.is_dir():
        folder = Path(out_path).absolute().parent
        raise OutputError(f"cannot write the report: folder {folder} does not exist", str(out_path))
    session = load_session(session_path) if session_path else None
    if session is not None:
        options = merged_options(options, session.options)
    comparison = compare_files(left_path, right_path, options, detect_in=detect_in)
    if session is None:
        save_report(comparison, (), out_path)
        return comparison, ()
    comparison = apply_session(comparison, session)
    warnings = tuple(check_files(session))
    save_report(comparison, session.notes, out_path, warnings=warnings, protect=protect)
    return comparison, warnings
