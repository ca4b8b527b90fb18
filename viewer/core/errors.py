"""Errors that reach the user as one clear sentence naming the file, never as a traceback."""

from __future__ import annotations


class ArticleDiffError(Exception):
    """Base of every error the program reports to the user as a message."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class LoadError(ArticleDiffError):
    """A file could not be loaded as an article (missing, folder, binary, too large, ...)."""


class OutputError(ArticleDiffError):
    """An output file could not be written, or writing it would overwrite an input."""


class SessionError(ArticleDiffError):
    """A session file is corrupt, truncated or not an Article Diff session."""
