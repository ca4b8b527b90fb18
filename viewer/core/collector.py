"""Python's cycle collector held off during one big, short-lived computation."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """One comparison builds hundreds of thousands of objects and almost no cycles.

    The cycle collector would walk the whole growing heap again and again (about 0.1 s of
    a 1 MB pair, collecting a few hundred objects); reference counting frees the rest.
    The collector is left as it was found.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
