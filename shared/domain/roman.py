"""Roman numerals as people read them aloud.

Scripts, scripture and history are full of them: "Act II, Scene III" is read
"act two, scene three", "Henry VIII" is "henry the eighth", "Psalm XXIII" is
"psalm twenty three". Only numerals written in capitals with at least two
letters are read as numbers, and only with I, V, X, L and C (up to 399): a
lone "I" is the pronoun, and D and M make words and abbreviations ("MIX",
"DC", "MD") more often than numbers in a recited text. The exception is a
year, as carved on monuments and printed on title pages: four letters or
more starting with M ("MDCCLXXVI", "MCMXLV") read as the year in digits is
("seventeen seventy-six"). The letters stay a reading too, so nothing that
matched before stops matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from shared.domain.numbers import Forms, cardinal_words, ordinal_words, without_and

_CANONICAL = re.compile(r"C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_YEAR = re.compile(r"M{1,2}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_NUMERAL_LETTERS = tuple(_VALUES)
_YEAR_VALUES = {**_VALUES, "D": 500, "M": 1000}
MIN_YEAR_LETTERS = 4  # "MIX", "MID" and "MCL" are words or initials
WORD_EDGE = ",.;:!?\"'()[]\u201c\u201d\u2018\u2019"
CLAUSE_END = (".", "!", "?", ";", ":")  # a neighbour across one of these is in another clause
# Counted things: the numeral after them is read as a number ("Act two"),
# after any other capitalised word as a name's ordinal ("Henry the eighth").
COUNTED = frozenset(
    "act scene chapter chap part book psalm canto volume vol section article amendment war "
    "phase level appendix stanza verse sonnet ode lesson unit title clause schedule episode "
    "vatican apollo".split()
)
# Before a name, these make a lone I, V or X after it a regnal number.
TITLES = frozenset(
    "king queen pope emperor empress tsar czar tsarina prince princess duke sultan pharaoh".split()
)
_COUNTED_OR_TITLES = COUNTED | TITLES
_LONE = ("I", "V", "X")


def roman_value(word: str) -> int | None:
    """The value of ``word`` when it is a capitalised numeral read as a number, else None."""
    if len(word) < 2 or not _CANONICAL.fullmatch(word):
        return None
    return _sum(word, _VALUES)


def roman_year(word: str) -> int | None:
    """The year ``word`` writes when it is one in capitals ("MDCCLXXVI": 1776), else None."""
    if len(word) < MIN_YEAR_LETTERS or not _YEAR.fullmatch(word):
        return None
    return _sum(word, _YEAR_VALUES)


def _sum(word: str, values: dict[str, int]) -> int:
    """A numeral's value by the standard rule: a letter before a larger one subtracts."""
    total = 0
    for letter, following in zip(word, [*word[1:], ""], strict=True):
        value = values[letter]
        total += -value if following and values[following] > value else value
    return total


def is_numeral(chunk: str) -> bool:
    """Whether a written word, punctuation and all, is a numeral read as a number or year."""
    word = chunk.strip(WORD_EDGE)
    return roman_value(word) is not None or roman_year(word) is not None


def roman_forms(word: str, value: int, *, ordinal_first: bool = False) -> Forms:
    """Readings of a numeral: cardinal, "the" ordinal and ordinal, and its letters last."""
    cardinal = cardinal_words(value)
    ordinal = ordinal_words(value)
    ordinals = [("the", *ordinal), ordinal]
    cardinals = [without_and(cardinal), cardinal]
    readings = ordinals + cardinals if ordinal_first else cardinals + ordinals
    return tuple(dict.fromkeys([*readings, (word.lower(),)]))


def numeral_candidates(raws: Iterable[str]) -> frozenset[str]:
    """Of a text's distinct written words, those ``numeral_readings`` may read as numbers.

    Asked once per distinct word, so a long text with none costs nearly
    nothing: a lone I, V or X is a candidate only in a text that also has a
    counted thing or a title.
    """
    distinct = set(raws)
    numerals = {raw for raw in distinct if raw.startswith(_NUMERAL_LETTERS)}
    if not numerals:
        return frozenset()
    counted = any(raw.strip(WORD_EDGE).lower() in _COUNTED_OR_TITLES for raw in distinct)
    return frozenset(
        raw
        for raw in numerals
        if roman_value(raw.strip(WORD_EDGE)) is not None or (counted and raw.strip(WORD_EDGE) in _LONE)
    )


def numeral_readings(chunks: Sequence[str], candidates: frozenset[str]) -> Iterator[tuple[int, Forms]]:
    """Numerals whose reading their neighbour settles, with those readings.

    After a name in the same sentence a numeral is an ordinal ("Henry VIII",
    "Pope John XXIII"), even a lone I, V or X after a title and a name
    ("Queen Elizabeth I"); after a counted thing a lone one is a number
    ("Scene I", "Chapter V"). ``candidates``: from ``numeral_candidates``.
    """
    if not candidates:
        return
    for i in [k for k, chunk in enumerate(chunks) if chunk in candidates and k > 0]:
        previous = chunks[i - 1]
        if previous.endswith(CLAUSE_END):
            continue
        word, name = chunks[i].strip(WORD_EDGE), previous.strip(WORD_EDGE)
        value = roman_value(word)
        lone = value is None and word in _LONE
        if name.lower() in COUNTED:  # "Act I"; "the war I fought" is the pronoun
            if lone and name[:1].isupper():
                yield i, roman_forms(word, _VALUES[word])
        elif name[:1].isupper() and name[1:].islower():
            if value is not None:
                yield i, roman_forms(word, value, ordinal_first=True)
            elif lone and i >= 2 and chunks[i - 2].strip(WORD_EDGE).lower() in TITLES:
                yield i, roman_forms(word, _VALUES[word], ordinal_first=True)  # "Queen Elizabeth I"
