"""Command line: the window, or headless JSON / HTML / blocks output.

Headless modes never import Qt. Exit status follows diff: 0 the articles are the
same, 1 they differ, 2 trouble (one line on stderr naming the file and the problem).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from viewer import __version__
from viewer.core import oneshot
from viewer.core.collector import collector_paused
from viewer.core.errors import ArticleDiffError, OutputError

if TYPE_CHECKING:
    from viewer.core.model import Comparison

EXIT_SAME, EXIT_DIFFERENT, EXIT_TROUBLE = 0, 1, 2

USAGE = """\
article-diff [LEFT [RIGHT]]              open the window
article-diff LEFT RIGHT --json OUT|-     write the comparison as JSON, no window
article-diff LEFT RIGHT --html OUT       annotated HTML report, no window
article-diff --blocks FILE [FILE ...]    one JSON line per file: its blocks, which are extraneous
article-diff --demo                      the window on the bundled seed pair"""


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line with exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"article-diff: {message} (see --help)\n")
        sys.exit(EXIT_TROUBLE)


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, told the terminal's width: left to find it, it imports
    shutil (with zlib, bz2 and lzma) when the parser is built, 3-4 ms of every start."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        width = _columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, width)


def _columns() -> int:
    """The terminal's width as shutil.get_terminal_size finds it: $COLUMNS, the terminal, 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="article-diff",
        usage=USAGE,
        description="Compare two versions of a news article side by side.",
        formatter_class=_Formatter,
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="left and right article")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", metavar="OUT", help="write the comparison as JSON ('-' for stdout)")
    out.add_argument("--html", metavar="OUT", help="write a self-contained annotated HTML report")
    out.add_argument("--blocks", action="store_true", help="print each FILE's blocks as JSON lines")
    out.add_argument("--demo", action="store_true", help="open the window on the bundled seed pair")
    p.add_argument("--session", metavar="FILE", help="notes and overrides for --html or the window")
    p.add_argument("--screenshot", metavar="PNG", help="save a PNG of the window once shown, exit")
    p.add_argument("--ignore-case", action="store_true", help="case differences are not changes")
    p.add_argument(
        "--ignore-punctuation", action="store_true", help="punctuation differences are not changes"
    )
    p.add_argument(
        "--fold-typography",
        action="store_true",
        help="typographic quotes, dashes and spaces equal their plain forms",
    )
    p.add_argument(
        "--hide-extraneous",
        action="store_true",
        help="take extraneous blocks out of the comparison",
    )
    p.add_argument("--version", action="version", version=f"article-diff {__version__}")
    return p


