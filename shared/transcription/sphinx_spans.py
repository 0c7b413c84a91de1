"""Decode a span of samples with PocketSphinx's active search into timed words.

Shared by the offline engine's first pass (whole utterances, piece model)
and its second look beside fillers (short spans, a small grammar).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

import numpy as np
from pocketsphinx import Decoder

from shared.audio.types import TARGET_RATE
from shared.domain.transcript import SpokenWord
from shared.transcription.port import TranscriptionError

FRAME_SECONDS = 0.01  # PocketSphinx frames are 10 ms
PCM_BLOCK = 60 * TARGET_RATE

_SPECIAL = re.compile(r"^(<.*>|\[.*\]|\+\+.*\+\+)$")


def decode_span(decoder: Decoder, samples: np.ndarray, start: int, end: int) -> list[SpokenWord]:
    """One utterance, with word times on the recording's clock."""
    try:
        decoder.start_utt()
        decoder.process_raw(to_int16(samples[start:end]), full_utt=True)
        decoder.end_utt()
    except RuntimeError as exc:
        raise TranscriptionError("engine_failed", "Speech recognition failed.") from exc
    offset = start / TARGET_RATE
    return [
        replace(word, start=round(word.start + offset, 2), end=round(word.end + offset, 2))
        for word in _words(decoder)
    ]


def to_int16(samples: np.ndarray) -> np.ndarray:
    """16-bit PCM as a byte view (what process_raw takes), converted a block at a
    time: an hour would otherwise hold four full-length copies (~460 MB)."""
    pcm = np.empty(len(samples), dtype=np.int16)
    for at in range(0, len(samples), PCM_BLOCK):
        block = np.clip(samples[at : at + PCM_BLOCK], -1.0, 1.0)
        pcm[at : at + PCM_BLOCK] = block * 32767.0
    return pcm.view(np.uint8)


def _words(decoder: Decoder) -> Iterable[SpokenWord]:
    # No segments at all when a grammar search never reached its end (a
    # forced reading longer than the audio holds): then no words were heard.
    for seg in decoder.seg() or ():
        word = re.sub(r"\(\d+\)$", "", seg.word)
        if _SPECIAL.match(word):
            continue  # <s>, </s>, <sil>, [NOISE] and friends are not words
        start = seg.start_frame * FRAME_SECONDS
        end = (seg.end_frame + 1) * FRAME_SECONDS  # end frame is inclusive
        # seg.prob is already a lattice posterior in [0, 1] (the binding
        # converts it); exponentiating it again made every confidence 1.0.
        confidence = max(0.0, min(1.0, seg.prob)) if seg.prob is not None else None
        yield SpokenWord(word, round(start, 2), round(end, 2), confidence)
