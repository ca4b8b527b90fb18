"""The main window: two synchronised panes, the link map, overview, sidebar and stepping.

It presents what viewer.core computes and computes nothing of its own: the worker
compares, ``present`` decides what is shown, core.navigation says where to step.
"""

from __future__ import annotations

import gc
import os

from PySide6.QtCore import QFileSystemWatcher, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QScrollArea,
    QToolBar,
    QWidget,
)

from viewer.core.model import CompareOptions, Comparison
from viewer.core.scrollmap import build_links
from viewer.ui import dialogs
from viewer.ui.actions import MENUS, TOOLBAR, create_actions, handler_name
from viewer.ui.collector import CollectorPause
from viewer.ui.commands import CommandsMixin
from viewer.ui.document import SliceRunner
from viewer.ui.gutter import Gutter, make_bands
from viewer.ui.highlight import colours_for, legend_html
from viewer.ui.notes_commands import NotesCommandsMixin
from viewer.ui.notes_panel import NotesPanel
from viewer.ui.overview import Overview, block_marks
from viewer.ui.pane import Pane
from viewer.ui.presentation import Presentation, change_at, present
from viewer.ui.scrollsync import ScrollSync
from viewer.ui.session_commands import SessionCommandsMixin
from viewer.ui.session_controller import SessionController, compare_task
from viewer.ui.settings import Settings
from viewer.ui.sidebar import Sidebar, change_label
from viewer.ui.stepping import SteppingMixin
from viewer.ui.worker import CompareFn, CompareWorker, default_compare

SIDES = ("left", "right")
_OPTION_IDS = ("ignore_case", "ignore_punctuation", "fold_typography", "hide_extraneous")


