"""Roman numerals: read as numbers where a reader would, left as words elsewhere."""

from __future__ import annotations

import pytest

from shared.domain.roman import roman_value, roman_year
from shared.domain.text import parse_reference
from shared.transcription.offline.piece_model import piece_tokens
from tests.support.results import scored_result


@pytest.mark.parametrize(
    ("word", "value"),
    [("II", 2), ("IV", 4), ("VIII", 8), ("IX", 9), ("XIV", 14), ("XXIII", 23), ("XL", 40),
     ("XC", 90), ("CXIX", 119), ("CCCXCIX", 399)],
)  # fmt: skip
def test_numerals_in_capitals_have_their_value(word: str, value: int) -> None:
    assert roman_value(word) == value


@pytest.mark.parametrize(
    "word", ["I", "V", "X", "ii", "Ii", "IIII", "VX", "IC", "MIX", "DC", "MD", "CIVIC", "LIVE"]
)
def test_a_lone_letter_a_word_or_a_malformed_numeral_is_no_number(word: str) -> None:
    assert roman_value(word) is None


@pytest.mark.parametrize(
    ("word", "year"),
    [("MDCCLXXVI", 1776), ("MCMXLV", 1945), ("MDCLX", 1660), ("MMXXVI", 2026), ("MCMXCIX", 1999)],
)
def test_a_year_in_capitals_has_its_value(word: str, year: int) -> None:
    assert roman_year(word) == year


@pytest.mark.parametrize(
    "word", ["MIX", "MID", "MCL", "MILD", "MIMIC", "DCCC", "MMMM", "Mdcclxxvi", "MDCCCCX"]
)
def test_a_word_short_numeral_or_malformed_year_is_no_year(word: str) -> None:
    assert roman_year(word) is None


def test_a_year_carved_in_numerals_is_read_as_the_year() -> None:
    """Before: "MDCCLXXVI" was a word the learner could only say letter by letter."""
    piece = "Erected MDCCLXXVI by the people of Boston."
    result = scored_result(piece, "erected seventeen seventy six by the people of boston")
    assert [(w.expected, w.status.value) for w in result.words if w.status.value != "correct"] == []
    assert piece_tokens(piece)[:4] == ["erected", "seventeen", "seventy", "six"]


def keys(text: str) -> list[str]:
    return [word.key for word in parse_reference(text).words]


def test_a_numeral_after_a_name_is_read_as_its_ordinal() -> None:
    assert keys("Henry VIII and Pope John XXIII") == [
        "henry",
        "theeighth",
        "and",
        "pope",
        "john",
        "thetwentythird",
    ]


def test_a_lone_numeral_after_a_title_and_a_name_is_regnal() -> None:
    assert keys("Queen Elizabeth I and King James I") == [
        "queen",
        "elizabeth",
        "thefirst",
        "and",
        "king",
        "james",
        "thefirst",
    ]
    assert keys("When Mary I went") == ["when", "mary", "i", "went"]


def test_a_numeral_after_a_counted_thing_is_a_number_even_a_lone_letter() -> None:
    assert keys("Act II, Scene I. World War II. Psalm XXIII") == [
        "act", "two", "scene", "one", "world", "war", "two", "psalm", "twentythree",
    ]  # fmt: skip


def test_the_pronoun_stays_a_pronoun() -> None:
    assert keys("And I said, in the war I fought. No I will not") == [
        "and", "i", "said", "in", "the", "war", "i", "fought", "no", "i", "will", "not",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("piece", "said"),
    [
        ("Henry VIII was king", "henry the eighth was king"),
        ("Henry VIII was king", "henry eight was king"),
        ("Act II, Scene I. Enter Hamlet.", "act two scene one enter hamlet"),
        ("Richard III", "richard the third"),
        ("World War II ended", "world war two ended"),
        ("Chapter XIV", "chapter fourteen"),
        ("Henry VIII was king", "henry viii was king"),  # an engine that writes the numeral
    ],
)
def test_a_numeral_read_aloud_is_right(piece: str, said: str) -> None:
    """Before: "Henry VIII" said "henry the eighth" was an inserted "the" and a substitution."""
    result = scored_result(piece, said)
    assert [(w.expected, w.spoken, w.status.value) for w in result.words if w.status.value != "correct"] == []


def test_a_wrong_number_is_still_wrong() -> None:
    result = scored_result("Henry VIII was king", "henry the seventh was king")
    marked = {w.expected: w.status.value for w in result.words if w.expected is not None}
    assert marked == {"Henry": "correct", "VIII": "substituted", "was": "correct", "king": "correct"}
