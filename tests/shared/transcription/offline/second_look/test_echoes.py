"""Where a short word may be the ending of the word before it (pure text)."""

from __future__ import annotations

from shared.domain.transcript import SpokenWord
from shared.transcription.offline.second_look.echoes import echo_spots

PHONES = {
    "created": "K R IY EY T AH D",
    "equal": "IY K W AH L",
    "all": "AO L",
    "now": "N AW",
    "that": "DH AE T",
    "men": "M EH N",
    "heaven": "HH EH V AH N",
    "the": "DH AH",
    "a": "AH",
    "time": "T AY M",
}
PIECE = "that all men are created equal now we are engaged".split()


def _heard(*timed: tuple[str, float, float]) -> list[SpokenWord]:
    return [SpokenWord(text, start, end) for text, start, end in timed]


def test_a_short_word_on_the_end_of_a_word_it_sounds_like_the_ending_of_is_a_spot() -> None:
    heard = _heard(
        ("created", 9.27, 9.75), ("equal", 9.75, 10.08), ("all", 10.08, 10.35), ("now", 12.24, 12.47)
    )
    assert echo_spots(heard, PIECE, PHONES.get) == [2]


def test_a_gap_before_the_word_means_it_was_said_on_its_own() -> None:
    heard = _heard(("equal", 9.75, 10.08), ("all", 10.3, 10.5), ("now", 12.24, 12.47))
    assert echo_spots(heard, PIECE, PHONES.get) == []


def test_words_the_piece_has_in_that_order_are_not_spots() -> None:
    # "that all": AE T against AO L is not alike either, but the piece settles it.
    heard = _heard(("that", 8.57, 8.74), ("all", 8.74, 8.91), ("men", 8.91, 9.14))
    assert echo_spots(heard, PIECE, PHONES.get) == []
    assert echo_spots(heard, ["that", "men"], {**PHONES, "that": "DH AO L"}.get) == [1]


def test_a_whole_word_again_is_a_copy_not_an_echo() -> None:
    heard = _heard(("heaven", 1.0, 1.4), ("heaven", 1.4, 1.8))
    assert echo_spots(heard, PIECE, PHONES.get) == []


def test_a_word_the_dictionary_lacks_is_never_a_spot() -> None:
    heard = _heard(("equal", 9.75, 10.08), ("qual", 10.08, 10.35))
    assert echo_spots(heard, PIECE, PHONES.get) == []


def test_a_one_phone_word_is_never_a_spot() -> None:
    # Held-out: "under the [heaven] a time", "a" really said, was dropped.
    heard = _heard(("the", 1.0, 1.2), ("a", 1.2, 1.3), ("time", 1.3, 1.6))
    assert echo_spots(heard, PIECE, PHONES.get) == []
