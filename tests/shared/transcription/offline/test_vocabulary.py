"""Which words sound like a word: pure text over a small vocabulary."""

from __future__ import annotations

from shared.transcription.offline.vocabulary import Vocabulary, near_sounds, same_word

PHONES = {
    "temperate": ("T", "EH", "M", "P", "R", "AH", "T"),
    "temperature": ("T", "EH", "M", "P", "R", "AH", "CH", "ER"),
    "temper": ("T", "EH", "M", "P", "ER"),
    "tempered": ("T", "EH", "M", "P", "ER", "D"),
    "tempt": ("T", "EH", "M", "P", "T"),
    "tell": ("T", "EH", "L"),
    "temprate": ("T", "EH", "M", "P", "R", "AH", "T"),
    "trumpet": ("T", "R", "AH", "M", "P", "AH", "T"),
}
VOCABULARY = Vocabulary(phones=PHONES, rank={w: k for k, w in enumerate(PHONES)})

TEMPERATE = VOCABULARY.phones["temperate"]


def test_sound_alikes_share_the_onset_and_most_phones_most_frequent_first() -> None:
    # Not "tell" (too few phones alike), "trumpet" (another onset), the
    # homophone "temprate", or "tempered" and "temper" together ("temper" is
    # kept, "tempered" is one of its forms but not of "temperate").
    assert near_sounds("temperate", TEMPERATE, VOCABULARY, 0.5) == [
        "temperature",
        "temper",
        "tempered",
        "tempt",
    ]
    assert near_sounds("temperate", TEMPERATE, VOCABULARY, 0.7) == ["temperature", "tempt"]


def test_forms_of_one_word_are_the_same_word() -> None:
    assert same_word("fathers", "father") and same_word("created", "create")
    assert same_word("americans", "america")
    assert not same_word("temper", "temperate") and not same_word("king", "kingdom")


def test_a_one_phone_onset_reaches_words_beginning_otherwise() -> None:
    lift = ("L", "IH", "F", "T")
    phones = {"left": ("L", "EH", "F", "T"), "lifts": ("L", "IH", "F", "T", "S"),
              "loft": ("L", "AO", "F", "T"),
              "raft": ("R", "AE", "F", "T"), "lint": ("L", "IH", "N", "T")}  # fmt: skip
    vocabulary = Vocabulary(phones=phones, rank={w: k for k, w in enumerate(phones)})
    assert near_sounds("lift", lift, vocabulary, 0.7) == ["lint"]  # the same two first phones only
    # "lifts" is a form of the word; "raft" begins with another phone.
    # Most frequent first within each two-phone onset, the onsets in the order their best word ranks.
    assert near_sounds("lift", lift, vocabulary, 0.7, onset=1) == ["left", "lint", "loft"]
