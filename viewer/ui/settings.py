"""Typed access to the persisted settings, over a QSettings the caller passes in."""

from __future__ import annotations

import json
import os

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from viewer.core.model import CompareOptions

MAX_RECENT = 8
_OPTION_KEYS = ("ignore_case", "ignore_punctuation", "fold_typography", "hide_extraneous")


class Settings:
    """Options, window state and recent pairs. Tests pass an ini-file QSettings."""

    def __init__(self, store: QSettings) -> None:
        self._store = store

    def _bool(self, key: str) -> bool:
        value = self._store.value(key, False)
        return value in (True, "true", "1", 1)

    @property
    def options(self) -> CompareOptions:
        return CompareOptions(**{k: self._bool(f"options/{k}") for k in _OPTION_KEYS})

    @options.setter
    def options(self, options: CompareOptions) -> None:
        for key in _OPTION_KEYS:
            self._store.setValue(f"options/{key}", bool(getattr(options, key)))

    @property
    def geometry(self) -> QByteArray | None:
        value = self._store.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        value = self._store.value("window/state")
        return value if isinstance(value, QByteArray) else None

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._store.setValue("window/state", value)

    @property
    def zoom(self) -> int:
        try:
            return int(self._store.value("view/zoom", 0))
        except (TypeError, ValueError):
            return 0

    @zoom.setter
    def zoom(self, steps: int) -> None:
        self._store.setValue("view/zoom", int(steps))

    @property
    def recent_pairs(self) -> list[tuple[str, str]]:
        try:
            pairs = json.loads(str(self._store.value("recent/pairs", "[]")))
            return [(str(a), str(b)) for a, b in pairs][:MAX_RECENT]
        except (ValueError, TypeError):
            return []

    def add_recent_pair(self, left: str, right: str) -> None:
        """Put a pair first in the recent list, without duplicates."""
        pairs = [p for p in self.recent_pairs if p != (left, right)]
        pairs.insert(0, (left, right))
        self._store.setValue("recent/pairs", json.dumps(pairs[:MAX_RECENT]))

    @property
    def autosave_dir(self) -> str:
        """Folder for autosaves of sessions not yet saved (or beside a read-only session).

        The user's application data folder unless set (tests set a tmp folder)."""
        value = self._store.value("session/autosave_dir", "")
        if value:
            return str(value)
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        return os.path.join(base or os.path.expanduser("~/.article-diff"), "autosave")

    @autosave_dir.setter
    def autosave_dir(self, path: str) -> None:
        self._store.setValue("session/autosave_dir", str(path))

    def sync(self) -> None:
        self._store.sync()
