"""Fillers: hesitation sounds ("um", "uh") that are not words of the piece.

The one home of what a filler is, shared by scoring (fillers are set apart
before alignment and cost fluency, not accuracy) and by the offline engine
(its piece model offers the filler sounds, and its second look decodes again
beside a heard filler).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# Every spelling of a hesitation an engine may write (normalised keys).
FILLERS = frozenset("um umm ummm uh uhh uhm er erm err ah ahh hmm hm hmmm mm mmm eh".split())

# The fillers a recogniser's dictionary can hear (PocketSphinx: AH M, AH);
# the offline engine offers these, in this order, in its piece model and grammars.
FILLER_SOUNDS = ("um", "uh")


def counted_fillers(words: Iterable[str], piece: Iterable[str]) -> frozenset[str]:
    """The fillers among ``words`` that count as fillers: a filler the piece
    itself contains (a poem's own "ah") is a word of the piece."""
    return frozenset(word for word in words if word in FILLERS).difference(piece)


def spoken_places(heard: Sequence[str], piece: Sequence[str]) -> list[int]:
    """Indices of the heard words that are not counted fillers (what an engine
    compares with the piece)."""
    fillers = counted_fillers(heard, piece)
    return [k for k, word in enumerate(heard) if word not in fillers]
