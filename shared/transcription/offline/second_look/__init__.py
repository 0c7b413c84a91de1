"""The offline engine's second looks: where the first pass may have heard
something other than what was said, ask the recording again.

One module per look, the pure-text half (where to look) named like the
acoustic half (what the recording says there):

- ``echoes``: a short word heard right on the end of the word before it,
  sounding like that word's ending, is dropped when the recording barely
  needs it (a syllable split off as a word).
- ``copies``: a word heard twice in a row that does not sound the same both
  times is marked ``unlike_previous`` (a slip heard as the word).
- ``filler_spots`` / ``fillers``: stretches beside a filler, an unlike copy
  or a paused function word where piece words were lost are decoded again.
- ``copy_slips``: a content word heard twice in a row whose first copy the
  recording says was a word that sounds like it ("temper temperate") gets
  that word (a slip the first pass heard as the word).
- ``extra_slip_spots`` / ``extra_slips``: an extra word heard right before a
  piece word that the recording says was a slip for it ("came kingdom" for
  "king kingdom") gets that word.
- ``doubles``: a short word heard long that the recording says was said
  twice ("we we slowly", heard "we") is split into its two copies.
- ``sound_alike_spots`` / ``sound_alikes``: a heard word standing where the
  piece has a word of nearly the same sounds (on a steady noise floor: any
  other word) is marked ``sounds_like`` when the recording fits the piece's
  word at least as well (on a steady floor: nearly as well).

The flags are the evidence contract of ``shared.domain.transcript``.
"""

from __future__ import annotations

import numpy as np
from pocketsphinx import Decoder

from shared.domain.transcript import SpokenWord
from shared.transcription.offline.second_look.copies import mark_unlike_copies
from shared.transcription.offline.second_look.copy_slips import find_copy_slips
from shared.transcription.offline.second_look.doubles import split_doubles
from shared.transcription.offline.second_look.echoes import drop_echoes
from shared.transcription.offline.second_look.extra_slips import rehear_extra_slips
from shared.transcription.offline.second_look.fillers import recheck_fillers
from shared.transcription.offline.second_look.sound_alikes import mark_sound_alikes

__all__ = ["look_again"]


def look_again(
    decoder: Decoder,
    recording: np.ndarray,
    samples: np.ndarray,
    heard: list[SpokenWord],
    piece: list[str] | None,
    *,
    steady_noise: bool = False,
) -> list[SpokenWord]:
    """The first pass's words after every look.

    ``recording`` is the audio as it came (copies are compared on it),
    ``samples`` the front end's output the decoder heard; ``piece`` the
    piece's words, or None when the engine decoded without the piece (then
    only copies are marked); ``steady_noise``: the front end found a steady
    noise floor (then every substitution is checked against the piece).
    Call right after the first pass: the fillers and sound-alikes start from
    the decoder's cepstral mean as that pass left it.
    Leaves a grammar search active.
    """
    if piece is None:
        return mark_unlike_copies(recording, heard)
    cmn = decoder.get_cmn()
    words = mark_unlike_copies(recording, drop_echoes(decoder, samples, heard, piece, cmn))
    rechecked = recheck_fillers(decoder, samples, words, piece, cmn)
    if rechecked != words:  # a word changed: its copies are judged afresh
        words = mark_unlike_copies(recording, [w._replace(unlike_previous=False) for w in rechecked])
    words = find_copy_slips(decoder, samples, words, piece, cmn)
    words = rehear_extra_slips(decoder, samples, words, piece, cmn)
    words = split_doubles(decoder, samples, words, cmn)
    return mark_sound_alikes(decoder, samples, words, piece, cmn, every=steady_noise)
