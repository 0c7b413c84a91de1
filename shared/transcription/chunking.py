"""Split a long recording at quiet points so each piece can be sent on its own.

Cutting inside a word would make both halves mis-transcribe it, so every cut is
placed in the quietest stretch found shortly before the target boundary.
numpy only: this runs in the worker next to a decoded signal of up to an hour.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# Width over which energy is averaged when looking for a lull: long enough to
# ignore the gaps between plosives inside a word, short enough to fit a pause.
QUIET_WINDOW_SECONDS = 0.2
# How wide a stretch around each target boundary to search for a lull.
# Bounded so chunks stay balanced and we never scan the whole signal.
SEARCH_SECONDS = 30.0


def chunk_count(total: int, max_samples: int, concurrency: int, min_samples: int) -> int:
    """How many chunks to send so parallel requests finish together.

    Chunks run ``concurrency`` at a time and the wall time is set by the
    slowest *round*, so: as many chunks as requests in flight (when each is at
    least ``min_samples`` long), and when the length cap needs more than that,
    a whole number of full rounds. An hour with a 10 min cap and concurrency 8
    is 8 chunks of 7.5 min (one round), never 7 (where 4 at a time is two
    rounds of 10 min).
    """
    if total <= 0:
        return 1
    concurrency = max(1, concurrency)
    needed = -(-total // max(1, max_samples))
    if needed > concurrency:
        return -(-needed // concurrency) * concurrency
    parallel = min(concurrency, total // max(1, min_samples))
    return max(1, needed, parallel)


def plan_chunks(
    samples: npt.NDArray[np.float32],
    rate: int,
    max_samples: int,
    search_seconds: float = SEARCH_SECONDS,
    min_count: int = 1,
) -> list[tuple[int, int]]:
    """Half-open sample spans ``[start, end)`` covering ``samples``, each at most
    ``max_samples`` long and at least ``min_count`` of them, cut at the
    quietest point near each boundary.

    Boundaries aim at equal shares of what is left (25 min with a 10 min cap
    gives ~8.3 min chunks, not 10+10+5): chunks run in parallel, so the
    longest one sets the wall time.
    """
    if max_samples <= 0:
        raise ValueError("max_samples must be positive")
    total = len(samples)
    window = max(1, int(QUIET_WINDOW_SECONDS * rate))
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        remaining = total - start
        pieces = max(-(-remaining // max_samples), min_count - len(spans))
        if pieces <= 1 or remaining <= pieces:
            break
        share = remaining // pieces
        # At most a quarter chunk either side keeps chunks balanced.
        reach = max(1, min(max_samples // 4, share // 4, int(search_seconds * rate / 2)))
        target = start + share
        hi = min(start + max_samples, target + reach)
        cut = quietest_point(samples, max(start + 1, target - reach), hi, window)
        spans.append((start, cut))
        start = cut
    spans.append((start, total))
    return spans


def quietest_point(samples: npt.NDArray[np.float32], lo: int, hi: int, window: int) -> int:
    """Middle of the lowest-energy ``window`` within ``[lo, hi)``; always in ``(lo, hi]``."""
    region = samples[lo:hi].astype(np.float64)
    if len(region) <= window:
        return hi
    energy = np.concatenate(([0.0], np.cumsum(region * region)))
    means = energy[window:] - energy[:-window]
    # On ties (digital silence) prefer the latest lull: longer chunks, fewer requests.
    best = len(means) - 1 - int(np.argmin(means[::-1]))
    return lo + best + window // 2
