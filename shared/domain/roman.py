"""Roman numerals as people read them aloud.

Scripts, scripture and history are full of them: "Act II, Scene III" is read
"act two, scene three", "Henry VIII" is "henry the eighth", "Psalm XXIII" is
"psalm twenty three". Only numerals written in capitals with at least two
letters are read as numbers, and only with I, V, X, L and C (up to 399): a
lone "I" is the pronoun, and D and M make words and abbreviations ("MIX",
"DC", "MD") more often than numbers in a recited text. The letters stay a
reading too, so nothing that matched before stops matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from num2words import num2words

from shared.domain.numbers import Forms, cardinal_words

_CANONICAL = re.compile(r"C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_EDGE = ",.;:!?\"'()[]\u201c\u201d\u2018\u2019"
_SENTENCE_END = (".", "!", "?", ";", ":")
# Counted things: the numeral after them is read as a number ("Act two"),
# after any other capitalised word as a name's ordinal ("Henry the eighth").
COUNTED = frozenset(
    "act scene chapter chap part book psalm canto volume vol section article amendment war "
    "phase level appendix stanza verse sonnet ode lesson unit title clause schedule episode "
    "vatican apollo".split()
)


def roman_value(word: str) -> int | None:
    """The value of ``word`` when it is a capitalised numeral read as a number, else None."""
    if len(word) < 2 or not _CANONICAL.fullmatch(word):
        return None
    total = 0
    for letter, following in zip(word, [*word[1:], ""], strict=True):
        value = _VALUES[letter]
        total += -value if following and _VALUES[following] > value else value
    return total


def is_numeral(chunk: str) -> bool:
    """Whether a written word, punctuation and all, is a numeral read as a number."""
    return roman_value(chunk.strip(_EDGE)) is not None


def roman_forms(word: str, value: int, *, ordinal_first: bool = False) -> Forms:
    """Readings of a numeral: cardinal, "the" ordinal and ordinal, and its letters last."""
    cardinal = cardinal_words(value)
    plain = tuple(w for w in cardinal if w != "and")
    ordinal = tuple(num2words(value, to="ordinal").replace("-", " ").replace(",", " ").split())
    ordinals = [("the", *ordinal), ordinal]
    cardinals = [plain, cardinal]
    readings = ordinals + cardinals if ordinal_first else cardinals + ordinals
    return tuple(dict.fromkeys([*readings, (word.lower(),)]))


def numeral_readings(chunks: Sequence[str]) -> Iterator[tuple[int, Forms]]:
    """Numerals whose reading their neighbour settles, with those readings.

    After a name in the same sentence a numeral is an ordinal ("Henry VIII",
    "Pope John XXIII"); after a counted thing even a lone I, V or X is a
    number ("Scene I", "Chapter V").
    """
    for i in range(1, len(chunks)):
        previous = chunks[i - 1]
        if previous.endswith(_SENTENCE_END):
            continue
        word, name = chunks[i].strip(_EDGE), previous.strip(_EDGE)
        value = roman_value(word)
        if name.lower() in COUNTED:  # "Act I"; "the war I fought" is the pronoun
            if value is None and word in ("I", "V", "X") and name[:1].isupper():
                yield i, roman_forms(word, _VALUES[word])
        elif value is not None and name[:1].isupper() and name[1:].islower():
            yield i, roman_forms(word, value, ordinal_first=True)
