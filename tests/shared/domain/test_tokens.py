"""Token normalisation: the readings of written and spoken words."""

from __future__ import annotations

import pytest
from num2words import num2words

from shared.domain.lexicon import canonical_spelling
from shared.domain.numbers import cardinal_words, year_words
from shared.domain.text import parse_reference
from shared.domain.tokens import normalise_token, normalise_words
from tests.support.results import scored_result


def readings(token: str) -> set[str]:
    return {" ".join(form) for form in normalise_token(token)}


def key(token: str) -> str:
    return normalise_words([token])[0].key


def test_year_has_pair_and_cardinal_readings() -> None:
    found = readings("1863")
    assert "eighteen sixty three" in found
    assert "one thousand eight hundred sixty three" in found
    assert "one thousand eight hundred and sixty three" in found
    assert normalise_token("1863")[0] == ("eighteen", "sixty", "three")


def test_year_with_oh() -> None:
    assert "nineteen oh five" in readings("1905")
    assert "nineteen hundred" in readings("1900")


def _n2w(n: int, to: str = "cardinal") -> tuple[str, ...]:
    return tuple(num2words(n, to=to).replace("-", " ").replace(",", " ").split())


def test_fast_cardinal_agrees_with_num2words() -> None:
    numbers = [*range(0, 1200, 7), *range(1000, 3000, 3), 10_001, 100_000, 123_456, 999_999]
    assert [n for n in numbers if cardinal_words(n) != _n2w(n)] == []


def test_fast_year_agrees_with_num2words() -> None:
    assert [n for n in range(1000, 3000) if year_words(n) != _n2w(n, "year")] == []


@pytest.mark.parametrize(
    ("token", "reading"),
    [
        ("4th", "fourth"),
        ("21st", "twenty first"),
        ("1,000", "one thousand"),
        ("1,000", "a thousand"),
        ("3:30", "three thirty"),
        ("3:30", "half past three"),
        ("3:00", "three oclock"),
        ("7:05", "seven oh five"),
        ("$5", "five dollars"),
        ("$1", "one dollar"),
        ("5%", "five percent"),
        ("1960s", "nineteen sixties"),
        ("3.5", "three point five"),
        ("101", "one hundred and one"),
        ("101", "one hundred one"),
        ("twenty-one", "twenty one"),
    ],
)
def test_number_readings(token: str, reading: str) -> None:
    assert reading in readings(token)


def test_engine_digits_normalise_like_the_reference() -> None:
    spoken = normalise_words(["1863", "4th", "Eighteen"])
    reference = parse_reference("1863 fourth eighteen").words
    assert [t.key for t in spoken] == [w.key for w in reference]


@pytest.mark.parametrize(
    ("written", "alternative"),
    [
        ("'Tis", "it is"),
        ("'twas", "it was"),
        ("ne'er", "never"),
        ("o'er", "over"),
        ("e'er", "ever"),
        ("o'clock", "o clock"),
    ],
)
def test_old_contractions(written: str, alternative: str) -> None:
    assert alternative in readings(written)


def test_apostrophes_do_not_matter() -> None:
    assert key("'Tis") == key("tis") == key("\u2019Tis")
    assert key("o'clock") == key("oclock")
    assert key("don't") == key("dont")


def test_case_and_punctuation_are_ignored() -> None:
    assert key('"Liberty,"') == key("liberty") == key("LIBERTY!")


def test_hyphenated_word_reads_as_parts_or_one_word() -> None:
    assert readings("well-known") == {"well known", "wellknown"}
    # keys are readings run together, so compounds meet however they are written
    assert key("to-day") == key("today") == key("To-Day")


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("defence", "defense"),
        ("colour", "color"),
        ("honoured", "honored"),
        ("realise", "realize"),
        ("organisation", "organization"),
        ("centre", "center"),
        ("travelled", "traveled"),
        ("grey", "gray"),
        ("favourite", "favorite"),
    ],
)
def test_spelling_variants_share_a_key(british: str, american: str) -> None:
    assert key(british) == key(american)


