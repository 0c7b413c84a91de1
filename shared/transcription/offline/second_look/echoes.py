"""Is a short word heard right on the end of the word before it really there?

A piece-biased first pass sometimes splits the last syllable of a word off
as a word of its own that the piece makes likely: the bundled Gettysburg
recitation's "created equal. Now" came out "equal all … now" (the "-qual"
of "equal", AH L, heard as "all", AO L), and scoring then read "all now"
as a slip corrected. The spot is pure text (``echo_spots``): a word that
begins the moment the word before it ends, of two phones or more but fewer
than that word, and mostly the same phones as its ending, where the piece
does not have the two words in that order. There the stretch is aligned twice with
a one-path grammar, with and without the short word. A word really said
fits far better with it; an echo of a word's own ending barely does, and is
dropped (the word before it then ends where the echo ended).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from pocketsphinx import Decoder
from rapidfuzz.distance import Levenshtein

from shared.domain.transcript import SpokenWord
from shared.transcription.offline.decoder import context_of, path_score

MAX_GAP_SECONDS = 0.01  # "begins the moment the word before ends": one frame
MIN_TAIL_SIMILARITY = 0.5  # "equal"'s ending AH L against "all" AO L
# A one-phone word ("a" AH after "the" DH AH, "I" AY after "my") adds too
# little to any path for the scores to tell; on the held-out split two such
# words were dropped, one of them really said. Such words are never spots.
MIN_ECHO_PHONES = 2
# How much better the stretch must fit with the short word for it to stay,
# in the decoder's path-score units. Measured on the bundled recitation: the
# echo "all" 6; words really said after a word, 150 and more.
MIN_SCORE_GAIN = 100
_SEARCH = "_echo"


def echo_spots(
    heard: Sequence[SpokenWord], piece: Sequence[str], phones: Callable[[str], str | None]
) -> list[int]:
    """Indexes of heard words that may be the ending of the word before them."""
    in_piece = set(zip(piece, piece[1:], strict=False))
    return [
        k
        for k in range(1, len(heard))
        if heard[k].start - heard[k - 1].end <= MAX_GAP_SECONDS
        and (heard[k - 1].text, heard[k].text) not in in_piece
        and _ends_like(phones(heard[k - 1].text), phones(heard[k].text))
    ]


def drop_echoes(
    decoder: Decoder, samples: np.ndarray, heard: list[SpokenWord], piece: list[str], cmn: str
) -> list[SpokenWord]:
    """The heard words without the echoes the recording does not need. Leaves
    a grammar search active when it looked."""
    dropped: set[int] = set()
    for k in echo_spots(heard, piece, decoder.lookup_word):
        gain = _gain(decoder, samples, heard, k, cmn)
        if gain is not None and gain < MIN_SCORE_GAIN:
            dropped.add(k)
    out: list[SpokenWord] = []
    for k, word in enumerate(heard):
        if k in dropped:
            out[-1] = out[-1]._replace(end=word.end)
        else:
            out.append(word)
    return out


def _ends_like(before: str | None, word: str | None) -> bool:
    if not before or not word:
        return False
    ending, sounds = before.split(), word.split()
    if len(sounds) < MIN_ECHO_PHONES or len(sounds) >= len(ending):
        return False  # a whole word, not a piece of one: copies are judged elsewhere
    return Levenshtein.normalized_similarity(ending[-len(sounds) :], sounds) >= MIN_TAIL_SIMILARITY


def _gain(decoder: Decoder, samples: np.ndarray, heard: list[SpokenWord], k: int, cmn: str) -> int | None:
    """How much better the stretch fits with heard[k] than without it."""
    context = context_of(heard, k - 1, k + 1, len(samples))
    before = [*context.before, heard[k - 1].text]
    with_word = path_score(decoder, _SEARCH, samples, context, [*before, heard[k].text, *context.after], cmn)
    without = path_score(decoder, _SEARCH, samples, context, [*before, *context.after], cmn)
    if with_word is None or without is None:
        return None
    return with_word - without
