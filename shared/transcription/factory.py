"""Pick the transcription engine named in settings."""

from __future__ import annotations

from shared.settings import Settings
from shared.transcription.metered import MeteredTranscriber
from shared.transcription.port import Transcriber


def build_transcriber(settings: Settings) -> Transcriber:
    from shared.transcription.offline import OfflineTranscriber

    if settings.transcriber == "offline":
        return MeteredTranscriber(OfflineTranscriber())
    from shared.transcription.fallback import CircuitBreaker, FallbackTranscriber
    from shared.transcription.openai import OpenAITranscriber

    primary = MeteredTranscriber(OpenAITranscriber.from_settings(settings))
    if settings.fallback_transcriber == "none":
        return primary
    breaker = CircuitBreaker(settings.openai_breaker_failures, settings.openai_breaker_reset_seconds)
    return FallbackTranscriber(primary, MeteredTranscriber(OfflineTranscriber()), breaker)
