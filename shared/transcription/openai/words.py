"""An OpenAI transcription's words, with times on the whole recording's clock.

``whisper-1`` answers with word timestamps; the ``gpt-4o-transcribe`` family
with text only, whose words get times spread evenly over their chunk.
"""

from __future__ import annotations

from openai.types.audio import Transcription, TranscriptionVerbose

from shared.domain.transcript import SpokenWord


def words_of(result: Transcription | TranscriptionVerbose, offset: float, stop: float) -> list[SpokenWord]:
    """The chunk's words, shifted by its start (``offset``) and ending by ``stop``."""
    if isinstance(result, TranscriptionVerbose) and result.words is not None:
        return [
            SpokenWord(w.word.strip(), offset + w.start, offset + max(w.start, w.end))
            for w in result.words
            if w.word.strip()
        ]
    return spread_words(result.text.split(), offset, stop)


def spread_words(texts: list[str], start: float, end: float) -> list[SpokenWord]:
    """Evenly spaced times for a model that returns text only (approximate)."""
    if not texts:
        return []
    step = (end - start) / len(texts)
    return [SpokenWord(t, start + i * step, start + (i + 1) * step) for i, t in enumerate(texts)]
