"""Notes and overrides in the window, mixed into MainWindow: what is focused, the editor,
the markers (Changes list, Extraneous list, gutter), the Notes panel and the pane menu.

The focus is what the Notes panel shows and notes.edit acts on: the current change,
the current extraneous block, or the paragraph last right-clicked. Overrides act on a
block: the current extraneous one or the one right-clicked. Uses the window's
``session``, ``presentation``, ``panes``, ``sidebar``, ``gutter`` and ``notes_panel``.
"""

from __future__ import annotations

import os
from bisect import bisect_right

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu

from viewer.core.model import Block
from viewer.core.notes import (
    COMPARISON_KEY,
    block_key,
    change_key,
    noted_blocks,
    noted_changes,
    override_for,
)
from viewer.ui import note_editor
from viewer.ui.sidebar import change_label


class NotesCommandsMixin:
    """Focus, note editing, overrides, markers and the pane context menu."""

    _note_focus: str | None = None  # a target key of core.notes
    _block_focus: tuple[str, int] | None = None  # (side, block id) overrides act on

    # ---- focus -------------------------------------------------------------------------

    def _set_note_focus(self, key: str | None, block: tuple[str, int] | None = None) -> None:
        self._note_focus, self._block_focus = key, block
        self._refresh_notes_panel()
        self._update_note_actions()

    def _block(self, side: str, block_id: int) -> Block | None:
        if self.presentation is None:
            return None
        article = (
            self.presentation.comparison.left
            if side == "left"
            else self.presentation.comparison.right
        )
        return article.blocks[block_id] if 0 <= block_id < len(article.blocks) else None

    def _describe_target(self, key: str | None) -> str:
        if key is None or self.presentation is None:
            return "Select a change or an extraneous block, or right-click a paragraph."
        if key == COMPARISON_KEY:
            return "The whole comparison"
        if key.startswith("change:"):
            change = self.presentation.comparison.changes[int(key.split(":")[1])]
            return f"Change {change.id + 1} ({change.kind}): {change_label(change)}"
        _, side, block_id = key.split(":")
        block = self._block(side, int(block_id))
        kind = f" · extraneous ({block.extraneous.category})" if block and block.extraneous else ""
        words = " ".join(block.text.split()[:8]) + "…" if block else ""
        return f"{side.title()} paragraph {int(block_id) + 1}{kind}: {words}"

    # ---- notes -------------------------------------------------------------------------

    def edit_note(self, key: str) -> None:
        """Open the editor on the note at ``key`` (new if there is none)."""
        if self.presentation is None:
            return
        note = self.session.note_at(key)
        title = "Edit Note" if note else "Add Note"
        body = note_editor.ask_note(
            self, title, self._describe_target(key), note.body if note else ""
        )
        if body is not None and body != (note.body if note else ""):
            self.session.set_note(key, body, self.presentation.comparison)

    def _on_notes_edit(self) -> None:
        if self._note_focus is not None:
            self.edit_note(self._note_focus)

    def _on_notes_delete(self) -> None:
        note = self.session.note_at(self._note_focus) if self._note_focus else None
        if note is not None and self.presentation is not None:
            self.session.delete(note.id, self.presentation.comparison)

    def _on_notes_overall(self) -> None:
        self.edit_note(COMPARISON_KEY)

    def _on_notes_panel_delete_orphan_requested(self, note_id: str) -> None:
        comparison = self.presentation.comparison if self.presentation else None
        self.session.delete(note_id, comparison)

    # ---- overrides ---------------------------------------------------------------------

    def _override(self, extraneous: bool | None) -> None:
        block = self._block(*self._block_focus) if self._block_focus else None
        if block is None:
            return
        self.session.set_override(self._block_focus[0], block, extraneous)
        self.compare()  # the worker applies the overrides; lists and panes follow

    def _on_notes_mark_not_extraneous(self) -> None:
        self._override(False)

    def _on_notes_mark_extraneous(self) -> None:
        self._override(True)

    def _on_notes_clear_override(self) -> None:
        self._override(None)

    # ---- showing -----------------------------------------------------------------------

    def _on_session_changed(self) -> None:
        self._refresh_markers()
        self._refresh_notes_panel()
        self._update_note_actions()
        self._update_title()

    def _refresh_markers(self) -> None:
        attached = self.session.attached if self.presentation is not None else {}
        changes = {i: attached[change_key(i)].body for i in noted_changes(attached)}
        blocks = {sb: attached[block_key(*sb)].body for sb in noted_blocks(attached)}  # type: ignore[arg-type]
        self.sidebar.changes.set_notes(changes)
        self.sidebar.extraneous.set_notes(blocks)
        groups: set[int] = set()
        if self.presentation is not None:
            comparison = self.presentation.comparison
            groups = {comparison.changes[i].group for i in changes if i < len(comparison.changes)}
            for side, block_id in blocks:
                index = self.presentation.block_group[side].get(block_id)
                if index is not None:
                    groups.add(comparison.groups[index].id)
        self.gutter.noted_groups = groups
        self.gutter.update()

    def _refresh_notes_panel(self) -> None:
        panel, key = self.notes_panel, self._note_focus
        panel.show_target(self._describe_target(key), self.session.note_at(key) if key else None)
        panel.show_overall(self.session.note_at(COMPARISON_KEY))
        panel.show_orphans(self.session.orphaned)
        panel.show_warnings(self.session.warnings)

    def _update_title(self) -> None:
        if self.presentation is None:
            return
        c = self.presentation.comparison
        session = f" ({os.path.basename(self.session.path)})" if self.session.path else ""
        self.setWindowTitle(f"{c.left.name} ↔ {c.right.name}{session}[*] — Article Diff")
        self.setWindowModified(self.session.dirty)

    def _update_note_actions(self) -> None:
        a, shown = self.actions_by_id, self.presentation is not None
        note = self.session.note_at(self._note_focus) if self._note_focus else None
        a["notes.edit"].setEnabled(shown and self._note_focus is not None)
        a["notes.edit"].setText("&Edit Note…" if note else "&Add Note…")
        a["notes.delete"].setEnabled(shown and note is not None)
        a["notes.overall"].setEnabled(shown)
        block = self._block(*self._block_focus) if self._block_focus else None
        verdict = (
            override_for(self.session.overrides, self._block_focus[0], block) if block else None
        )
        a["notes.mark_not_extraneous"].setEnabled(
            block is not None and block.extraneous is not None
        )
        a["notes.mark_extraneous"].setEnabled(block is not None and block.extraneous is None)
        a["notes.clear_override"].setEnabled(verdict is not None)
        for action_id in ("file.save_session", "file.save_session_as", "file.export_html"):
            a[action_id].setEnabled(shown)

    # ---- the pane's context menu -------------------------------------------------------

    def _block_at(self, side: str, offset: int) -> Block | None:
        blocks = self.panes[side].blocks
        index = bisect_right([b.start for b in blocks], offset) - 1
        return blocks[index] if 0 <= index < len(blocks) and offset <= blocks[index].end else None

    def context_menu(self, side: str, point: QPoint) -> QMenu:
        """The menu for a right-click at viewport ``point`` of a pane (focuses what is there)."""
        from viewer.ui.presentation import change_at

        pane, menu = self.panes[side], QMenu(self)
        offset = pane.offset_at(point)
        block = self._block_at(side, offset) if offset is not None else None
        if self.presentation is not None and block is not None:
            change_id = change_at(self.presentation, side, offset)
            key = change_key(change_id) if change_id is not None else block_key(side, block.id)
            self._set_note_focus(key, (side, block.id))
            if change_id is not None:
                menu.addAction(f"Note on Change {change_id + 1}…", lambda: self.edit_note(key))
            menu.addAction(
                "Note on This Paragraph…", lambda: self.edit_note(block_key(side, block.id))
            )
            menu.addSeparator()
            for action_id in (
                "notes.mark_not_extraneous",
                "notes.mark_extraneous",
                "notes.clear_override",
            ):
                menu.addAction(self.actions_by_id[action_id])
            menu.addSeparator()
        copy = menu.addAction("&Copy", pane.view.copy)
        copy.setEnabled(pane.view.textCursor().hasSelection())
        return menu

    def _on_pane_context_menu_requested(self, side: str, point: QPoint) -> None:
        menu = self.context_menu(side, point)
        menu.exec(self.panes[side].view.viewport().mapToGlobal(point))
        menu.deleteLater()
