"""A recording's transcript scored with what the analysis heard around it.

Processing a new attempt, re-scoring a stored one, ``recital score`` and the
evaluation all score the same way: the transcript against the piece, with the
recording's voice-activity pauses (repairs, hesitations), its unmerged
silences (repairs) and its duration (speaking rate). One call keeps them from
drifting apart, so a re-score reproduces what processing wrote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.domain.scoring import ScoringOptions, score_recitation

if TYPE_CHECKING:
    from shared.audio.types import Analysis
    from shared.domain.result import ScoredAttempt
    from shared.domain.text import ReferenceText
    from shared.domain.transcript import Transcript


def score_recording(
    reference: str | ReferenceText,
    transcript: Transcript,
    analysis: Analysis,
    options: ScoringOptions | None = None,
) -> ScoredAttempt:
    """``score_recitation`` with the analysis's pauses, silences and duration."""
    return score_recitation(
        reference,
        transcript,
        options or ScoringOptions(),
        pauses=analysis.pauses,
        duration=analysis.duration,
        silences=analysis.silences,
    )
