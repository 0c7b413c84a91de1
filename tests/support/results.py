"""Results scored by the real scorer from words we choose, for page and domain tests."""

from __future__ import annotations

from typing import Any

from shared.domain.scoring import score_recitation
from shared.domain.transcript import SpokenWord, Transcript

WORD_SECONDS = 0.4


def scored(reference: str, spoken: str, pauses: dict[int, float] | None = None) -> dict[str, Any]:
    """Score ``spoken`` (said at a steady pace) against ``reference``; ``pauses``
    maps a spoken word's position to seconds of silence before it."""
    words, at = [], 0.5
    for i, text in enumerate(spoken.split()):
        at += (pauses or {}).get(i, 0.0)
        words.append(SpokenWord(text, at, at + WORD_SECONDS - 0.05, 0.95))
        at += WORD_SECONDS
    transcript = Transcript(tuple(words), "test", "test")
    return score_recitation(reference, transcript, duration=at + 0.5).to_dict()