@pytest.mark.parametrize("word", ["tour", "rise", "fire", "hour", "four", "metre"])
def test_spelling_rules_leave_other_words_alone(word: str) -> None:
    # "metre" is a listed -re word; the others must not be touched at all
    assert canonical_spelling(word) == ("meter" if word == "metre" else word)


def test_abbreviations_expand() -> None:
    assert key("Mr.") == key("mister")
    assert readings("St.") == {"saint", "street"}
    assert key("Dr") == key("doctor")


def test_fillers_and_punctuation_only_tokens() -> None:
    assert normalise_token("\u2014") == ()
    assert normalise_token("...") == ()
    assert key("Um,") == "um"


def test_normalising_a_word_again_gives_the_token_normalised_before() -> None:
    """Tokens are kept per process (a worker scores the same words again and
    again); the table must still give each raw word its own normalisation."""
    from shared.domain.tokens import token_table

    first = token_table(["Thou'rt", "NINETEEN", "can't", "colour"])
    again = token_table(["colour", "Thou'rt", "can't", "NINETEEN", "new-found"])
    assert all(again[raw] is first[raw] for raw in first)
    assert again["colour"].key == first["colour"].key == "color"
    assert again["new-found"].forms and again["new-found"] is not None


@pytest.mark.parametrize(
    ("written", "said"),
    [("Æsop", "aesop"), ("Cæsar", "caesar"), ("Œdipus", "oedipus"), ("manœuvre", "manoeuvre"),
     ("Straße", "strasse"), ("Øresund", "oresund"), ("Łódź", "lodz"), ("Þórr", "thorr")],
)  # fmt: skip
def test_letters_without_an_accent_to_strip_are_spelled_out(written: str, said: str) -> None:
    """Before: NFKD left them whole and they were dropped, "Æsop" read as "sop"."""
    assert key(written) == key(said)


@pytest.mark.parametrize(
    ("written", "reading"),
    [
        ("23:1", "twenty three one"),
        ("3:16", "three sixteen"),
        ("119:105", "one hundred nineteen one hundred five"),
    ],
)
def test_a_chapter_and_verse_reads_as_two_numbers(written: str, reading: str) -> None:
    """Before: "Psalm 23:1" was "two hundred thirty one"; a time is still a time."""
    assert reading in readings(written)
    assert "nine thirty" in readings("9:30") and "half past nine" in readings("9:30")


@pytest.mark.parametrize(
    ("piece", "said"),
    [
        ("Th' expense of spirit", "the expense of spirit"),
        ("What's i' the wind?", "what's in the wind"),
        ("What\u2019s i\u2019 the wind?", "what's in the wind"),
        ("the top o' the morning", "the top of the morning"),
        ("The day\u00b9 is done\u00b2\u2020", "the day is done"),
        ("bread, wine, &c.", "bread wine et cetera"),
        ("a fruit, e.g. a pear, i.e. food", "a fruit for example a pear that is food"),
        ("rock \u2019n\u2019 roll, rock 'n roll", "rock and roll rock and roll"),
        (
            "\u00bd a loaf and 2\u00bd miles and \u00be",
            "half a loaf and two and a half miles and three quarters",
        ),
    ],
)
def test_verse_elisions_footnote_marks_and_latin_abbreviations_read_as_said(piece: str, said: str) -> None:
    """Before: "i'" was the pronoun, "Th'" a word of its own, "day\u00b9" was "day one"."""
    result = scored_result(piece, said)
    assert [(w.expected, w.spoken) for w in result.words if w.status.value != "correct"] == []


def test_without_its_apostrophe_i_is_the_pronoun() -> None:
    assert key("I") == key("'I'") == "i" and key("i'") == "in" and key("o'") == "of"
