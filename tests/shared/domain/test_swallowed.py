"""A slip heard in the place of the short word before the word it stood for."""

from __future__ import annotations

from shared.domain.result import WordStatus
from shared.domain.scoring import score_recitation
from shared.domain.transcript import SpokenWord, Transcript

FIX, SUB, OMIT, OK = WordStatus.SELF_CORRECTED, WordStatus.SUBSTITUTED, WordStatus.OMITTED, WordStatus.CORRECT
SYNONYMS = {("mountains", "hills"), ("hills", "mountains")}


def _related(slip: str, word: str) -> bool:
    return (slip, word) in SYNONYMS


def _words(reference: str, heard: list[str]) -> list[tuple[str | None, str | None, WordStatus]]:
    timed = (SpokenWord(w, 0.4 * k, 0.4 * k + 0.35) for k, w in enumerate(heard))
    result = score_recitation(reference, Transcript.of(timed, "test", "test"), pauses=[], related=_related)
    return [(w.expected, w.spoken, w.status) for w in result.words]


def test_a_slip_heard_for_the_short_word_before_its_repair_is_a_self_correction() -> None:
    # "unto the [mountains] hills" heard "unto mountains hills".
    words = _words("eyes unto the hills from", ["eyes", "unto", "mountains", "hills", "from"])
    assert ("the", None, OMIT) in words
    assert ("hills", "mountains hills", FIX) in words
    assert not any(status == SUB for _, _, status in words)


def test_an_unrelated_word_for_a_short_word_stays_a_substitution() -> None:
    words = _words("eyes unto the hills from", ["eyes", "unto", "garden", "hills", "from"])
    assert ("the", "garden", SUB) in words
    assert ("hills", "hills", OK) in words


def test_a_function_word_for_a_function_word_stays_a_swap() -> None:
    # "a" for "the" is the learner's swap, not a slip swallowing "the".
    words = _words("eyes unto the hills from", ["eyes", "unto", "a", "hills", "from"])
    assert ("the", "a", SUB) in words


def test_a_content_word_in_a_content_words_place_is_left_alone() -> None:
    # Only a short function word is swallowed; "high" for "green" is a substitution.
    words = _words("the green hills from", ["the", "mountains", "hills", "from"])
    assert ("green", "mountains", SUB) in words
