"""An engine counted at its port: every recording it is given, by outcome.

Wraps each engine the factory builds (the primary and the fallback on their
own), so ``recital_transcriptions_total`` says which engine did the work.
"""

from __future__ import annotations

from typing import Any

from shared.audio.types import DecodedAudio
from shared.domain.transcript import Transcript
from shared.observability.metrics import TRANSCRIPTIONS
from shared.transcription.port import Transcriber, TranscriptionError


class MeteredTranscriber:
    def __init__(self, engine: Transcriber) -> None:
        self.inner = engine
        self.engine = engine.engine
        self.model = engine.model
        self.recognition_version = engine.recognition_version

    def __getattr__(self, name: str) -> Any:
        # Engine-specific attributes (uses_reference, word_times, …) read through.
        return getattr(self.inner, name)

    def transcribe(self, audio: DecodedAudio, reference_text: str | None = None) -> Transcript:
        try:
            transcript = self.inner.transcribe(audio, reference_text)
        except TranscriptionError as exc:
            TRANSCRIPTIONS.labels(self.engine, exc.code).inc()
            raise
        except Exception:
            TRANSCRIPTIONS.labels(self.engine, "error").inc()
            raise
        TRANSCRIPTIONS.labels(self.engine, "ok").inc()
        return transcript
