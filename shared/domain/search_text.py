"""The library search's folding: what a piece is searched by, and what a search is read as.

Learners type "cafe" for "café", "didn't" for "didn’t", and "well known" or
"wellknown" for "well-known" (QA: none of them was found). A piece's title and
text are folded once, when it is saved, into a stored search column
(``searchable``); a search is folded the same way (``needles``). Postgres,
SQLite and the in-memory fake then compare the same strings with a plain
substring match, so no database extension (``unaccent``) is needed and the three
cannot disagree.

A hyphen is a space in one folded form and nothing in the other: "well known"
finds "well-known" in the first, "wellknown" in the second. Words are not run
together across spaces, so "a nation" does not find "explanation".
"""

from __future__ import annotations

import re

from shared.domain.tokens import plain_letters

# Curly quotes as the straight ones a keyboard types.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"'})  # fmt: skip
_DASHES = re.compile("[\u2012-\u2015\u2212]|-{2,}")  # a dash between words: a space in both forms
_HYPHENS = re.compile("[-\u2010\u2011\u00ad]")  # joins a compound, or a word broken at a line's end
_SPACES = re.compile(r"\s+")
# Between the folded forms stored for one piece: no folded search holds a line break,
# so no match runs from the title into the text, or from one form into the other.
SEPARATOR = "\n"


def fold(text: str) -> str:
    """Lower case (``casefold``: "ß" is "ss"), accents off, curly quotes straight, and
    white space, however long, one space."""
    # Accents off and "æ", "ø", "þ" spelled out as the scorer does (a learner types them so).
    return _SPACES.sub(" ", plain_letters(text.casefold()).translate(_QUOTES)).strip()


def _forms(text: str) -> list[str]:
    """The text folded with its hyphens as spaces, then (when it has any) as nothing."""
    dashed = _DASHES.sub(" ", text)
    spaced = fold(_HYPHENS.sub(" ", dashed))
    joined = fold(_HYPHENS.sub("", dashed))
    return [spaced] if joined == spaced else [spaced, joined]


def searchable(title: str, text: str) -> str:
    """What a piece is stored to be searched by: its title's and its text's forms."""
    return SEPARATOR.join(_forms(title) + _forms(text))


def needles(search: str) -> list[str]:
    """The folded forms of a search; a piece is found when its ``searchable`` holds any.
    None for a search of nothing but spaces, hyphens and dashes."""
    return [form for form in _forms(search) if form]
