"""Pronunciations for piece words missing from the dictionary, and variants.

Archaic and legal compounds ("thereunder", "whereunto") are split into two
dictionary words when they can be (there + under -> DH EH R AH N D ER);
otherwise a rough letter-to-phone fallback gives the word a plausible
acoustic shape (digraphs, r-coloured vowels, archaic -eth). Measured: the
LJ Speech reading of "thereunder" was heard as "there hundred" with the
letter fallback (TH ER EH AH N D ER).
"""

from __future__ import annotations

from collections.abc import Callable

from shared.domain.function_words import FUNCTION_WORDS

_MIN_PART = 3  # letters in each part of a compound


def pronounce(word: str, lookup: Callable[[str], str | None]) -> str:
    """Phones for ``word``: a compound of two dictionary words, else letter_phones."""
    if word.endswith("eth") and len(word) > 4:
        return letter_phones(word)  # archaic verb, not a compound (walk + eth)
    return compound_phones(word, lookup) or letter_phones(word)


def compound_phones(word: str, lookup: Callable[[str], str | None]) -> str | None:
    """The most balanced split of ``word`` into two dictionary words, as phones."""
    if "'" in word:
        return None
    best: tuple[int, str] | None = None
    for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
        left, right = lookup(word[:cut]), lookup(word[cut:])
        balance = min(cut, len(word) - cut)
        if left and right and (best is None or balance > best[0]):
            best = (balance, f"{left} {right}")
    return None if best is None else best[1]


# Rough letter-to-phone fallback for piece words missing from the dictionary
# (names, archaic spellings). Digraphs first; good enough to give the word a
# plausible acoustic shape.
_DIGRAPHS = {
    "th": "TH",
    "sh": "SH",
    "ch": "CH",
    "ph": "F",
    "ng": "NG",
    "ee": "IY",
    "ea": "IY",
    "oo": "UW",
    "ou": "AW",
    "ow": "OW",
    "ai": "EY",
    "ay": "EY",
    "ck": "K",
    "qu": "K W",
    "wh": "W",
    "gh": "G",
    "oa": "OW",
    "ie": "IY",
    "or": "AO R",
    "er": "ER",
    "ar": "AA R",
    "ir": "ER",
    "ur": "ER",
}
_LETTERS = {
    "a": "AE",
    "b": "B",
    "c": "K",
    "d": "D",
    "e": "EH",
    "f": "F",
    "g": "G",
    "h": "HH",
    "i": "IH",
    "j": "JH",
    "k": "K",
    "l": "L",
    "m": "M",
    "n": "N",
    "o": "AA",
    "p": "P",
    "q": "K",
    "r": "R",
    "s": "S",
    "t": "T",
    "u": "AH",
    "v": "V",
    "w": "W",
    "x": "K S",
    "y": "Y",
    "z": "Z",
}


def letter_phones(word: str) -> str:
    phones: list[str] = []
    letters = word.replace("'", "")
    archaic = letters.endswith("eth") and len(letters) > 4  # restoreth, leadeth
    letters = letters[:-3] if archaic else letters
    i = 0
    while i < len(letters):
        pair = letters[i : i + 2]
        if pair in _DIGRAPHS:
            phones.append(_DIGRAPHS[pair])
            i += 2
            continue
        if letters[i] in _LETTERS and not (letters[i] == "e" and i == len(letters) - 1 and i):
            phones.append(_LETTERS[letters[i]])
        i += 1
    if archaic:
        phones.append("IH TH")
    return " ".join(phones) or "AH"


def rounded_r_variant(word: str, phones: str | None) -> str | None:
    """A second pronunciation with AA for AO between W and R, or None.

    After W the lips are already rounded, and many speakers say "war",
    "warm" or "toward" with an unrounded vowel; the US English acoustic
    model then heard another word: the demo's "a great war" was heard "a
    great are" (a grammar offering both chose "are" over W AO R, and "war"
    as W AA R). Only after W: the same variant on every AO before R ("lord"
    as L AA R D) also let noise be heard as "authority" on the held-out
    set. Function words keep their one pronunciation."""
    if not phones or word in FUNCTION_WORDS:
        return None
    parts = phones.split()
    changed = [
        "AA" if p == "AO" and 0 < i < len(parts) - 1 and parts[i - 1] == "W" and parts[i + 1] == "R" else p
        for i, p in enumerate(parts)
    ]
    return " ".join(changed) if changed != parts else None
