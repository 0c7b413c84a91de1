"""The OpenAI engine (``engine``), its retry policy (``retry``) and the FLAC
encoding it uploads (``flac``)."""

from shared.transcription.openai.engine import OpenAITranscriber

__all__ = ["OpenAITranscriber"]
