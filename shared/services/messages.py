"""Sentences a learner can act on, by machine-readable error code."""

from __future__ import annotations

TOO_MANY_DELIVERIES = "too_many_deliveries"

MESSAGES: dict[str, str] = {
    TOO_MANY_DELIVERIES: (
        "We tried to score this recording several times and could not finish. "
        "Please record it again; if it keeps happening, contact support."
    ),
    "engine_unavailable": (
        "The transcription service is unavailable right now. Please submit the recording again later."
    ),
    "engine_rejected": "The transcription service could not read this recording. Please record it again.",
    # The engine's own message names a setting: for ops, never for the learner.
    "engine_not_configured": (
        "Recordings cannot be scored right now because of a problem on our side. "
        "Please submit this one again later."
    ),
    "storage_unavailable": "We could not read your stored recording. Please try again later.",
    "processing_timeout": (
        "This recording took too long to score. Try a shorter recording, or submit it again later."
    ),
    "processing_error": "Something went wrong while scoring this recording. Please record it again.",
    "piece_has_no_words": (
        "This piece's text has no words Recital can read (it scores English in the Latin alphabet), "
        "so no recording of it can be scored. Correct the text, or add it as a new piece."
    ),
}


def learner_message(code: str, default: str | None = None) -> str:
    return MESSAGES.get(code) or default or MESSAGES["processing_error"]


def size_text(size_bytes: int) -> str:
    """A byte limit as a learner reads it: "50 MB", "1.5 MB", "10 KB" (never "0 MB")."""
    megabytes = size_bytes / (1024 * 1024)
    if megabytes >= 10:
        return f"{megabytes:.0f} MB"
    if megabytes >= 1:
        return f"{megabytes:.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(size_bytes / 1024))} KB"
