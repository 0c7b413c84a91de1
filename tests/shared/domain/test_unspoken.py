"""Verse numbers pasted with scripture are not words to recite; other numbers are."""

from __future__ import annotations

import pytest

from shared.domain.text import parse_reference
from shared.domain.unspoken import without_unspoken, without_verse_numbers
from shared.transcription.offline.piece_model import piece_tokens
from tests.support.results import scored_result

PSALM = (
    "1 The Lord is my shepherd; I shall not want. 2 He maketh me to lie down in green pastures: "
    "he leadeth me beside the still waters. 3 He restoreth my soul."
)
SAID = (
    "the lord is my shepherd i shall not want he maketh me to lie down in green pastures "
    "he leadeth me beside the still waters he restoreth my soul"
)


def test_a_psalm_pasted_with_its_verse_numbers_is_scored_without_them() -> None:
    """Before: "1", "2" and "3" were three words the learner skipped."""
    result = scored_result(PSALM, SAID)
    assert [(w.expected, w.status.value) for w in result.words if w.status.value != "correct"] == []
    assert result.scores.accuracy == 100.0 and len(parse_reference(PSALM)) == len(SAID.split())


def test_verse_numbers_leave_the_sections_and_the_engines_model_too() -> None:
    sections = [section.text for section in parse_reference(PSALM).sections]
    assert (
        sections[0] == "The Lord is my shepherd; I shall not want." and sections[2] == "He restoreth my soul."
    )
    assert "one" not in piece_tokens(PSALM) and "three" not in piece_tokens(PSALM)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("14 Ye are the light.\n15 Neither do men light a candle,\n16 Let your light so shine",
         "Ye are the light.\nNeither do men light a candle,\nLet your light so shine"),
        ("\u201cYes,\u201d 1 He said. 2 \u201cNo.\u201d 3 (Then) it was.",
         "\u201cYes,\u201d He said. \u201cNo.\u201d (Then) it was."),
    ],
)  # fmt: skip
def test_runs_of_three_or_more_counting_up_are_verse_numbers(text: str, kept: str) -> None:
    assert without_verse_numbers(text) == kept


LIST = "1. Love is patient,\n2. love is kind.\n3) It does not envy."


def test_a_numbered_list_is_scored_without_its_numbers() -> None:
    """Before: "1." was a sentence of its own, a word the learner skipped, and the
    weakest section of every attempt."""
    result = scored_result(LIST, "love is patient love is kind it does not envy")
    assert [(w.expected, w.status.value) for w in result.words if w.status.value != "correct"] == []
    sections = [section.text for section in parse_reference(LIST).sections]
    assert sections == ["Love is patient,", "love is kind.", "It does not envy."]
    assert "one" not in piece_tokens(LIST) and "two" not in piece_tokens(LIST)


@pytest.mark.parametrize(
    ("piece", "said"),
    [
        (LIST, "one love is patient two love is kind three it does not envy"),
        ("[Chorus]\nGlory, glory\n[Verse 2]\nHis truth", "chorus glory glory verse two his truth"),
        (PSALM, "one the lord is my shepherd i shall not want two he maketh me to lie down in green pastures "
         "he leadeth me beside the still waters three he restoreth my soul"),
    ],
)  # fmt: skip
def test_a_cue_said_anyway_is_not_an_added_word(piece: str, said: str) -> None:
    """Taken out of the text, "1." and "[Chorus]" were words the learner "added" when
    said: some learners say the numbers of a list. Now set apart, as fillers are."""
    result = scored_result(piece, said)
    assert [(w.expected, w.spoken, w.status.value) for w in result.words if w.status.value != "correct"] == []
    assert result.scores.accuracy == 100.0 and result.fillers == 0


def test_a_cue_that_is_also_a_word_of_the_piece_is_not_forgiven() -> None:
    """ "one" is a word of this list, so "one" said out of place is still added."""
    result = scored_result("1. One is enough.\n2. Two is plenty.", "one is enough one two is plenty")
    assert [(w.spoken, w.status.value) for w in result.words if w.status.value != "correct"] == [
        ("one", "inserted")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "1. Apple",  # one numbered line is no list
        "In 1. Apple\n2. Pear",  # not at a line's start
        "1. Love\n1. Kind",  # not counting up
        "1.5 litres\n2.5 litres",  # decimals
        "I saw 3 men and 4 women. 5 Of them left.",  # in a sentence, and no run
        "1 Apple\n2 Pear",  # a list of two without its marks
        "In 1776 we met. 1 The 2 The 3 The",  # not after punctuation
        "Seven days. 1 Day, 3 Days, 5 Days.",  # not counting up by one
        "The Lord is my shepherd",
    ],
)
def test_other_numbers_stay_words(text: str) -> None:
    assert without_verse_numbers(text) == text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("[Verse 1]\nIs this the real life?\n[Chorus]\nMama", "\nIs this the real life?\n\nMama"),
        ("Twinkle, little star,\n\n(Chorus)\nTwinkle", "Twinkle, little star,\n\n\nTwinkle"),
        ("To be, or not to be [Aside] that is the question", "To be, or not to be that is the question"),
        ("ROMEO: But soft! What light\nJULIET: Ay me!", "But soft! What light\nAy me!"),
        ("FIRST CITIZEN. Before we proceed\nALL. Speak, speak.", "Before we proceed\nSpeak, speak."),
    ],
)
def test_labels_in_brackets_and_speakers_names_are_not_recited(text: str, kept: str) -> None:
    """Lyrics come with "[Chorus]", scripts with their speakers' names: before, each
    was a word the learner skipped."""
    assert without_unspoken(text) == kept


@pytest.mark.parametrize(
    "text",
    [
        "AMEN.",  # a line in capitals with nothing after its stop
        "THE LORD IS MY SHEPHERD: I SHALL NOT WANT",  # more than three words before the colon
        "NASA: we did it",  # one line: more likely said than a speaker
        "He said (softly) no",  # parentheses inside a line are read
    ],
)
def test_capitals_and_parentheses_that_are_recited_stay(text: str) -> None:
    assert without_unspoken(text) == text


def test_a_script_with_speakers_and_directions_is_scored_on_the_speech() -> None:
    script = "HAMLET: To be, or not to be, that is the question. [Exit]\nOPHELIA: Good my lord."
    result = scored_result(script, "to be or not to be that is the question good my lord")
    assert [(w.expected, w.status.value) for w in result.words if w.status.value != "correct"] == []


def test_a_text_of_labels_alone_has_no_words_to_recite() -> None:
    """A piece must have words to recite: "[Chorus]" alone was accepted as a piece,
    then every attempt failed with piece_has_no_words."""
    from shared.domain.text import has_words_to_recite, word_count

    assert not has_words_to_recite("[Chorus]\n(x2)") and word_count("[Chorus]\n(x2)") == 0
    assert has_words_to_recite("[Chorus]\nGlory, glory")
