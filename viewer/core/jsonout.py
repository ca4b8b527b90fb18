"""The stable JSON format ``article-diff/1`` (documented in the README)."""

from __future__ import annotations

from viewer.core.model import Article, Comparison

FORMAT = "article-diff/1"


def article_json(article: Article) -> dict[str, object]:
    """One side: path, encoding, format, warnings and blocks."""
    return {
        "path": article.path,
        "encoding": article.encoding,
        "format": article.format,
        "warnings": list(article.warnings),
        "blocks": [b.to_json() for b in article.blocks],
    }


def blocks_json(article: Article) -> dict[str, object]:
    """The ``--blocks`` line of one file."""
    return {
        "path": article.path,
        "encoding": article.encoding,
        "blocks": [b.to_json() for b in article.blocks],
    }


def comparison_json(comparison: Comparison) -> dict[str, object]:
    """The whole comparison as the ``article-diff/1`` document."""
    return {
        "format": FORMAT,
        "options": comparison.options.to_json(),
        "left": article_json(comparison.left),
        "right": article_json(comparison.right),
        "alignment": [g.to_json() for g in comparison.groups],
        "changes": [c.to_json() for c in comparison.changes],
        "stats": comparison.stats.to_json(),
    }
