"""Handlers of the File, Options, View and Help menus, mixed into MainWindow.

Kept apart from main_window.py so that file stays about presenting and stepping.
They use the window's ``paths``, ``options``, ``settings``, ``panes`` and ``compare``.
"""

from __future__ import annotations

import os
from dataclasses import replace

from PySide6.QtGui import QAction

from viewer.ui import dialogs


class CommandsMixin:
    """File, recent pairs, reload-on-change, options, zoom and help handlers."""

    def _start_dir(self) -> str:
        known = [p for p in self.paths.values() if p]
        return os.path.dirname(known[0]) if known else ""

    def _on_file_open(self) -> None:
        pair = dialogs.choose_pair(self, self._start_dir())
        if pair:
            self.open_files(*pair)

    def _on_file_open_left(self) -> None:
        path = dialogs.choose_file(self, "Open the left article", self._start_dir())
        if path:
            self.open_side("left", path)

    def _on_file_open_right(self) -> None:
        path = dialogs.choose_file(self, "Open the right article", self._start_dir())
        if path:
            self.open_side("right", path)

    def _on_file_reload(self) -> None:
        self.compare()

    def _on_file_quit(self) -> None:
        self.close()

    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        for left, right in self.settings.recent_pairs:
            action = QAction(
                f"{os.path.basename(left)}  ↔  {os.path.basename(right)}", self.recent_menu
            )
            action.setToolTip(f"{left}\n{right}")
            action.triggered.connect(lambda _=False, pair=(left, right): self.open_files(*pair))
            self.recent_menu.addAction(action)
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def _on_watcher_file_changed(self, _path: str) -> None:
        self._reload_timer.start()

    def _on_reload_timer_timeout(self) -> None:
        gone = [p for p in self.paths.values() if p and not os.path.exists(p)]
        if gone:  # deleted or moved: keep showing the last version (and the notes)
            message = f"{', '.join(os.path.basename(p) for p in gone)} is gone; F5 reloads"
            self.statusBar().showMessage(message)
            if self._dialogs:
                dialogs.show_files_gone(self, gone)
            return
        changed = [p for p in self.paths.values() if p]
        if not self._dialogs or dialogs.ask_reload(self, " and ".join(changed)):
            self.compare()

    def _set_option(self, key: str, value: bool) -> None:
        if getattr(self.options, key) == value:
            return
        self.options = replace(self.options, **{key: value})
        self.settings.options = self.options
        if self.session.path or self.session.has_content:  # options are part of a session
            self.session.mark_dirty()
        if key == "hide_extraneous":
            self.sidebar.hide_box.setChecked(value)
        self.compare()

    def _on_options_ignore_case(self, checked: bool) -> None:
        self._set_option("ignore_case", checked)

    def _on_options_ignore_punctuation(self, checked: bool) -> None:
        self._set_option("ignore_punctuation", checked)

    def _on_options_fold_typography(self, checked: bool) -> None:
        self._set_option("fold_typography", checked)

    def _on_options_hide_extraneous(self, checked: bool) -> None:
        self._set_option("hide_extraneous", checked)

    def _set_zoom(self, steps: int) -> None:
        self._zoom = max(-6, min(steps, 24))
        for pane in self.panes.values():
            pane.set_zoom(self._zoom)

    def _on_view_zoom_in(self) -> None:
        self._set_zoom(self._zoom + 1)

    def _on_view_zoom_out(self) -> None:
        self._set_zoom(self._zoom - 1)

    def _on_view_zoom_reset(self) -> None:
        self._set_zoom(0)

    def _on_help_shortcuts(self) -> None:
        dialogs.show_shortcuts(self)

    def _on_help_about(self) -> None:
        dialogs.show_about(self)
