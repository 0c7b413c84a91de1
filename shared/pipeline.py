"""One recording from file to score: the seam every caller shares.

The worker (``shared.services.processing``), ``recital score``, re-scoring,
the evaluation (``bench.eval``), the speed and memory benches and the corpus
test all decode, analyse, recognise and score through these functions, so
what they report is what a learner is shown: the same quality checks, the
same warnings in the analysis, the same scoring inputs (pauses, unmerged
silences, duration). The worker stores each stage between the calls, so it
calls the steps one by one; the others call ``recognise`` or
``score_recording``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from shared.domain.scoring import ScoringOptions, score_recitation
from shared.sounds import MEANING_OR_SOUND

if TYPE_CHECKING:  # audio code is heavy and lives only in the worker image
    from shared.audio.types import Analysis, DecodedAudio
    from shared.domain.result import ScoredAttempt
    from shared.domain.text import ReferenceText
    from shared.domain.transcript import Transcript
    from shared.transcription.port import Transcriber


@dataclass(frozen=True)
class Recognition:
    """What was heard: the analysis (quality warnings included) and the words.

    ``unusable`` is the failure code the worker would refuse the recording
    with (``too_short``, ``too_quiet``…); it is only ever set when the caller
    asked to ``keep_unusable`` (the evaluation scores every case)."""

    analysis: Analysis
    transcript: Transcript
    unusable: str | None = None


def decode_recording(
    path: str | os.PathLike[str], fmt: str | None = None, max_seconds: float | None = None
) -> DecodedAudio:
    """16 kHz mono float32; the format sniffed from the bytes when not given. A
    faint recording comes back raised to a usable level (``gain_db`` says how
    far), so the analysis, the quality checks and every engine hear it alike."""
    from shared.audio.decode import DEFAULT_MAX_SECONDS, decode_file
    from shared.audio.gain import normalised
    from shared.audio.sniff import SNIFF_BYTES, sniff_format

    if fmt is None:
        with open(path, "rb") as handle:
            fmt = sniff_format(handle.read(SNIFF_BYTES))
    decoded = decode_file(path, fmt, DEFAULT_MAX_SECONDS if max_seconds is None else max_seconds)
    return normalised(decoded, in_place=True)  # the buffer is ours: no hour-long copy


def analyse_recording(audio: DecodedAudio, reference_text: str | None = None) -> Analysis:
    """Pauses, silences, loudness… with the quality warnings merged in.
    Raises ``AudioError`` for audio that cannot be scored (judged against the
    piece's length when given: "Amen." is a whole recitation in half a second)."""
    return _analyse(audio, reference_text, keep_unusable=False)[0]


def recognise(
    audio: DecodedAudio, reference_text: str, transcriber: Transcriber, *, keep_unusable: bool = False
) -> Recognition:
    """Analysis with warnings, then the engine's words. ``keep_unusable``: a
    recording the worker would refuse is still transcribed, its refusal code in
    ``Recognition.unusable`` (for the evaluation, whose figures cover every case)."""
    analysis, unusable = _analyse(audio, reference_text, keep_unusable=keep_unusable)
    return Recognition(analysis, transcriber.transcribe(audio, reference_text), unusable)


def _analyse(
    audio: DecodedAudio, reference_text: str | None, *, keep_unusable: bool
) -> tuple[Analysis, str | None]:
    from shared.audio.analysis import analyse
    from shared.audio.quality import check_quality
    from shared.audio.types import AudioError

    analysis = analyse(audio)
    try:
        warnings = check_quality(audio, analysis, _piece_words(reference_text))
    except AudioError as exc:
        if not keep_unusable:
            raise
        return analysis, exc.code
    merged = tuple(dict.fromkeys(analysis.warnings + warnings))
    return replace(analysis, warnings=merged), None


def _piece_words(reference_text: str | None) -> int | None:
    from shared.domain.text import word_count

    if reference_text is None:
        return None
    return word_count(reference_text) or None  # no words: the scorer says so, with its own failure


def score(
    reference: str | ReferenceText,
    transcript: Transcript,
    analysis: Analysis,
    options: ScoringOptions | None = None,
) -> ScoredAttempt:
    """The transcript against the piece, with the analysis's voice-activity
    pauses (repairs, hesitations), unmerged silences (repairs) and duration
    (speaking rate). Processing, re-scoring, ``recital score`` and the
    evaluation all score here, so a re-score reproduces what processing wrote."""
    return score_recitation(
        reference,
        transcript,
        options or ScoringOptions(),
        pauses=analysis.pauses,
        duration=analysis.duration,
        silences=analysis.silences,
        related=MEANING_OR_SOUND,
    )


def score_recording(
    path: str | os.PathLike[str],
    reference_text: str,
    transcriber: Transcriber,
    options: ScoringOptions | None = None,
    max_seconds: float | None = None,
) -> tuple[Recognition, ScoredAttempt]:
    """A recording file scored as the worker scores it (``recital score``)."""
    recognition = recognise(decode_recording(path, None, max_seconds), reference_text, transcriber)
    return recognition, score(reference_text, recognition.transcript, recognition.analysis, options)
