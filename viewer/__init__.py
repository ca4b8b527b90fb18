"""Article Diff: compare two versions of a news article side by side."""

__version__ = "0.1.0"
