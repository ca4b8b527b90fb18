"""load -> detect -> align -> diff -> Comparison, with its statistics."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from operator import attrgetter
from types import ModuleType
from typing import TYPE_CHECKING, Literal, NamedTuple

from viewer.core.model import (
    AlignmentGroup,
    Article,
    Change,
    CompareOptions,
    Comparison,
    Segment,
    SideStats,
    Span,
    Stats,
)
from viewer.core.native import field_names, instances
from viewer.core.native import native as _native
from viewer.core.tokens import WordCounter, word_classes

if TYPE_CHECKING:
    from viewer.core.align import RawGroup

# Alignment and the word diff are imported where they run: the command line forks its
# detection child before, and the child never needs them.

DetectIn = Literal["here", "fork", "process"]


def compare_files(
    left_path: str | os.PathLike[str],
    right_path: str | os.PathLike[str],
    options: CompareOptions | None = None,
    *,
    detect_in: DetectIn = "here",
    meanwhile: Callable[[Article, Article, Diffed], object] | None = None,
) -> Comparison:
    """Load both files, flag their extraneous blocks and compare them.

    Detection and alignment do not depend on each other (unless extraneous blocks are
    hidden), so detection can take the second core: ``"fork"`` in a forked child, for
    single-threaded callers such as the command line; ``"process"`` in a fresh
    interpreter, for worker threads (the window), where forking is unsafe. ``"here"``
    does everything in this thread, as do the others for small files (under
    PARALLEL_MIN_BYTES together). All three give the same comparison.

    ``meanwhile(left, right, diffed)`` is called once the blocks are aligned and diffed,
    before the verdicts are waited for (the articles have none yet where detection runs
    elsewhere): the caller's work that needs no verdicts (the command line writes the
    groups' and changes' JSON, and the blocks' as they stand) runs while detection may
    still be running.
    """
    from viewer.core.loading import load_article

    options = options or CompareOptions()
    if detect_in != "here" and _small(left_path, right_path):
        detect_in = "here"  # detection takes milliseconds: a second process would cost more
    if detect_in == "here" or options.hide_extraneous:
        from viewer.core.extraneous import annotate_pair

        left, right = annotate_pair(load_article(left_path), load_article(right_path))
        diffed = align_and_diff(left, right, options)
        if meanwhile is not None:
            meanwhile(left, right, diffed)
        return assemble(left, right, options, diffed)
    from viewer.core.detect_job import block_texts, detection_process, from_rows, texts_verdicts

    if detect_in == "process":
        with detection_process(left_path, right_path) as verdicts_for:
            left, right = load_article(left_path), load_article(right_path)
            diffed = align_and_diff(left, right, options)
            counts = word_counts(left, right, diffed)
            if meanwhile is not None:
                meanwhile(left, right, diffed)
            lv, rv = verdicts_for(left, right)
    else:
        from viewer.core.forked import forked_given

        # Forked before loading: the child imports the detector while the files are read
        # here, then detects on the block texts it is sent. The counts are made here while
        # detection runs: the halves take about as long.
        with forked_given(texts_verdicts) as (send, detected):
            left, right = load_article(left_path), load_article(right_path)
            send(block_texts(left, right))
            diffed = align_and_diff(left, right, options)
            counts = word_counts(left, right, diffed)
            if meanwhile is not None:
                meanwhile(left, right, diffed)
            lv, rv = map(from_rows, detected())
    left, right = left.with_verdicts(lv), right.with_verdicts(rv)
    return assemble(left, right, options, diffed, counts)


PARALLEL_MIN_BYTES = 128 * 1024  # both files together; below this, detection runs here


def _small(left_path: str | os.PathLike[str], right_path: str | os.PathLike[str]) -> bool:
    """True when both files are small enough that detection here beats starting a process.

    A file that cannot be sized counts as large: the loader reports it properly.
    """
    try:
        return os.path.getsize(left_path) + os.path.getsize(right_path) < PARALLEL_MIN_BYTES
    except (OSError, ValueError):
        return False


def _region(article: Article, ids: tuple[int, ...]) -> Span:
    return article.blocks[ids[0]].start, article.blocks[ids[-1]].end


def _relation(raw: RawGroup, ops_equal: bool) -> str:
    if raw.hidden:
        return "hidden"
    if not raw.left or not raw.right:
        return "unmatched"
    if raw.moved:
        return "moved"
    if len(raw.left) > len(raw.right):
        return "merged"
    if len(raw.left) < len(raw.right):
        return "split"
    return "equal" if ops_equal else "changed"


class _Builder:
    """Accumulates groups, segments and changes while walking groups in display order.

    (This module's records are plain classes and named tuples: a dataclass costs every
    command-line run a millisecond or two of start-up making its methods.)
    """

    __slots__ = (
        "left",
        "right",
        "options",
        "groups",
        "segments",
        "changes",
        "cursor_l",
        "cursor_r",
        "builder",
        "diff",
    )

    def __init__(
        self, left: Article, right: Article, options: CompareOptions, *, native: bool = True
    ) -> None:
        self.left, self.right, self.options = left, right, options
        # AlignmentGroup's fields: the objects are made all at once (native.instances)
        self.groups: list[tuple[int, tuple[int, ...], tuple[int, ...], str, float, bool]] = []
        self.segments: list[Segment] = []
        self.changes: list[Change] = []
        self.cursor_l = 0  # insertion point for right-only groups
        self.cursor_r = 0  # insertion point for left-only groups
        # segments and changes built in C where the extension is built
        self.builder = _native_builder() if native else None
        from viewer.core.worddiff import diff_spans

        self.diff = diff_spans

    def change(self, kind: str, gid: int, ls: Span, rs: Span) -> None:
        self.changes.append(
            Change(
                len(self.changes),
                kind,
                gid,
                ls,
                rs,
                self.left.text[ls[0] : ls[1]],
                self.right.text[rs[0] : rs[1]],
            )
        )

    def add(self, raw: RawGroup) -> None:
        gid = len(self.groups)
        if raw.hidden:
            self.groups.append((gid, raw.left, raw.right, "hidden", 0.0, False))
            return
        if not raw.right:
            ls = _region(self.left, raw.left)
            rs = (self.cursor_r, self.cursor_r)
            self._one_sided(gid, raw, "delete", ls, rs)
            self.cursor_l = ls[1]
            return
        if not raw.left:
            rs = _region(self.right, raw.right)
            ls = (self.cursor_l, self.cursor_l)
            self._one_sided(gid, raw, "insert", ls, rs)
            self.cursor_r = rs[1]
            return
        self._paired(gid, raw)

    def add_all(self, raws: Sequence[RawGroup]) -> None:
        """``add`` each group in order: in one C loop where the extension is built and the
        word diff runs on the tokens as they are (the same groups, segments and changes;
        a 1 MB pair has 2,800 groups, and Python's loop cost 20-25 ms of a run)."""
        from viewer.core.worddiff import native_diff_hooks

        hooks = native_diff_hooks(self.options)
        if self.builder is None or hooks is None:
            for raw in raws:
                self.add(raw)
            return
        self.cursor_l, self.cursor_r = self.builder.build_groups(
            raws,
            self.left,
            self.right,
            *hooks,
            self.groups,
            self.segments,
            self.changes,
            (self.cursor_l, self.cursor_r),
        )

    def _one_sided(self, gid: int, raw: RawGroup, kind: str, ls: Span, rs: Span) -> None:
        self.groups.append((gid, raw.left, raw.right, "unmatched", 0.0, False))
        self.segments.append(Segment(kind, gid, ls, rs))
        self.change(kind, gid, ls, rs)

    def _paired(self, gid: int, raw: RawGroup) -> None:
        left, right = self.left, self.right
        lb, rb = left.blocks, right.blocks
        li, ri = raw.left, raw.right
        first_l, first_r = lb[li[0]], rb[ri[0]]
        l0, r0 = first_l.start, first_r.start
        # a single block's text is the slice: no copy (most groups are one block a side)
        if len(li) == 1:
            l1, lt = first_l.end, first_l.text
        else:
            l1 = lb[li[-1]].end
            lt = left.text[l0:l1]
        if len(ri) == 1:
            r1, rt = first_r.end, first_r.text
        else:
            r1 = rb[ri[-1]].end
            rt = right.text[r0:r1]
        ops = self.diff(lt, rt, self.options)
        equal = all(op[0] == "equal" for op in ops)
        moved = raw.moved
        relation = _relation(raw, equal)
        self.groups.append((gid, li, ri, relation, raw.similarity, moved))
        if moved:
            self.change("move", gid, (l0, l1), (r0, r1))
        builder = self.builder
        if builder is not None:  # the same objects, built in C (a 1 MB pair has 30,000)
            builder.add_ops(ops, gid, l0, r0, left.text, right.text, self.segments, self.changes)
        else:
            segments = self.segments
            for kind, a0, a1, b0, b1 in ops:
                ls = (l0 + a0, l0 + a1)
                rs = (r0 + b0, r0 + b1)
                segments.append(Segment(kind, gid, ls, rs))
                if kind != "equal":
                    self.change(kind, gid, ls, rs)
        if not moved:
            self.cursor_l, self.cursor_r = l1, r1


@lru_cache(maxsize=1)
def _native_builder() -> ModuleType | None:
    """The extension, told how Segment and Change are laid out; None where it is not built."""
    if _native is None:
        return None
    _native.configure_builder(Segment, field_names(Segment), Change, field_names(Change))
    return _native


class Diffed(NamedTuple):
    """Alignment and word diff of two articles, before statistics."""

    groups: tuple[AlignmentGroup, ...]
    segments: tuple[Segment, ...]
    changes: tuple[Change, ...]


def align_and_diff(
    left: Article, right: Article, options: CompareOptions, *, native: bool = True
) -> Diffed:
    """Align the blocks and diff each group word by word (reads verdicts only to hide).

    ``native``: build segments and changes in C where the extension is built (the same).
    """
    from viewer.core.align import align

    hide = options.hide_extraneous
    lh = frozenset(b.id for b in left.blocks if b.extraneous) if hide else frozenset()
    rh = frozenset(b.id for b in right.blocks if b.extraneous) if hide else frozenset()
    raw = align([b.text for b in left.blocks], [b.text for b in right.blocks], lh, rh)
    builder = _Builder(left, right, options, native=native)
    builder.add_all(raw)
    groups = instances(AlignmentGroup, builder.groups)
    return Diffed(tuple(groups), tuple(builder.segments), tuple(builder.changes))


def assemble(
    left: Article,
    right: Article,
    options: CompareOptions,
    diffed: Diffed,
    counts: WordCounts | None = None,
) -> Comparison:
    """The comparison of two annotated articles, with its statistics (counts: what
    word_counts gave for them before their verdicts came, or None to count now)."""
    g, s, c = diffed.groups, diffed.segments, diffed.changes
    if counts is None:
        counts = word_counts(left, right, diffed)
    return Comparison(left, right, options, g, s, c, counts.stats(left, right))


def compare(left: Article, right: Article, options: CompareOptions | None = None) -> Comparison:
    """Align two loaded articles and diff each group word by word."""
    options = options or CompareOptions()
    return assemble(left, right, options, align_and_diff(left, right, options))


def _word_counter(
    article: Article, memo: dict[str, str], *, native: bool = True
) -> tuple[WordCounter, list[int]]:
    """Word counts of any span of the article's text, and of each of its blocks.

    A character's class does not depend on its neighbours, so the whole text is classified
    in one C pass where the extension is built (``native``). Else classes are made block by
    block (most blocks are ASCII, and identical blocks of the two sides, shared through
    memo, are classified once) and joined with those of the text between blocks.
    """
    text = article.text
    spans = [(b.start, b.end) for b in article.blocks]
    if native and _native is not None:
        counter = WordCounter.of_prefixed(_native.word_classes(text, True))
        return counter, counter.counts(spans)
    parts: list[str] = []
    pos = 0
    for b in article.blocks:
        if b.start < pos:  # blocks out of order: classify the whole text instead
            parts = [word_classes(text)]
            pos = len(text)
            break
        classes = memo.get(b.text)
        if classes is None:
            classes = memo[b.text] = word_classes(b.text)
        gap = text[pos : b.start]
        parts.append(" " if gap == "\n" else word_classes(gap))  # blocks are joined by "\n"
        parts.append(classes)
        pos = b.end
    parts.append(word_classes(text[pos:]))
    counter = WordCounter("".join(parts))
    return counter, counter.counts(spans)


class ArticleWords(NamedTuple):
    """Word counters of two articles and the words of each of their blocks: what the
    statistics need of the texts alone, before any alignment (see article_words)."""

    left: tuple[WordCounter, list[int]]
    right: tuple[WordCounter, list[int]]


def article_words(left: Article, right: Article, *, native: bool = True) -> ArticleWords:
    """The word counters of both articles (identical blocks classified once).

    ``native``: classify in C where the extension is built (the same classes).
    """
    memo: dict[str, str] = {}  # block text -> word classes, for blocks both sides share
    return ArticleWords(
        _word_counter(left, memo, native=native), _word_counter(right, memo, native=native)
    )


_KIND = attrgetter("kind")


def _changed_words(
    segments: Sequence[Segment], words: ArticleWords, *, native: bool = True
) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The words of the changed segments of each side, by kind: (delete, insert, replace).

    One pass over the segments in C where the extension is built (``native``): each pass
    here reads 20,000 objects of a 1 MB pair scattered in memory, a few ms each.
    """
    (lc, _), (rc, _) = words
    builder = _native_builder() if native else None
    if builder is not None:
        found: tuple[tuple[int, int, int], tuple[int, int, int]] = builder.segment_words(
            segments, lc.classes, rc.classes, lc.nospace, rc.nospace
        )
        return found
    changed = [s for s in segments if s.kind != "equal"]
    kinds = list(map(_KIND, changed))
    sums = []
    for counter, name in ((lc, "left"), (rc, "right")):
        counts = counter.counts(list(map(attrgetter(name), changed)), native=native)
        by_kind = dict.fromkeys(("delete", "insert", "replace"), 0)
        for kind, n in zip(kinds, counts, strict=True):
            by_kind[kind] += n
        sums.append((by_kind["delete"], by_kind["insert"], by_kind["replace"]))
    return sums[0], sums[1]


def _side_counts(
    words: list[int],
    groups: Sequence[AlignmentGroup],
    by_kind: tuple[int, int, int],
    is_left: bool,
) -> tuple[SideStats, int]:
    """Word counts of one side (extraneous words left at 0: they need the verdicts) and the
    number of words in aligned (paired) groups, from the words of each block and those of
    the changed segments by kind (_changed_words).

    Segments split text only between tokens, so the equal words are the words of the
    compared blocks less those of the changed segments.
    """
    name = "left" if is_left else "right"
    changed, replaced = by_kind[0] if is_left else by_kind[1], by_kind[2]
    moved = unmatched = aligned = hidden = 0
    for ids, relation, is_moved in map(attrgetter(name, "relation", "moved"), groups):
        n = words[ids[0]] if len(ids) == 1 else sum(words[i] for i in ids)
        if relation == "unmatched":
            unmatched += n
        elif relation == "hidden":
            hidden += n
        else:
            aligned += n
            if is_moved:
                moved += n
    total = sum(words)
    stats = SideStats(
        words=total,
        equal=total - hidden - changed - replaced,
        changed=changed,
        replaced=replaced,
        moved=moved,
        unmatched=unmatched,
        extraneous=0,
    )
    return stats, aligned


class WordCounts(NamedTuple):
    """Statistics of a comparison except its extraneous words, which need the verdicts:
    the costly part (counting every word) can run while detection still does."""

    counted: Stats  # extraneous words at 0
    left_words: list[int]  # words of each block
    right_words: list[int]

    def stats(self, left: Article, right: Article) -> Stats:
        """The statistics, with the extraneous words of the annotated articles."""
        c = self.counted
        return replace(
            c,
            left=replace(c.left, extraneous=_extraneous_words(left, self.left_words)),
            right=replace(c.right, extraneous=_extraneous_words(right, self.right_words)),
        )


def _extraneous_words(article: Article, words: list[int]) -> int:
    return sum(w for b, w in zip(article.blocks, words, strict=True) if b.extraneous)


def word_counts(
    left: Article, right: Article, diffed: Diffed, *, native: bool = True
) -> WordCounts:
    """Similarity (share of words in common), rewrite rate (share of aligned words
    replaced) and every word count, before the blocks' verdicts are known.

    ``native``: count in C where the extension is built (the same counts)."""
    groups, segments, changes = diffed.groups, diffed.segments, diffed.changes
    words = article_words(left, right, native=native)
    left_changed, right_changed = _changed_words(segments, words, native=native)
    lw, rw = words.left[1], words.right[1]
    ls, l_aligned = _side_counts(lw, groups, left_changed, True)
    rs, r_aligned = _side_counts(rw, groups, right_changed, False)
    total = ls.words + rs.words
    similarity = (ls.equal + rs.equal) / total if total else 1.0
    aligned = l_aligned + r_aligned
    rewrite = (ls.replaced + rs.replaced) / aligned if aligned else 0.0
    stats = Stats(
        similarity=similarity,
        rewrite_rate=rewrite,
        left=ls,
        right=rs,
        relations=dict(Counter(map(attrgetter("relation"), groups))),
        changes=dict(Counter(map(_KIND, changes))),
    )
    return WordCounts(stats, lw, rw)
