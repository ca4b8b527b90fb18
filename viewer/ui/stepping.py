"""Stepping through changes and extraneous blocks, and the status line, mixed into MainWindow.

The window asks core.navigation where the previous/next change is (Meld's locate_chunk)
and only moves the current outline, scrolls and enables actions. Uses the window's
``presentation``, ``panes``, ``sync``, ``gutter``, ``sidebar`` and status labels.
"""

from __future__ import annotations

from viewer.core.navigation import index_at, locate
from viewer.core.notes import block_key, change_key
from viewer.core.scrollmap import sync_point

SIDES = ("left", "right")


class SteppingMixin:
    """Current change / extraneous block, Go menu handlers, enabled actions, status."""

    def _view_position(self) -> float:
        """Display index of the group at the left pane's sync point (its top when at the top)."""
        pane = self.panes["left"]
        if self.presentation is None or not pane.measured or not pane.blocks:
            return 0.0
        value, page = pane.scroll_value(), pane.page_height()
        point = sync_point(value, page, pane.view.verticalScrollBar().maximum())
        index = index_at(pane.tops, value + point * page) or 0
        return float(self.presentation.block_group["left"].get(pane.blocks[index].id, 0))

    def _change_location(self):
        keys = self.presentation.change_keys if self.presentation else []
        return locate(keys, self._view_position(), self.current)

    def go_to_change(self, change_id: int | None) -> None:
        """Make ``change_id`` current: centred and outlined in both panes, selected in the list."""
        if self.presentation is None or change_id is None:
            return
        changes = self.presentation.comparison.changes
        if not 0 <= change_id < len(changes):
            return
        change = changes[change_id]
        self.current = change_id
        with self.sync.paused():
            for side in SIDES:
                span = change.left if side == "left" else change.right
                self.panes[side].set_current(span)
                self.panes[side].center_on(span)
        self.gutter.current_group = change.group
        self.gutter.update()
        self.sidebar.select_change(change_id)
        self._set_note_focus(change_key(change_id))
        self._update_status()
        self._update_actions()

    def _on_go_next_change(self) -> None:
        self.go_to_change(self._change_location().next)

    def _on_go_prev_change(self) -> None:
        self.go_to_change(self._change_location().previous)

    def _on_go_first_change(self) -> None:
        self.go_to_change(self._change_location().first)

    def _on_go_last_change(self) -> None:
        self.go_to_change(self._change_location().last)

    def go_to_extraneous(self, row: int | None) -> None:
        """Bring the ``row``-th extraneous block into view on its side."""
        if (
            self.presentation is None
            or row is None
            or not 0 <= row < len(self.presentation.extraneous)
        ):
            return
        side, block = self.presentation.extraneous[row]
        self.current_extraneous = row
        for pane in self.panes.values():
            pane.set_current((block.start, block.end) if pane.side == side else None)
        self.panes[side].center_on_block(block.id)
        self.sync.follow(side)
        self.sidebar.select_extraneous(row)
        self._set_note_focus(block_key(side, block.id), (side, block.id))
        self._update_actions()

    def _extraneous_location(self):
        keys = self.presentation.extraneous_keys if self.presentation else []
        return locate(keys, self._view_position(), self.current_extraneous)

    def _on_go_next_extraneous(self) -> None:
        self.go_to_extraneous(self._extraneous_location().next)

    def _on_go_prev_extraneous(self) -> None:
        self.go_to_extraneous(self._extraneous_location().previous)

    def _on_sidebar_extraneous_selected(self, side: str, block_id: int) -> None:
        if self.presentation is not None:
            rows = [
                i
                for i, (s, b) in enumerate(self.presentation.extraneous)
                if (s, b.id) == (side, block_id)
            ]
            self.go_to_extraneous(rows[0] if rows else None)

    def _update_actions(self) -> None:
        where = self._change_location()
        extra = self._extraneous_location()
        enable = {
            "go.next_change": where.next is not None,
            "go.prev_change": where.previous is not None,
            "go.first_change": where.first is not None and where.current != where.first,
            "go.last_change": where.last is not None and where.current != where.last,
            "go.next_extraneous": extra.next is not None,
            "go.prev_extraneous": extra.previous is not None,
            "file.reload": None not in self.paths.values(),
        }
        for action_id, enabled in enable.items():
            self.actions_by_id[action_id].setEnabled(enabled)
        self._update_note_actions()

    def _update_status(self) -> None:
        if self.presentation is None:
            return
        comparison = self.presentation.comparison
        s, counts = comparison.stats, comparison.stats.changes
        self.stats_label.setText(
            f"Similarity {s.similarity:.0%} · rewritten {s.rewrite_rate:.0%} · "
            f"{counts.get('replace', 0)} replaced, {counts.get('insert', 0)} inserted, "
            f"{counts.get('delete', 0)} deleted, {counts.get('move', 0)} moved · "
            f"{len(self.presentation.extraneous)} extraneous"
        )
        total = len(comparison.changes)
        if total == 0:
            self.position_label.setText("No differences")
        elif self.current is None:
            self.position_label.setText(f"{total} changes")
        else:
            self.position_label.setText(f"Change {self.current + 1} of {total}")
