"""Pausing Python's cyclic garbage collector around allocation-heavy work.

Scoring a long piece builds tens of thousands of small tuples that form no
reference cycles. Each 700 allocations start a collection that walks the
young objects, and every few calls the survivors (the results being built)
trigger a full collection that walks the whole heap: on a 10,000-word piece
that was a third of the scoring time, and more in a worker whose heap holds
numpy, librosa and SQLAlchemy. Reference counting still frees everything
promptly; only cycle detection waits until the work is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block; restore it after, even on error.

    If the collector was already disabled (by the caller, or by another
    thread inside this block) it is left as found: only the caller that
    disabled it enables it again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
