"""Where a slip may have been heard as a word that could not stand for the next.

A learner who says a wrong word and at once the right one ("thy *king*
kingdom come", "on to *end* finish") is heard by the piece-biased first
pass as best it can: often as another word the scorer cannot relate to the
right one ("came kingdom", "i finish"), which then reads as an insertion.
The spot is one heard word that the alignment with the piece leaves extra,
right before a heard word that is the piece's next word, and not a copy of
a content word beside it (a repetition: ``copies`` and ``copy_slips`` judge
those). A short function word heard twice where the piece says it once is a
spot too, its second copy, since offline-2026.12.12: the slip before the
next word may be heard as a copy of the word before it ("their *fair* just"
heard "their their just": "fair" and "their" differ by one sound), and no
copy look hears function words again. Which words a slip
for that word could be (``candidates``) is the scorer's own test
(``shared.domain.stand_ins.stands_for``) over the words an engine can say.
Pure text: heard and piece words in, spots out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein, Opcode

from shared.domain.fillers import spoken_places
from shared.domain.function_words import FUNCTION_WORDS


@dataclass(frozen=True, slots=True)
class ExtraSlip:
    heard: int  # index of the extra heard word
    expected: str  # the piece word heard right after it


def extra_slip_spots(heard: Sequence[str], piece: Sequence[str]) -> list[ExtraSlip]:
    """Single extra heard words right before a heard word the piece expects there."""
    spoken = spoken_places(heard, piece)
    words = [heard[k] for k in spoken]
    ops = list(Levenshtein.opcodes(words, list(piece)))
    found: list[ExtraSlip] = []
    for op, after in zip(ops, [*ops[1:], None], strict=True):
        if op.tag != "delete" or op.src_end - op.src_start != 1 or after is None or after.tag != "equal":
            continue
        m = op.src_start
        if words[m] not in words[max(0, m - 1) : m] and words[m] not in words[m + 1 : m + 2]:
            found.append(ExtraSlip(spoken[m], piece[after.dest_start]))
        elif words[m] in FUNCTION_WORDS:  # content-word copies: the copy looks judge those
            found.extend(_copied_function_word(m, words, spoken, piece, after))
    return found


def _copied_function_word(
    m: int, words: list[str], spoken: list[int], piece: Sequence[str], after: Opcode
) -> list[ExtraSlip]:
    """The second copy of a function word said twice, before the piece's next word."""
    if m and words[m - 1] == words[m]:  # the alignment left the second copy extra
        return [ExtraSlip(spoken[m], piece[after.dest_start])]
    # It left the first: the second is matched, and the piece's next word must follow it.
    if after.dest_end - after.dest_start < 2:
        return []
    return [ExtraSlip(spoken[m + 1], piece[after.dest_start + 1])]


def candidates(
    word: str,
    heard: str,
    offered: Iterable[str],
    stands_for: Callable[[str, str], bool],
    limit: int,
) -> list[str]:
    """Up to ``limit`` of the ``offered`` words (most likely first) that could
    stand for ``word``; none when the heard word already does (the scorer
    takes it as a repair as heard)."""
    if stands_for(heard, word):
        return []
    found: list[str] = []
    for other in offered:
        if other not in (word, heard) and other not in found and stands_for(other, word):
            found.append(other)
            if len(found) == limit:
                break
    return found
