"""Ask the recording how well the piece's word fits where a sound-alike was heard.

At each spot ``sound_alike_spots`` finds, the stretch from two heard words
before to two after is aligned twice with a one-path grammar: once with
the heard word, once with the piece's word in its place. Each alignment's
path score says how well the sounds fit that reading. When the piece's
word fits at least as well (on a steady noise floor: nearly as well,
``STEADY_MAX_SCORE_GAP``), the heard word is marked ``sounds_like`` the
piece's word and the scorer does not count it a substitution. The words
themselves are never changed: the transcript still says what the engine
heard. Measured on the six-round sets: docs/scoring-history.md, "Eleventh round".
"""

from __future__ import annotations

import numpy as np
from pocketsphinx import Decoder

from shared.domain.transcript import SpokenWord
from shared.transcription.offline.decoder import context_of, path_score
from shared.transcription.offline.second_look.sound_alike_spots import SoundAlike, sound_alikes

# How much worse the piece's word may fit than the heard word, in the
# decoder's path-score units (log base 1.0001 of its scaled scores): none.
# A sound-alike really said fits only 50-850 better than the piece's word
# on flite's voices ("large" for "lord", "sell" for "soul"), so any
# tolerance would excuse real slips; the engine's confusions where the
# piece's word fits better are search errors of the first pass.
MAX_SCORE_GAP = 0
# On a steady noise floor (where every substitution is checked) the piece's
# word may fit up to this much worse: there the acoustic model's own
# confusions of a word said right fit the heard word 16-96 better ("we" heard
# "me", "he" heard "thee", "ask" heard "and" in pink noise), while real slips
# in noise fit 145 and more better (tune, main and held-out noise_audible;
# docs/scoring-history.md, "Noise, issue #23, third round").
STEADY_MAX_SCORE_GAP = 100
_SEARCH = "_sound_alike"


def mark_sound_alikes(
    decoder: Decoder,
    samples: np.ndarray,
    heard: list[SpokenWord],
    piece: list[str],
    cmn: str,
    *,
    every: bool = False,
) -> list[SpokenWord]:
    """The heard words, each sound-alike where the recording fits the piece's
    word at least as well (``every``: nearly as well) marked ``sounds_like``. ``cmn`` is the cepstral mean to
    start from (the first pass's); ``every``: check every one-for-one
    substitution (a recording on a steady noise floor, ``sound_alike_spots``).
    Leaves a grammar search active."""
    spots = sound_alikes([w.text for w in heard], piece, decoder.lookup_word, every=every)
    out = list(heard)
    tolerance = STEADY_MAX_SCORE_GAP if every else MAX_SCORE_GAP
    for spot in spots:
        gap = _score_gap(decoder, samples, heard, spot, cmn)
        if gap is not None and gap <= tolerance:
            out[spot.heard] = heard[spot.heard]._replace(sounds_like=spot.expected)
    return out


def _score_gap(
    decoder: Decoder, samples: np.ndarray, heard: list[SpokenWord], spot: SoundAlike, cmn: str
) -> int | None:
    """How much better the heard word fits than the piece's word (None if
    either reading could not be aligned)."""
    context = context_of(heard, spot.heard, spot.heard + 1, len(samples))
    scores = [
        path_score(decoder, _SEARCH, samples, context, [*context.before, word, *context.after], cmn)
        for word in (heard[spot.heard].text, spot.expected)
    ]
    if scores[0] is None or scores[1] is None:
        return None
    return scores[0] - scores[1]
