"""Tokens, written or spoken, and their comparable forms.

Every token gets *forms*: the word sequences a correct reading may produce,
primary first. "1863" -> ("eighteen", "sixty", "three") or ("one",
"thousand", ...); "well-known" -> ("well", "known") or ("wellknown",); "'Tis"
-> ("tis",) or ("it", "is"). The piece's words (``shared.domain.text``) and an
engine's spoken words go through the same function, so digits an engine
writes compare equal to the reference.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from shared.domain.lexicon import ABBREVIATIONS, CONTRACTIONS, EDGE_PUNCTUATION, ELISIONS, canonical_spelling
from shared.domain.numbers import FRACTIONS, Forms, expand_fraction, expand_number
from shared.domain.roman import roman_forms, roman_value, roman_year

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        # Footnote marks pasted with a text ("the day\u00b9 is done"): nobody says them.
        **dict.fromkeys("\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079\u2020\u2021"),
    }
)
_APOSTROPHES = "'\u2019"
_FRACTIONS = frozenset(FRACTIONS)

# Letters that Unicode does not decompose into a base letter and an accent, so
# stripping accents alone would drop them ("Æsop" read as "sop"). Ten letters
# written in English texts; a transliteration library would map whole scripts
# that the engines do not recognise anyway.
_LETTERS = str.maketrans(
    {"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ẞ": "SS", "ø": "o", "Ø": "O",
     "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i"}
)  # fmt: skip

_DISPLAY_EDGE = EDGE_PUNCTUATION.replace("'", "") + "\u201c\u201d\u2018\u2019\u2014\u2013"
_SIMPLE_EDGE = ",.;:!?\"'()"
_JOINERS = re.compile(r"[-/:]")  # ":" between numbers that are not a time: "Psalm 23:1"
_NON_WORD = re.compile(r"[^a-z0-9&]")
_DIGIT_RUNS = re.compile(r"\d+|[a-z]+")
_MAX_FORMS = 16  # cap on combined readings of one token (hyphenated numbers)


class Token(NamedTuple):
    """A written or spoken token, normalised once."""

    forms: Forms  # () when the token has no words (punctuation)
    key: str
    display: str


def normalise_words(raw_words: Iterable[str]) -> list[Token]:
    """Each spoken word normalised (same rules as the reference)."""
    raws = list(raw_words)
    return list(map(token_table(raws).__getitem__, raws))


# Every token normalised so far in this process (normalising is a pure
# function of the raw text): a worker scores the same pieces' words again and
# again, and normalising a 60 s transcript's words was a fifth of scoring it.
# Bounded, so a process fed endless new words does not grow without end.
_NORMALISED: dict[str, Token] = {}
_NORMALISED_MAX = 200_000


def token_table(raw_words: Iterable[str]) -> dict[str, Token]:
    """Each distinct token normalised once: a long text repeats few distinct words."""
    table: dict[str, Token] = {}
    known = _NORMALISED
    for raw in set(raw_words):
        token = known.get(raw)
        if token is None:
            token = _token(raw)
            if len(known) < _NORMALISED_MAX:
                known[raw] = token
        table[raw] = token
    return table


def compact(form: Sequence[str]) -> str:
    """A reading as one string without spaces: "well known" == "wellknown"."""
    return "".join(form)


def display_form(chunk: str) -> str:
    """The token as written, minus surrounding punctuation (keeps 'Tis)."""
    stripped = chunk.strip(_DISPLAY_EDGE)
    if stripped.endswith("'") and not stripped.startswith("'"):
        stripped = stripped[:-1]  # plural possessive: fathers'
    if stripped.startswith("'") and stripped.endswith("'") and len(stripped) > 2:
        stripped = stripped[1:-1]  # 'quoted'
    return stripped or chunk


def normalise_token(raw: str) -> Forms:
    """All readings of one written or spoken token; () when it has no words."""
    core = raw.strip(_SIMPLE_EDGE)
    if len(raw) <= 4 and not raw.isalpha():
        elided = elided_forms(raw)
        if elided is not None:
            return elided
    if core.isalpha() and core.isascii():  # most tokens: a plain word, maybe punctuated
        return _alpha_forms(core)
    if _FRACTIONS.intersection(raw):
        return expand_fraction(raw.strip(EDGE_PUNCTUATION)) or ()
    token = _clean(raw)
    if not token:
        return ()
    numeric = expand_number(token)
    if numeric is not None:
        return numeric
    parts = [p for p in _JOINERS.split(token) if p]
    if len(parts) > 1:
        return _joined_forms(parts)
    return _word_forms(token)


def elided_forms(raw: str) -> Forms | None:
    """Verse's "i'" (in) and "o'" (of), and "'n'" (and); the quoted 'I' is the pronoun."""
    word = raw.rstrip(",;:.!?")
    if len(word) == 2 and word[1] in _APOSTROPHES and word[0] in "iIoO":
        return ELISIONS[word[0].lower()]
    bare = word.strip(_APOSTROPHES + "\u2018")
    return ELISIONS["n"] if bare in ("n", "N") and bare != word else None


def _token(raw: str) -> Token:
    core = raw.strip(_SIMPLE_EDGE)
    if core == raw and core.isalpha() and core.isascii():  # fast path: a plain word
        forms = _alpha_forms(core)
        first = forms[0]
        return Token(forms, first[0] if len(first) == 1 else compact(first), core)
    forms = normalise_token(raw)
    return Token(forms, compact(forms[0]) if forms else "", display_form(raw.strip()))


def plain_letters(text: str) -> str:
    """``text`` without accents, and with the letters that have none spelled out ("Æ": "AE")."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _clean(raw: str) -> str:
    """Lower case, plain quotes and dashes, no accents, no edge punctuation."""
    text = plain_letters(raw.translate(_QUOTES)).lower()
    text = text.strip(EDGE_PUNCTUATION.replace(".", ""))
    # A trailing full stop ends a sentence or an abbreviation; keep "a.m."-style
    # inner dots and decimals ("3.5") but not "etc." or "Mr.".
    return text.rstrip(".").strip(EDGE_PUNCTUATION)


def _word_forms(token: str) -> Forms:
    """Forms of a token without joiners: abbreviations, contractions, spelling."""
    word = _NON_WORD.sub("", token.replace("'", "").replace(".", ""))
    if not word:
        return ()
    if word in ABBREVIATIONS:
        return ABBREVIATIONS[word]
    if not word.isalpha() and not word == "&":
        return _mixed_forms(word)
    return _letters_forms(word)


def _alpha_forms(core: str) -> Forms:
    """Forms of a word of ASCII letters as written: a numeral in capitals is a number."""
    if core.isupper() and len(core) > 1:
        value = roman_value(core)
        if value is not None:
            return roman_forms(core, value)
        year = roman_year(core)
        if year is not None:  # read as its digits are, and still as its letters
            return (*(expand_number(str(year)) or ()), (core.lower(),))
    return _letters_forms(core.lower())


def _letters_forms(word: str) -> Forms:
    """Forms of a lower-case word of letters only."""
    if word in ABBREVIATIONS:
        return ABBREVIATIONS[word]
    word = canonical_spelling(word)
    full = CONTRACTIONS.get(word)
    return ((word,),) if full is None else ((word,), *full)


def _mixed_forms(word: str) -> Forms:
    """Letters and digits run together ("10am", "4x4"): read each run."""
    parts: list[str] = []
    for run in _DIGIT_RUNS.findall(word):
        expanded = expand_number(run) if run[0].isdigit() else None
        parts.extend(expanded[0] if expanded else (run,))
    return (tuple(parts),) if parts else ()


def _joined_forms(parts: Sequence[str]) -> Forms:
    """Hyphenated or slashed compounds: each part's readings, plus run together."""
    options = [normalise_token(p) or ((p,),) for p in parts]
    combined: list[tuple[str, ...]] = []
    for choice in itertools.islice(itertools.product(*options), _MAX_FORMS):
        combined.append(tuple(itertools.chain.from_iterable(choice)))
    if all(len(o) == 1 and len(o[0]) == 1 for o in options):
        combined.append((compact(combined[0]),))
    return tuple(dict.fromkeys(combined))
