"""A transcription engine that hears a script: the ``Transcriber`` port's
contract without PocketSphinx, for use-case tests in milliseconds.

It keeps the real engines' limits: 16 kHz mono float32 audio only, words
inside the recording's time, an engine, model and recognition version on
every transcript. ``before`` runs at the start of each call, where a real
engine spends its seconds (a test checks what is open at that moment).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from shared.audio.types import TARGET_RATE, DecodedAudio
from shared.domain.transcript import SpokenWord, Transcript
from shared.transcription.port import TranscriptionError


class ScriptedEngine:
    engine = "scripted"
    model = "scripted-1"
    uses_reference = False

    def __init__(
        self,
        words: str | None = None,
        *,
        recognition_version: str = "scripted-2026.12.1",
        before: Callable[[], None] | None = None,
        error: TranscriptionError | None = None,
    ) -> None:
        self.words = words  # None: the reference text, read perfectly
        self.recognition_version = recognition_version
        self.before = before
        self.error = error
        self.calls = 0

    def transcribe(self, audio: DecodedAudio, reference_text: str | None = None) -> Transcript:
        if audio.sample_rate != TARGET_RATE or audio.samples.ndim != 1 or audio.samples.dtype != np.float32:
            raise TypeError("engines take 16 kHz mono float32 audio")
        self.calls += 1
        if self.before is not None:
            self.before()
        if self.error is not None:
            raise self.error
        words = (self.words if self.words is not None else reference_text or "").split()
        step = audio.duration / max(len(words), 1)
        spoken = (SpokenWord(w, round(i * step, 3), round((i + 0.8) * step, 3)) for i, w in enumerate(words))
        return Transcript(
            tuple(spoken), self.engine, self.model, recognition_version=self.recognition_version
        )
