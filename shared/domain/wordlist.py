"""The result's word list, built in one pass over the judgements.

A long piece has 10,000 judgements, and each pass over them costs about a
millisecond (touching every record, not the work done on it), so the pass
that builds the word records also tallies what the scores need.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import NamedTuple

from shared.domain.miscues import Judgement
from shared.domain.result import WordResult, WordStatus
from shared.domain.transcript import SpokenWord

_CORRECT, _FIXED, _OMITTED = WordStatus.CORRECT, WordStatus.SELF_CORRECTED, WordStatus.OMITTED
SAID = (WordStatus.CORRECT, WordStatus.SELF_CORRECTED, WordStatus.SUBSTITUTED)  # words said, right or wrong


class WordList(NamedTuple):
    words: tuple[WordResult, ...]
    right_refs: list[int]  # reference indices of the words said right, in order
    omitted: int  # reference words not said at all
    said: int = 0  # words said, in the text's units ("1863" and "well-known" are one each)


def word_list(
    judged: Sequence[Judgement],
    ref_displays: Sequence[str],
    displays: Sequence[str],
    heard_words: Sequence[SpokenWord],
    prompted: Collection[int],
) -> WordList:
    """One record per judgement, in order; ``displays`` are the spoken words as
    shown, ``prompted`` the reference words a long hesitation came before."""
    new = tuple.__new__  # builds the named tuple without its __new__'s Python frame
    results: list[WordResult] = []
    right: list[int] = []
    omitted = said = 0
    for status, ref, heard in judged:
        expected = None if ref is None else ref_displays[ref]
        if status is _CORRECT or status is _FIXED:  # identity: a StrEnum hashes in Python
            right.append(ref)  # type: ignore[arg-type]  # said-right words always have a reference
        if not heard:
            omitted += status is _OMITTED
            results.append(new(WordResult, (expected, None, status, None, None, ref, False)))
            continue
        said += 1
        text = displays[heard[0]] if len(heard) == 1 else " ".join(displays[j] for j in heard)
        is_prompted = ref in prompted and status in SAID
        start, end = heard_words[heard[0]].start, heard_words[heard[-1]].end
        results.append(new(WordResult, (expected, text, status, start, end, ref, is_prompted)))
    return WordList(tuple(results), right, omitted, said)
