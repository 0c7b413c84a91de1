"""The rule-built coaching note names the words and the move that went wrong."""

from __future__ import annotations

from shared.domain.coaching import coaching_note
from tests.support.results import scored

GETTYSBURG = (
    "Four score and seven years ago our fathers brought forth on this continent a new nation. "
    "Conceived in Liberty and dedicated to the proposition that all men are created equal."
)


def note(spoken: str, pauses: dict[int, float] | None = None) -> str:
    result = scored(GETTYSBURG, spoken, pauses)
    return coaching_note(result["words"], result["hesitations"])


def test_another_text_recited_is_told_so_rather_than_what_was_skipped() -> None:
    text = note("Mary had a little lamb its fleece was white as snow and everywhere that Mary went")
    assert text.startswith("Most of what we heard is not in this piece's text.")
    # Only the first few words, the rest not said: that is the piece, stopped short.
    assert note("Four score and seven years ago").startswith("You skipped")


def test_a_skipped_phrase_is_quoted_with_the_move_into_it() -> None:
    text = note(
        "Four score and seven years ago our fathers brought forth on this continent a new nation "
        "dedicated to the proposition that all men are created equal"
    )
    assert text.startswith(
        "You skipped “Conceived in Liberty and”; practise the move from “nation” to “Conceived”."
    )


def test_a_swap_says_what_was_said_instead() -> None:
    text = note(
        "Four score and seven years ago our fathers brought forth on this continent a new nation "
        "conceived in liberty and dedicated to the proposition that all men are made equal"
    )
    assert "You said “made” for “created” after “are”" in text


def test_a_long_pause_names_the_word_it_came_before() -> None:
    spoken = (
        "Four score and seven years ago our fathers brought forth on this continent a new nation "
        "conceived in liberty and dedicated to the proposition that all men are created equal"
    )
    text = note(spoken, {21: 2.5})  # before the 22nd word, "to"
    assert text.startswith("You paused 2.5 s before “to”; practise the move from “dedicated” to “to”.")


def test_the_costliest_two_points_are_kept() -> None:
    text = note(
        "Four score and seven years ago our fathers brought forth on a new nation "
        "conceived in liberty and dedicated to the proposition that all men are made equal",
        {3: 1.5},
    )
    assert text.count("You ") == 2
    assert text.startswith("You skipped “this continent”")  # two words lost outweigh one


def test_a_perfect_recitation_is_told_what_to_try_next() -> None:
    perfect = GETTYSBURG.replace(".", "").replace(",", "")
    # Not "fluent": the note does not know the pace (QA: said of a reading at 71 wpm), nor
    # whether the text was hidden (QA: a learner who recited it hidden was told to hide it).
    said = note(perfect)
    assert said == "Word-perfect, with no long pause. If the text was on screen, next time try it hidden."


def test_added_words_are_named_rather_than_called_word_perfect() -> None:
    text = note(
        "Four score and seven long years ago our fathers brought forth on this continent a new nation "
        "conceived in liberty and dedicated to the very fine proposition that all men are created equal"
    )
    assert "Word-perfect" not in text
    assert "You added “very fine” before “proposition”" in text and "You added “long” before “years”" in text


def test_a_swap_outweighs_an_added_word() -> None:
    text = note(
        "Four score and seven long years ago our fathers brought forth on this continent a new nation "
        "conceived in liberty and dedicated to the proposition that all men are made equal",
        {3: 1.2},
    )
    assert text.startswith("You said “made” for “created”") and "You paused" in text and "added" not in text


def test_the_same_slip_in_a_refrain_is_said_once_with_how_often() -> None:
    refrain = "The Lord is my shepherd. He maketh me to lie down. "
    said = "The Lord is my shepherd. He me to lie down. "
    result = scored(refrain * 3, said * 2 + refrain)
    text = coaching_note(result["words"], result["hesitations"])
    assert text == "You skipped “maketh” twice; practise the move from “He” to “maketh”."
    result = scored(refrain * 3, said * 3)
    assert coaching_note(result["words"], result["hesitations"]).startswith("You skipped “maketh” 3 times;")


def test_a_swap_in_a_refrain_says_where_not_twice_beside_twice() -> None:
    refrain = "The Lord is my shepherd. He maketh me to lie down. "
    said = "The Lord is my keeper. He maketh me to lie down. "
    result = scored(refrain * 2, said * 2)
    text = coaching_note(result["words"], result["hesitations"])
    assert text == "You said “keeper” for “shepherd” after “my” in 2 places; say that line aloud twice.", text


def test_a_pause_in_a_refrain_is_one_point_whatever_its_lengths() -> None:
    refrain = "The Lord is my shepherd. "
    result = scored(refrain * 3, refrain * 3, {3: 1.2, 8: 1.4, 13: 1.2})
    text = coaching_note(result["words"], result["hesitations"])
    assert text == "You paused before “my” 3 times; practise the move from “is” to “my”.", text
