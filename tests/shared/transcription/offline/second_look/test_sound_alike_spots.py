"""Where the engine may have heard a piece word as a sound-alike (pure text)."""

from __future__ import annotations

from shared.transcription.offline.second_look.sound_alike_spots import SoundAlike, sound_alikes

PHONES = {
    "the": "DH AH",
    "a": "AH",
    "lord": "L AO R D",
    "large": "L AA R JH",
    "is": "IH Z",
    "my": "M AY",
    "shepherd": "SH EH P ER D",
    "soul": "S OW L",
    "sell": "S EH L",
    "table": "T EY B AH L",
    "temptation": "T EH M T EY SH AH N",
    "and": "AH N D",
    "um": "AH M",
    "his": "HH IH Z",
    "off": "AO F",
}
PIECE = "the lord is my shepherd and my soul".split()


def _spots(heard: str) -> list[SoundAlike]:
    return sound_alikes(heard.split(), PIECE, PHONES.get)


def test_a_content_word_heard_as_a_sound_alike_is_a_spot() -> None:
    assert _spots("the large is my shepherd and my sell") == [SoundAlike(1, "lord"), SoundAlike(7, "soul")]


def test_fillers_do_not_shift_the_spot() -> None:
    assert _spots("the um large is my shepherd and my soul") == [SoundAlike(2, "lord")]


def test_a_word_that_does_not_sound_alike_is_left_to_the_scorer() -> None:
    piece = "lead us not into temptation".split()
    assert sound_alikes("lead us not into table".split(), piece, PHONES.get) == []


def test_function_word_swaps_are_never_spots() -> None:
    assert _spots("a lord is my shepherd and my soul") == []  # class-mates
    assert _spots("the lord is his shepherd and my soul") == []  # the wider class


def test_a_function_word_heard_for_one_of_another_class_is_a_spot() -> None:
    # No learner says "off" for "is"; the acoustic model confuses short words.
    assert _spots("the lord off my shepherd and my soul") == [SoundAlike(2, "is")]


def test_words_the_dictionary_lacks_are_skipped() -> None:
    assert _spots("the lard is my shepherd and my soul") == []  # "lard" has no phones here


def test_an_extra_word_beside_a_sound_alike_does_not_hide_it() -> None:
    assert _spots("the large sell is my shepherd and my soul") == [SoundAlike(1, "lord")]


def test_on_a_steady_noise_floor_every_substitution_is_a_spot() -> None:
    # In noise the first pass trades words that share few sounds ("ask" heard
    # "can") and function words; there the recording is asked about each.
    piece = "lead us not into temptation".split()
    found = sound_alikes("lead us not into table".split(), piece, PHONES.get, every=True)
    assert found == [SoundAlike(4, "temptation")]
    assert sound_alikes("a lord is my shepherd and my soul".split(), PIECE, PHONES.get, every=True) == [
        SoundAlike(0, "the")
    ]


def test_on_a_steady_noise_floor_words_the_dictionary_lacks_are_still_skipped() -> None:
    assert sound_alikes("the lard is my shepherd and my soul".split(), PIECE, PHONES.get, every=True) == []


def test_an_extra_word_before_a_sound_alike_does_not_hide_it() -> None:
    # "the *table* lord", heard "the table large": the alignment pairs "table"
    # with "lord" and leaves "large" extra; the piece word goes with the heard
    # word that sounds like it.
    assert _spots("the table large is my shepherd and my soul") == [SoundAlike(2, "lord")]
    assert _spots("the table and large is my shepherd and my soul") == [SoundAlike(3, "lord")]


def test_in_an_uneven_stretch_a_word_that_sounds_like_no_piece_word_is_no_spot() -> None:
    assert _spots("the table temptation is my shepherd and my soul") == []
