"""The one interface every transcription engine implements."""

from __future__ import annotations

from typing import Any, Protocol

from shared.audio.types import DecodedAudio
from shared.domain.transcript import Transcript


class TranscriptionError(Exception):
    """The engine could not transcribe. ``retryable`` tells the worker whether to try again."""

    def __init__(self, code: str, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retryable = retryable

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled by Celery and by process pools: rebuilt with every argument,
        # where Exception's default would pass the message alone (and fail).
        return _rebuild_transcription_error, (self.code, self.message, self.retryable)


def _rebuild_transcription_error(code: str, message: str, retryable: bool) -> TranscriptionError:
    return TranscriptionError(code, message, retryable=retryable)


class Transcriber(Protocol):
    engine: str  # "offline" | "openai"
    model: str
    # Version of Recital's own recognition code around the model (biasing,
    # second looks, chunking): part of the transcript cache key, so a change
    # to what the engine hears is never served from an old transcript.
    recognition_version: str

    def transcribe(self, audio: DecodedAudio, reference_text: str | None = None) -> Transcript:
        """Words with start/end seconds. ``reference_text`` may bias recognition
        toward the piece's vocabulary, but the transcript must report what was
        said, not what should have been."""
        ...
