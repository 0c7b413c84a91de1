"""The word list and the tallies built in the same pass."""

from __future__ import annotations

from shared.domain.alignment import Link
from shared.domain.result import WordResult, WordStatus
from shared.domain.transcript import SpokenWord
from shared.domain.wordlist import word_list

OK, SUB, OMIT, INS, FIX = (
    WordStatus.CORRECT,
    WordStatus.SUBSTITUTED,
    WordStatus.OMITTED,
    WordStatus.INSERTED,
    WordStatus.SELF_CORRECTED,
)
REFERENCE = ["Four", "score", "and", "seven", "years", "ago"]
HEARD = ["four", "um", "add", "and", "seven", "yours", "ago"]


def heard_words() -> list[SpokenWord]:
    return [SpokenWord(w, k * 1.0, k * 1.0 + 0.5) for k, w in enumerate(HEARD)]


def test_records_follow_the_judgements_and_tally_right_and_omitted_words() -> None:
    judged = [
        Link(OK, 0, (0,)),
        Link(OMIT, 1, ()),
        Link(INS, None, (1,)),
        Link(FIX, 2, (2, 3)),
        Link(OK, 3, (4,)),
        Link(SUB, 4, (5,)),
        Link(OK, 5, (6,)),
    ]
    words = word_list(judged, REFERENCE, HEARD, heard_words(), prompted={3, 4})
    assert words.words == (
        WordResult("Four", "four", OK, 0.0, 0.5, 0, False),
        WordResult("score", None, OMIT, None, None, 1, False),
        WordResult(None, "um", INS, 1.0, 1.5, None, False),
        WordResult("and", "add and", FIX, 2.0, 3.5, 2, False),
        WordResult("seven", "seven", OK, 4.0, 4.5, 3, True),
        WordResult("years", "yours", SUB, 5.0, 5.5, 4, True),
        WordResult("ago", "ago", OK, 6.0, 6.5, 5, False),
    )
    assert words.right_refs == [0, 2, 3, 5]
    assert words.omitted == 1


def test_a_correct_word_read_as_several_spoken_words_spans_them_all() -> None:
    judged = [Link(OK, 0, (0, 1))]
    words = word_list(judged, ["1863"], ["eighteen", "sixty-three"], heard_words()[:2], prompted=())
    assert words.words == (WordResult("1863", "eighteen sixty-three", OK, 0.0, 1.5, 0, False),)
    assert words.right_refs == [0]
    assert words.omitted == 0