class MainWindow(
    SessionCommandsMixin, NotesCommandsMixin, SteppingMixin, CommandsMixin, QMainWindow
):
    comparison_shown = Signal()  # the latest comparison is laid out and painted
    error_reported = Signal(str)
    report_exported = Signal(str)  # the report's path, or "" when it could not be written

    def __init__(
        self,
        settings: Settings,
        options: CompareOptions | None = None,
        compare_fn: CompareFn = default_compare,
        dialogs_enabled: bool = True,
        autosave_dir: str | None = None,
    ) -> None:
        super().__init__()
        self._create_widgets(settings, options or settings.options, compare_fn, dialogs_enabled)
        self._create_notes(autosave_dir or settings.autosave_dir)
        self._create_actions()
        self._connect_signals()
        self._restore_state()

    # Construction ----------------------------------------------------------------------------

    def _create_widgets(
        self,
        settings: Settings,
        options: CompareOptions,
        compare_fn: CompareFn,
        dialogs_enabled: bool,
    ) -> None:
        self.settings, self.options, self._dialogs = settings, options, dialogs_enabled
        self.paths: dict[str, str | None] = {"left": None, "right": None}
        self.presentation: Presentation | None = None
        self.current: int | None = None
        self.current_extraneous: int | None = None
        self.collector = CollectorPause(self)
        self._zoom = 0
        self.setWindowTitle("Article Diff")
        self.resize(1280, 820)
        self.worker = CompareWorker(compare_fn, parent=self)
        self._export_jobs: set[object] = set()  # reports being written in the background
        self.panes = {side: Pane(side, self) for side in SIDES}
        self.gutter = Gutter(self.panes["left"], self.panes["right"], self)
        self.overview = Overview(self.panes["left"], self.panes["right"], self)
        self.sync = ScrollSync(self.panes["left"], self.panes["right"], self)
        self._create_central()
        self.sidebar = Sidebar(self)
        self.dock = QDockWidget("Differences", self)
        self.dock.setObjectName("sidebarDock")
        self.dock.setWidget(self.sidebar)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.resizeDocks([self.dock], [330], Qt.Orientation.Horizontal)
        self._create_status_bar()
        self.watcher = QFileSystemWatcher(self)
        self._reload_timer = QTimer(self, singleShot=True, interval=400)
        self._pending_ready: set[str] = set()
        self._geometry = SliceRunner(parent=self)

    def _create_notes(self, autosave_dir: str) -> None:
        """The session state (notes, overrides, autosave) and the Notes dock under the sidebar."""
        self.session = SessionController(autosave_dir, self)
        self._pending_restore: tuple | None = None
        self.notes_panel = NotesPanel(self)
        self.notes_dock = QDockWidget("Notes", self)
        self.notes_dock.setObjectName("notesDock")
        scroll = QScrollArea(self)  # the panel scrolls rather than forcing a tall window
        scroll.setWidget(self.notes_panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.notes_dock.setWidget(scroll)
        self.splitDockWidget(self.dock, self.notes_dock, Qt.Orientation.Vertical)
        self.resizeDocks([self.dock, self.notes_dock], [430, 470], Qt.Orientation.Vertical)
        for pane in self.panes.values():
            pane.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def _create_central(self) -> None:
        """Left pane, gutter, right pane and overview strip, side by side."""
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for widget, stretch in (
            (self.panes["left"], 1),
            (self.gutter, 0),
            (self.panes["right"], 1),
            (self.overview, 0),
        ):
            layout.addWidget(widget, stretch)
        self.setCentralWidget(central)

    def _create_status_bar(self) -> None:
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.stats_label = QLabel(self)
        self.legend = QLabel(self)
        self.position_label = QLabel("No comparison", self)
        width = self.position_label.fontMetrics().horizontalAdvance("Change 88888 of 88888")
        self.position_label.setMinimumWidth(width + 8)
        bar = self.statusBar()
        bar.addWidget(self.stats_label, 1)
        bar.addPermanentWidget(self.legend)
        bar.addPermanentWidget(self.busy)
        bar.addPermanentWidget(self.position_label)

    def _create_actions(self) -> None:
        self.actions_by_id = create_actions(self)
        self.recent_menu = QMenu("Open &Recent", self)
        special = {
            "@recent": self.recent_menu.menuAction(),
            "@sidebar": self.dock.toggleViewAction(),
            "@notes": self.notes_dock.toggleViewAction(),
        }
        for title, ids in MENUS:
            menu = self.menuBar().addMenu(title)
            for action_id in ids:
                if action_id == "-":
                    menu.addSeparator()
                else:
                    menu.addAction(special.get(action_id) or self.actions_by_id[action_id])
        toolbar = QToolBar("Navigation", self)
        toolbar.setObjectName("navigationToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action_id in TOOLBAR:
            if action_id == "-":
                toolbar.addSeparator()
            else:
                toolbar.addAction(self.actions_by_id[action_id])
        self.addToolBar(toolbar)
        for key in _OPTION_IDS:
            self.actions_by_id[f"options.{key}"].setChecked(getattr(self.options, key))
        self.sidebar.hide_box.setChecked(self.options.hide_extraneous)
        a = self.actions_by_id
        self.notes_panel.set_actions(a["notes.edit"], a["notes.delete"], a["notes.overall"])
        self._update_actions()

    def _connect_signals(self) -> None:
        # Actions: every table entry has a handler named after its id.
        for action_id, action in self.actions_by_id.items():
            signal = action.toggled if action.isCheckable() else action.triggered
            signal.connect(getattr(self, handler_name(action_id)))
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        # Background comparison.
        self.worker.comparison_ready.connect(self._on_worker_comparison_ready)
        self.worker.comparison_failed.connect(self._on_worker_comparison_failed)
        self.worker.busy_changed.connect(self.busy.setVisible)
        # Panes, gutter, overview.
        for pane in self.panes.values():
            pane.ready.connect(self._on_pane_ready)
            pane.geometry_changed.connect(self._on_pane_geometry_changed)
            pane.file_dropped.connect(lambda path, side=pane.side: self.open_side(side, path))
            pane.view.verticalScrollBar().valueChanged.connect(self._on_pane_scrolled)
            pane.offset_clicked.connect(
                lambda offset, side=pane.side: self._on_pane_clicked(side, offset)
            )
            pane.describe = lambda offset, side=pane.side: self._describe(side, offset)
            pane.view.customContextMenuRequested.connect(
                lambda point, side=pane.side: self._on_pane_context_menu_requested(side, point)
            )
        self.overview.clicked.connect(self._on_overview_clicked)
        # Sidebar.
        self.sidebar.change_selected.connect(self.go_to_change)
        self.sidebar.extraneous_selected.connect(self._on_sidebar_extraneous_selected)
        self.sidebar.hide_box.toggled.connect(
            self.actions_by_id["options.hide_extraneous"].setChecked
        )
        # Notes, overrides, session.
        self.comparison_shown.connect(self._on_comparison_shown)
        self.comparison_shown.connect(self.collector.resume)
        self.worker.comparison_failed.connect(self.collector.resume)
        self.session.changed.connect(self._on_session_changed)
        self.session.autosave_failed.connect(self._on_session_autosave_failed)
        self.notes_panel.delete_orphan_requested.connect(
            self._on_notes_panel_delete_orphan_requested
        )
        # Files changing on disk.
        self.watcher.fileChanged.connect(self._on_watcher_file_changed)
        self._reload_timer.timeout.connect(self._on_reload_timer_timeout)

    def _restore_state(self) -> None:
        if self.settings.geometry is not None:
            self.restoreGeometry(self.settings.geometry)
        if self.settings.window_state is not None:
            self.restoreState(self.settings.window_state)
        self._set_zoom(self.settings.zoom)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self._may_leave("Close the window?"):
            event.ignore()
            return
        self.session.timer.stop()
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.zoom = self._zoom
        self.settings.sync()
        self.worker.cancel()
        self.collector.resume()
        super().closeEvent(event)

    # Opening and comparing ---------------------------------------------------------------------

    def compare(self) -> None:
        """(Re)compare the current paths with the current options."""
        left, right = self.paths["left"], self.paths["right"]
        if left is None or right is None:
            for side in SIDES:
                other = "right" if side == "left" else "left"
                path = self.paths[side]
                if path is None:
                    self.panes[side].show_message("Drop a file here or use File → Open")
                else:
                    hint = f"Now open the {other} file (File → Open {other.title()}, or drop it)."
                    self.panes[side].show_message(hint, os.path.basename(path))
            self._update_actions()
            return
        self._watch_files()
        overrides = self.session.overrides
        self.worker.start_task(
            compare_task(self.worker.compare_fn, left, right, self.options, overrides)
        )

    def _watch_files(self) -> None:
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        self.watcher.addPaths([p for p in self.paths.values() if p and os.path.exists(p)])

    def _on_worker_comparison_ready(self, result: object) -> None:
        # A big comparison is hundreds of thousands of long-lived objects; a full cyclic
        # GC pass over them stalls the event loop for tens of ms. They hold no cycles and
        # are freed by reference counting, so they are moved out of the collector's sight,
        # and so is what the panes build from them (CollectorPause, until painted).
        gc.freeze()
        self.collector.pause()
        comparison = self._adopt_result(result)  # a restored session's notes, or notes re-attached
        left, right = comparison.left.path, comparison.right.path
        self.settings.add_recent_pair(os.path.abspath(left), os.path.abspath(right))
        # Change ids are new; block ids (and so the focus on a block) stay.
        focus = self._note_focus if (self._note_focus or "").startswith("block:") else None
        self.show_comparison(comparison)
        self._set_note_focus(focus, self._block_focus)
        self._on_session_changed()

    def _on_worker_comparison_failed(self, message: str) -> None:
        self.error_reported.emit(message)
        if self._dialogs:
            dialogs.show_error(self, message)

    def show_comparison(self, comparison: Comparison) -> None:
        """Present ``comparison``; ``comparison_shown`` follows once both panes are painted."""
        colours = colours_for(self.palette())
        self.presentation = p = present(comparison)
        self.current, self.current_extraneous = None, None
        self.sync.set_links(None)
        self._geometry.stop()
        self._pending_ready = set(SIDES)
        stats = comparison.stats
        for side in SIDES:
            article = comparison.left if side == "left" else comparison.right
            words = (stats.left if side == "left" else stats.right).words
            self.panes[side].show_article(
                article, p.shown[side], comparison.segments, p.moved[side], words, colours
            )
        self.gutter.colours = self.overview.colours = colours
        self.legend.setText(legend_html(colours))
        self.gutter.current_group = None
        self.sidebar.changes.set_colours(colours)
        self.sidebar.set_content(comparison.changes, p.extraneous)
        self.setWindowTitle(f"{comparison.left.name} ↔ {comparison.right.name} — Article Diff")
        self._update_status()
        self._update_actions()

    def _on_pane_ready(self) -> None:
        pane = self.sender()
        self._pending_ready.discard(getattr(pane, "side", ""))
        if not self._pending_ready and self.presentation is not None:
            self._geometry.start(self._geometry_steps(), on_done=self._on_first_geometry_done)

    def _on_first_geometry_done(self) -> None:
        self._update_actions()
        # With the window as context: dropped if the window is deleted meanwhile.
        QTimer.singleShot(0, self, self.comparison_shown.emit)

    def _on_pane_geometry_changed(self) -> None:
        if self.presentation is not None and all(p.measured for p in self.panes.values()):
            self._geometry.start(self._geometry_steps())

    def _geometry_steps(self):  # type: ignore[no-untyped-def]
        """Links, bands and overview marks from both panes' block extents, in slices."""
        comparison = self.presentation.comparison
        left, right = self.panes["left"].extents(), self.panes["right"].extents()
        yield
        self.sync.set_links(build_links(comparison.groups, left, right))
        self.sync.follow("left")
        yield
        self.gutter.set_bands(make_bands(comparison.groups, left, right))
        yield
        marks = block_marks(comparison, self.panes["left"])
        yield
        self.overview.set_marks(marks, block_marks(comparison, self.panes["right"]))

    def _on_pane_scrolled(self) -> None:
        self.gutter.update()
        self.overview.update()
        self._update_actions()

    def _on_pane_clicked(self, side: str, offset: int) -> None:
        """A click on a highlighted word makes its change current: paired in both panes."""
        if self.presentation is not None:
            change_id = change_at(self.presentation, side, offset)
            if change_id is not None:
                self.go_to_change(change_id)

    def _describe(self, side: str, offset: int) -> str | None:
        if self.presentation is None:
            return None
        change_id = change_at(self.presentation, side, offset)
        if change_id is None:
            return None
        change = self.presentation.comparison.changes[change_id]
        return f"Change {change_id + 1}: {change_label(change)}"

    def _on_overview_clicked(self, side: str, fraction: float) -> None:
        self.panes[side].scroll_to_fraction(fraction)
