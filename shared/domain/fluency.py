"""Hesitations, speaking rate and the fluency score.

Formulas (also in docs/scoring.md; change one => bump SCORING_VERSION):

- speaking time T = end of the last spoken word - start of the first (clamped
  to the recording duration), in seconds; fillers excluded at both ends.
- rate score R from words per minute w: 100 for 100 <= w <= 200; below,
  100 * (w - 40) / 60 (0 at 40 wpm); above, 100 - (w - 200) / 2 (0 at 400).
- pause score P = 100 * max(0, 1 - 2 * H / T), H = total hesitation time.
- filler score F = 100 * max(0, 1 - 5 * fillers / (spoken words + fillers)).
- fluency = 0.4 R + 0.4 P + 0.2 F; 0 when nothing was said.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from shared.domain.transcript import SpokenWord

RATE_FLOOR, RATE_LOW, RATE_HIGH, RATE_CEILING = 40.0, 100.0, 200.0, 400.0
PAUSE_WEIGHT = 2.0  # losing half the speaking time to hesitations scores 0
FILLER_WEIGHT = 5.0  # one filler in five words scores 0
FLUENCY_WEIGHTS = (0.4, 0.4, 0.2)  # rate, pauses, fillers


def silences_between(words: Sequence[SpokenWord], shortest: float = 0.0) -> list[tuple[float, float]]:
    """Gaps of at least ``shortest`` seconds between consecutive words.

    Used when no voice-activity pauses are given.
    """
    return [(a.end, b.start) for a, b in pairwise(words) if b.start - a.end >= shortest and b.start > a.end]


def inner_silences(
    silences: Sequence[tuple[float, float]],
    first_end: float,
    last_start: float,
    threshold: float,
) -> list[tuple[float, float]]:
    """Silences of at least ``threshold`` seconds strictly inside the recitation.

    Each silence is clipped to [end of the first word, start of the last], so
    lead-in and trailing silence never count, and a silence reported by
    voice-activity detection that overlaps a word edge only counts its inside.
    """
    found: list[tuple[float, float]] = []
    for start, end in sorted(s for s in silences if s[1] - s[0] >= threshold):
        start, end = max(start, first_end), min(end, last_start)
        if end - start >= threshold:
            found.append((start, end))
    return found


def rate_score(wpm: float) -> float:
    if wpm < RATE_LOW:
        return 100.0 * max(0.0, (wpm - RATE_FLOOR) / (RATE_LOW - RATE_FLOOR))
    if wpm > RATE_HIGH:
        return max(0.0, 100.0 - 100.0 * (wpm - RATE_HIGH) / (RATE_CEILING - RATE_HIGH))
    return 100.0


def fluency_score(
    wpm: float, hesitation_time: float, speaking_time: float, fillers: int, spoken_words: int
) -> float:
    """Combine rate, pauses and fillers into 0-100 (formula in the module docstring)."""
    if spoken_words == 0 or speaking_time <= 0:
        return 0.0
    pauses = 100.0 * max(0.0, 1.0 - PAUSE_WEIGHT * hesitation_time / speaking_time)
    filler = 100.0 * max(0.0, 1.0 - FILLER_WEIGHT * fillers / (spoken_words + fillers))
    w_rate, w_pause, w_filler = FLUENCY_WEIGHTS
    return w_rate * rate_score(wpm) + w_pause * pauses + w_filler * filler
