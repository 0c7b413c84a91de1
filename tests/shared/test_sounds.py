"""The sound half of the repair rule's relation: does a slip sound like the next word?"""

from __future__ import annotations

from shared.domain.scoring import ScoringOptions, score_recitation
from shared.domain.transcript import SpokenWord, Transcript
from shared.sounds import MEANING_OR_SOUND, SOUNDS, SoundAlikes, either

PHONES = {
    "truths": ("T", "R", "UW", "TH", "S"),
    "troops": ("T", "R", "UW", "P", "S"),
    "temperate": ("T", "EH", "M", "P", "ER", "AH", "T"),
    "temper": ("T", "EH", "M", "P", "ER"),
    "garden": ("G", "AA", "R", "D", "AH", "N"),
    "river": ("R", "IH", "V", "ER"),
    "try": ("T", "R", "AY"),
    "transportation": ("T", "R", "AE", "N", "S", "P", "ER", "T", "EY", "SH", "AH", "N"),
}


def test_words_that_start_and_sound_alike_are_related_and_others_are_not() -> None:
    sounds = SoundAlikes(PHONES)
    assert sounds("troops", "truths") and sounds("truths", "troops")  # same two first phones, 0.6
    assert sounds("temper", "temperate")  # same first phone, 5 of 7
    assert not sounds("river", "garden")  # another first phone
    assert not sounds("transportation", "truths")  # the same onset, too little else (0.25)
    assert not sounds("try", "truths")  # a short word is alike with too many others (0.4)


def test_words_outside_the_dictionary_are_not_alike() -> None:
    assert not SoundAlikes(PHONES)("xyzzy", "truths")


def test_the_pronouncing_dictionary_is_read_on_first_use() -> None:
    assert SOUNDS("troops", "truths") and SOUNDS("temper", "temperate") and not SOUNDS("river", "garden")
    # Only the first phone and half the phones: not alike enough ("still" for "soul").
    assert not SOUNDS("still", "soul") and not SOUNDS("trying", "truths")


def test_either_relation_relates() -> None:
    related = either(lambda a, b: a == "x", lambda a, b: b == "y")
    assert related("x", "z") and related("z", "y") and not related("z", "z")


def _score(said: str, piece: str) -> list[tuple[str | None, str]]:
    words = tuple(SpokenWord(w, 0.3 * k, 0.3 * k + 0.28) for k, w in enumerate(said.split()))
    result = score_recitation(
        piece, Transcript(words, "offline", "t"), ScoringOptions(), related=MEANING_OR_SOUND
    )
    return [(w.expected, w.status.value) for w in result.words]


def test_a_slip_spelled_apart_but_sounding_alike_is_a_repair_with_no_pause() -> None:
    scored = _score(
        "we hold these troops truths to be self evident", "We hold these truths to be self evident"
    )
    assert ("truths", "self_corrected") in scored
    assert all(status != "inserted" for _, status in scored)


def test_an_unrelated_word_before_a_word_stays_inserted() -> None:
    scored = _score("we walked in the river garden today", "We walked in the garden today")
    assert (None, "inserted") in scored and ("garden", "correct") in scored
