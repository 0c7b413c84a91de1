"""The PocketSphinx decoder: made with the stock US English model, and used to
decode a span of samples into timed words.

Shared by the offline engine's first pass (whole utterances, piece model)
and its second looks beside fillers and at sound-alikes (a few heard words
with fixed context, a small grammar each).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pocketsphinx
from pocketsphinx import Decoder

from shared.audio.types import TARGET_RATE
from shared.domain.transcript import SpokenWord
from shared.transcription.port import TranscriptionError

FRAME_SECONDS = 0.01  # PocketSphinx frames are 10 ms
PCM_BLOCK = 60 * TARGET_RATE
CONTEXT_WORDS = 2  # heard words held fixed on each side of a stretch decoded again
SPAN_MARGIN = 0.05  # seconds of audio kept beyond the context words

_SPECIAL = re.compile(r"^(<.*>|\[.*\]|\+\+.*\+\+)$")


def new_decoder() -> Decoder:
    """A decoder with the stock model, dictionary and generic language model."""
    model = pocketsphinx.get_model_path()
    return Decoder(
        hmm=f"{model}/en-us/en-us",
        lm=f"{model}/en-us/en-us.lm.bin",
        dict=f"{model}/en-us/cmudict-en-us.dict",
        samprate=TARGET_RATE,
        loglevel="FATAL",
    )


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
        word._replace(start=round(word.start + offset, 2), end=round(word.end + offset, 2))
        for word in _words(decoder)
    ]


@dataclass(frozen=True, slots=True)
class Context:
    """The heard words around a stretch, and the samples they cover with it."""

    before: list[str]
    after: list[str]
    start: int
    end: int


def context_of(
    heard: Sequence[SpokenWord], first: int, last: int, total: int, after_words: int = CONTEXT_WORDS
) -> Context:
    """Up to ``CONTEXT_WORDS`` heard words before ``heard[first:last]`` and
    ``after_words`` after it, and its sample span with them (``total``
    samples in the recording)."""
    before = [w.text for w in heard[max(0, first - CONTEXT_WORDS) : first]]
    after = [w.text for w in heard[last : last + after_words]]
    start = max(0, int((heard[first - len(before)].start - SPAN_MARGIN) * TARGET_RATE))
    end = min(total, int((heard[last + len(after) - 1].end + SPAN_MARGIN) * TARGET_RATE))
    return Context(before, after, start, end)


def decode_grammar(
    decoder: Decoder, search: str, grammar: str, samples: np.ndarray, context: Context, cmn: str
) -> list[SpokenWord] | None:
    """The context's span decoded with a JSGF grammar from the cepstral mean
    ``cmn``; None when the grammar holds a word the dictionary lacks
    (ValueError) or the decoder fails. Leaves that grammar search active."""
    try:
        decoder.add_jsgf_string(search, grammar)
        decoder.activate_search(search)
        decoder.reinit_feat()
        decoder.set_cmn(cmn)
        return decode_span(decoder, samples, context.start, context.end)
    except (RuntimeError, ValueError, TranscriptionError):
        return None


def path_score(
    decoder: Decoder, search: str, samples: np.ndarray, context: Context, words: list[str], cmn: str
) -> int | None:
    """How well the context's span fits ``words`` read in that order (a one-path
    grammar): the path score in the decoder's log units, higher is better; None
    when a word is not in the dictionary or the reading cannot be matched to
    the audio. Leaves that grammar search active."""
    grammar = f"#JSGF V1.0;\ngrammar reading;\npublic <reading> = {' '.join(words)};\n"
    if decode_grammar(decoder, search, grammar, samples, context, cmn) is None:
        return None  # a word the dictionary lacks, or the decoder failed
    hypothesis = decoder.hyp()
    if hypothesis is None or hypothesis.score <= 0.0 or hypothesis.hypstr.split() != words:
        return None  # the reading could not be matched to the audio
    return int(decoder.logmath.log(hypothesis.score))


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
