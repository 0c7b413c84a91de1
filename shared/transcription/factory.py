"""Pick the transcription engine named in settings."""

from __future__ import annotations

from shared.settings import Settings
from shared.transcription.metered import MeteredTranscriber
from shared.transcription.port import Transcriber


def build_transcriber(settings: Settings, offline_in_child: bool = False) -> Transcriber:
    """``offline_in_child``: the offline engine decodes in a child process (``recital serve``)."""
    offline = _offline_in_child if offline_in_child else _offline_here
    if settings.transcriber == "offline":
        return MeteredTranscriber(offline())
    from shared.transcription.fallback import CircuitBreaker, FallbackTranscriber
    from shared.transcription.openai import OpenAITranscriber

    primary = MeteredTranscriber(OpenAITranscriber.from_settings(settings))
    if settings.fallback_transcriber == "none":
        return primary
    breaker = CircuitBreaker(settings.openai_breaker_failures, settings.openai_breaker_reset_seconds)
    return FallbackTranscriber(primary, MeteredTranscriber(offline()), breaker)


def _offline_here() -> Transcriber:
    from shared.transcription.offline import OfflineTranscriber

    return OfflineTranscriber()


def _offline_in_child() -> Transcriber:
    from shared.transcription.child_process import ChildProcessTranscriber
    from shared.transcription.offline import OfflineTranscriber

    return ChildProcessTranscriber(OfflineTranscriber)
