from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, overload

def candidates(
    left_sets: list[frozenset[str]],
    right_sets: list[frozenset[str]],
    lids: list[int],
    rids: list[int],
    rank: Mapping[str, int],
    weights: list[float],
    left_mass: list[float],
    right_mass: list[float],
    cap: int,
    probe_words: int,
    keep: int,
) -> list[tuple[float, int, int]]: ...
def configure(
    nospace_bounds: list[int], mark_bounds: list[int], code_bounds: list[int]
) -> None: ...
def word_diff(
    left: str, right: str, dmp: Callable[[str, str], list[tuple[str, int]]]
) -> list[tuple[str, int, int, int, int]]: ...
def configure_chunks(
    units: tuple[int, int, int, int, int, int],
    stopwords: frozenset[str],
    triggers: dict[str, int],
    prefix: int,
    pieces: list[tuple[str, bool, bool, int]],
    category_texts: tuple[int, ...],
    url_search: Callable[[str], object],
    url_needs: str,
    date_search: Callable[[str], object],
    separators: str,
    fallback: Callable[[str], tuple[int, int]],
) -> None: ...
def chunk_codes(
    chunks: Iterable[str], codes: dict[str, int], flags: dict[str, int], shift: int
) -> None: ...
def text_codes(
    texts: Sequence[str],
    cut: int,
    room: int,
    shift: int,
) -> tuple[list[int], list[int], list[int], list[int]]: ...
def span_words(classes: str, spans: Sequence[tuple[int, int]], nospace: bool) -> list[int]: ...
def configure_builder(
    segment_class: type, segment_fields: list[str], change_class: type, change_fields: list[str]
) -> None: ...
def add_ops(
    ops: Sequence[tuple[str, int, int, int, int]],
    group: int,
    left_start: int,
    right_start: int,
    left_text: str,
    right_text: str,
    segments: list[Any],
    changes: list[Any],
) -> None: ...
def word_sets(
    sides: Sequence[tuple[Sequence[str], Sequence[int]]],
    word_keys: Callable[[str], list[str]],
) -> tuple[list[list[frozenset[str]]], dict[str, int]]: ...
def word_weights(
    df: Mapping[str, int], n: int, function_words: frozenset[str]
) -> dict[str, float]: ...
def masses(sets: Sequence[frozenset[str]], weights: dict[str, float]) -> list[float]: ...
def cached_chunks() -> int: ...
def drop_controls(text: str) -> tuple[str, int]: ...
def collapse_spaces(text: str, odd: bool) -> str: ...
def count_controls(text: str, /) -> int: ...
def printable(text: str, /) -> bool: ...
def nfc_sure(text: str, /) -> bool: ...
def lower(text: str, /) -> str: ...
def heaviest_chain(pairs: Sequence[tuple[float, int, int]]) -> set[tuple[int, int]]: ...
def quiet_clock(function: Callable[..., object], /) -> int: ...
def tune_malloc() -> bool: ...
def binned_logits(
    rows: Sequence[Sequence[float]],
    edges: tuple[tuple[float, ...], ...],
    weights: tuple[tuple[float, ...], ...],
    bias: float,
) -> list[float]: ...
def instances(
    cls: type[Any], names: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> list[Any]: ...
def word_classes(text: str, prefixed: bool = ..., /) -> str: ...
def segment_words(
    segments: Sequence[Any],
    left_classes: str,
    right_classes: str,
    left_nospace: bool,
    right_nospace: bool,
    /,
) -> tuple[tuple[int, int, int], tuple[int, int, int]]: ...
def sentence_ends(
    texts: Sequence[str], ends: str, closers: str, openers: str, starts: str
) -> list[int]: ...
def records(
    cls: type[Any], names: Sequence[str], objects: Sequence[Any]
) -> list[dict[str, Any]]: ...
def records_json(
    cls: type[Any],
    names: Sequence[str],
    objects: Sequence[Any],
    omit: Sequence[str] = ...,
    default: Callable[[Any], bytes] | None = ...,
    digits: int = ...,
) -> bytes: ...
@overload
def dumps(value: object, newline: bool = ..., parts: Literal[False] = ..., /) -> bytes: ...
@overload
def dumps(value: object, newline: bool, parts: Literal[True], /) -> list[bytes]: ...
def plain_blocks(
    cls: type[Any], names: Sequence[str], text: str
) -> tuple[str, list[Any]] | None: ...
def rank_words(weights: dict[str, float]) -> tuple[dict[str, int], list[float]]: ...
