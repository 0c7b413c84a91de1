"""The offline engine's second look beside the fillers it heard.

``filler_spots`` finds the stretches where the heard words lost piece
words right beside a filler (or at a copy unlike the word it copies). Each
is decoded again with a small grammar: the heard words on either side held
fixed, and in between either what was heard or the piece's words with a
filler allowed at every gap. With no language model pulling either way,
the acoustics choose; when the learner really said something else, the
heard words keep winning (tests; docs/scoring.md, "A second look beside
fillers").
"""

from __future__ import annotations

import numpy as np
from pocketsphinx import Decoder

from shared.domain.function_words import FUNCTION_WORDS
from shared.domain.transcript import SpokenWord
from shared.transcription.offline.decoder import context_of, decode_grammar
from shared.transcription.offline.second_look.filler_spots import FillerWindow, filler_windows, window_grammar

PAUSE_BESIDE = 0.15  # seconds between word times that make a short function word suspect
_SEARCH = "_filler_window"


def recheck_fillers(
    decoder: Decoder, samples: np.ndarray, heard: list[SpokenWord], piece: list[str], cmn: str
) -> list[SpokenWord]:
    """The heard words, with each stretch beside a filler decoded again.

    ``cmn`` is the cepstral mean every window starts from: the first pass's
    (the recording's own). Copies marked ``unlike_previous`` and short
    function words with a pause beside them are looked at too. Leaves a
    grammar search active.
    """
    unlike = [k for k, word in enumerate(heard) if word.unlike_previous]
    windows = filler_windows([w.text for w in heard], piece, unlike, _paused_function_words(heard))
    if not windows:
        return heard
    out = list(heard)
    for window in reversed(windows):
        out[window.first : window.last] = _decode_window(decoder, samples, out, window, cmn)
    return out


def _paused_function_words(heard: list[SpokenWord]) -> list[int]:
    """Short function words ("a", "the", "of") with a pause on either side."""
    found = []
    for k, word in enumerate(heard):
        if len(word.text) > 3 or word.text not in FUNCTION_WORDS:
            continue
        gap_before = word.start - heard[k - 1].end if k else 0.0
        gap_after = heard[k + 1].start - word.end if k + 1 < len(heard) else 0.0
        if max(gap_before, gap_after) >= PAUSE_BESIDE:
            found.append(k)
    return found


def _decode_window(
    decoder: Decoder, samples: np.ndarray, heard: list[SpokenWord], window: FillerWindow, cmn: str
) -> list[SpokenWord]:
    """The window's words as the grammar decodes them (what was heard if it fails)."""
    context = context_of(heard, window.first, window.last, len(samples))
    before, after = context.before, context.after
    inside = heard[window.first : window.last]
    grammar = window_grammar(before, [w.text for w in inside], window.expected, after)
    words = decode_grammar(decoder, _SEARCH, grammar, samples, context, cmn)
    if words is None:
        return inside  # a word the dictionary lacks, or no match to the audio at all
    texts = [w.text for w in words]
    held = len(texts) >= len(before) + len(after) and texts[: len(before)] == before
    if not held or texts[len(texts) - len(after) :] != after:
        return inside  # the context words did not come back as they were
    return words[len(before) : len(words) - len(after)]
