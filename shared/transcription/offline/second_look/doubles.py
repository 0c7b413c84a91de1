"""Was a short word heard long a word said twice?

A learner who repeats a short word at once ("we we slowly drove") leaves no
pause between the copies, and the piece-biased first pass, which expects the
word once, hears one long word (the tune split's "we", 0.53 s). The spot is
pure text: a heard word of at most three letters lasting ``MIN_SECONDS`` or
more. There the stretch (two heard words each side) is aligned twice with a
one-path grammar, with the word once and twice. A word said once and drawn
out fits far better once: the second copy needs an onset the sound does not
have. Where the two copies fit at least ``MIN_GAIN`` better, the word is
split in two at its middle, and the scorer reports the copy as a repeat.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pocketsphinx import Decoder

from shared.domain.transcript import SpokenWord
from shared.transcription.offline.decoder import context_of, path_score

MAX_LETTERS = 3  # short words: longer ones are drawn out at phrase ends as often
MIN_SECONDS = 0.4  # function words last 0.1-0.3 s said once
# How much better two copies must fit, in path-score units. Measured on the
# tune and main splits' long short words said once: -1,674 to -31, and 302 (a
# real recording's drawn-out "ask not"; held-out: none above 300); the tune
# split's "we we", heard "we", 684.
MIN_GAIN = 400
_SEARCH = "_double"


def double_spots(heard: Sequence[SpokenWord]) -> list[int]:
    """Indexes of short heard words long enough to be two."""
    return [k for k, w in enumerate(heard) if len(w.text) <= MAX_LETTERS and w.end - w.start >= MIN_SECONDS]


def split_doubles(
    decoder: Decoder, samples: np.ndarray, heard: list[SpokenWord], cmn: str
) -> list[SpokenWord]:
    """The heard words with each long short word the recording says was said
    twice split into its two copies. Leaves a grammar search active when it looked."""
    spots = set(double_spots(heard))
    out: list[SpokenWord] = []
    for k, word in enumerate(heard):
        gain = _gain(decoder, samples, heard, k, cmn) if k in spots else None
        if gain is not None and gain >= MIN_GAIN:
            middle = round((word.start + word.end) / 2, 2)
            out += [word._replace(end=middle, confidence=None), word._replace(start=middle, confidence=None)]
        else:
            out.append(word)
    return out


def _gain(decoder: Decoder, samples: np.ndarray, heard: list[SpokenWord], k: int, cmn: str) -> int | None:
    """How much better the stretch fits with heard[k] said twice than once."""
    context = context_of(heard, k, k + 1, len(samples))
    word = heard[k].text
    once = path_score(decoder, _SEARCH, samples, context, [*context.before, word, *context.after], cmn)
    twice = path_score(decoder, _SEARCH, samples, context, [*context.before, word, word, *context.after], cmn)
    if once is None or twice is None:
        return None
    return twice - once