def _options(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from viewer.core.model import CompareOptions

    return CompareOptions(
        ignore_case=args.ignore_case,
        ignore_punctuation=args.ignore_punctuation,
        fold_typography=args.fold_typography,
        hide_extraneous=args.hide_extraneous,
    )


def _run_blocks(paths: Sequence[str]) -> int:
    """One JSON line per file, in order; a file that cannot be read gets a line too.

    Batch consumers (scorers, pipelines) rely on one line per input, so a bad file
    yields ``{"path", "error", "blocks": []}`` on stdout as well as the usual one-line
    message on stderr, and the exit status is 2.
    """
    from viewer.core.extraneous import annotate
    from viewer.core.jsonout import blocks_json, encode_line
    from viewer.core.loading import load_article

    status = EXIT_SAME
    for path in paths:
        try:
            line = blocks_json(annotate(load_article(path)))
        except ArticleDiffError as exc:
            sys.stderr.write(f"article-diff: {exc}\n")
            line = {"path": path, "error": exc.message, "blocks": []}
            status = EXIT_TROUBLE
        _write_stdout((encode_line(line),))
    return status


def _write_stdout(parts: Sequence[bytes]) -> None:
    """Bytes, part after part, to standard output, after whatever text was written to it
    before."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # replaced by a text-only stream
        sys.stdout.write(b"".join(parts).decode("utf-8"))
        sys.stdout.flush()
    else:
        for part in parts:
            buffer.write(part)
        buffer.flush()


def _warn(comparison: Comparison, extra: Sequence[str] = ()) -> None:
    """Load and session warnings on stderr: the output stays usable, the user is told."""
    for article in (comparison.left, comparison.right):
        for warning in article.warnings:
            sys.stderr.write(f"article-diff: {article.path}: warning: {warning}\n")
    for warning in extra:
        sys.stderr.write(f"article-diff: warning: {warning}\n")


def _run_json(args: argparse.Namespace, left: str, right: str) -> int:
    from viewer.core.compare import compare_files
    from viewer.core.jsonout import Early, comparison_parts
    from viewer.core.safe_write import check_not_input, write_bytes_atomic

    if args.json != "-":
        check_not_input(args.json, [left, right, *([args.session] if args.session else [])])
    session = None
    if args.session:  # a bad session fails before any work
        from viewer.core.session import load_session

        session = load_session(args.session)
    with collector_paused():
        # The command line runs no other thread: detection may take the second core, and
        # the groups and changes are written to JSON here while it may still run.
        early = Early()
        options = _options(args)
        comparison = compare_files(left, right, options, detect_in="fork", meanwhile=early.write)
        warnings: list[str] = []
        if session is not None:
            from viewer.core.session import apply_session, check_files

            comparison = apply_session(comparison, session)
            warnings = list(check_files(session))
        data = comparison_parts(comparison, early)
        oneshot.keep(comparison)
    if args.json == "-":
        _write_stdout(data)
    else:
        write_bytes_atomic(args.json, data, durable=False)  # made from the inputs alone
    _warn(comparison, warnings)
    return EXIT_SAME if comparison.identical else EXIT_DIFFERENT


def _run_html(args: argparse.Namespace, left: str, right: str) -> int:
    from viewer.core.export import export_report

    with collector_paused():
        comparison, warnings = export_report(
            left, right, args.html, _options(args), session_path=args.session, detect_in="fork"
        )
        oneshot.keep(comparison)
    _warn(comparison, warnings)
    return EXIT_SAME if comparison.identical else EXIT_DIFFERENT


def _check_display() -> None:
    """Refuse in one line where Qt would abort the process: Linux with no display at all."""
    env = os.environ
    if sys.platform.startswith("linux") and not (
        env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("QT_QPA_PLATFORM")
    ):
        raise ArticleDiffError(
            "no display to open the window on (DISPLAY is not set); without one, use "
            "--json, --html or --blocks, or QT_QPA_PLATFORM=offscreen with --screenshot"
        )


def _run_window(args: argparse.Namespace) -> int:
    _check_display()
    from viewer.ui.app import run_app

    files = list(args.files)
    if args.demo:
        from viewer.resources import seed_pair

        files = [str(p) for p in seed_pair()]
    return run_app(files, options=_options(args), session=args.session, screenshot=args.screenshot)


def run() -> NoReturn:
    """``article-diff`` and ``python -m viewer``: main, then leave the process."""
    sys.exit(main(one_shot=True))


def main(argv: Sequence[str] | None = None, *, one_shot: bool = False) -> int:
    """The command line on ``argv``; its exit status.

    ``one_shot``: this call is all the process does (the console script). A headless
    run then runs as a one-shot process (viewer/core/oneshot.py) and ends the process as
    soon as its output is flushed.
    """
    args = build_parser().parse_args(argv)
    headless = bool(args.blocks or args.json or args.html)
    if one_shot and headless:
        oneshot.begin()
    status = _dispatch(args)
    if one_shot and headless:
        oneshot.leave(status, EXIT_TROUBLE)
    return status


def _dispatch(args: argparse.Namespace) -> int:
    try:
        if args.blocks:
            if not args.files:
                raise OutputError("--blocks needs at least one FILE")
            return _run_blocks(args.files)
        if args.json or args.html:
            if len(args.files) != 2:
                raise OutputError(f"{'--json' if args.json else '--html'} needs LEFT and RIGHT")
            left, right = args.files
            return _run_json(args, left, right) if args.json else _run_html(args, left, right)
        if len(args.files) > 2:
            raise OutputError("at most two files: LEFT and RIGHT")
        return _run_window(args)
    except ArticleDiffError as exc:
        sys.stderr.write(f"article-diff: {exc}\n")
        return EXIT_TROUBLE
    except KeyboardInterrupt:
        sys.stderr.write("article-diff: interrupted\n")
        return EXIT_TROUBLE
    except BrokenPipeError:
        return EXIT_TROUBLE
    except MemoryError:
        sys.stderr.write("article-diff: out of memory; try smaller files\n")
        return EXIT_TROUBLE
    except Exception as exc:  # a bug: still one line, the traceback only on request
        if os.environ.get("ARTICLE_DIFF_DEBUG"):
            raise
        sys.stderr.write(
            f"article-diff: internal error ({type(exc).__name__}: {exc}); "
            "set ARTICLE_DIFF_DEBUG=1 for details\n"
        )
        return EXIT_TROUBLE


if __name__ == "__main__":  # pragma: no cover
    run()
