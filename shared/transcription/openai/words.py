"""An OpenAI transcription's words, with times on the whole recording's clock.

``whisper-1`` answers with word timestamps; the ``gpt-4o-transcribe`` family
with text only, whose words get times spread evenly over their chunk.
"""

from __future__ import annotations

from numbers import Real

from openai.types.audio import Transcription, TranscriptionVerbose

from shared.domain.transcript import SpokenWord

Answer = Transcription | TranscriptionVerbose


def checked(result: object) -> Answer:
    """``result`` if it is a transcription :func:`words_of` can read, else ``ValueError``.

    The SDK does not validate a 200: a gateway's HTML page comes back as a str
    and JSON without ``text`` as a model missing it, which crashed the job
    (``processing_error``) instead of being retried like any malformed body.
    """
    if not isinstance(result, Transcription | TranscriptionVerbose):
        raise ValueError(f"not a transcription: {type(result).__name__}")
    if not isinstance(getattr(result, "text", None), str):
        raise ValueError("transcription without text")
    words = getattr(result, "words", None) if isinstance(result, TranscriptionVerbose) else None
    for word in words or ():
        times = (getattr(word, "start", None), getattr(word, "end", None))
        if not isinstance(getattr(word, "word", None), str) or not all(isinstance(t, Real) for t in times):
            raise ValueError("word without text or times")
    return result


def words_of(result: Answer, offset: float, stop: float) -> list[SpokenWord]:
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
