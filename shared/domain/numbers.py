"""Written numbers, years, ordinals, times and amounts as the words people say.

A written number can be read aloud in several ways ("1863" is "eighteen sixty
three" or "one thousand eight hundred and sixty three"), so expansion returns
every accepted reading, the most likely one first. Words come from num2words;
hyphens, commas and the optional "and" are normalised away so that both the
reference and an engine that writes digits end up with the same words.
"""

from __future__ import annotations

import re

from num2words import num2words

Forms = tuple[tuple[str, ...], ...]

_INTEGER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)$")
_ORDINAL = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(st|nd|rd|th)$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(am|pm|a\.m\.?|p\.m\.?)?$")
_MONEY = re.compile(r"^([$£€])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?$")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
_DECADE = re.compile(r"^'?(\d{2}|\d{4})s$")
_DECIMAL = re.compile(r"^\d*\.\d+$")
_CURRENCY = {"$": ("dollar", "dollars"), "£": ("pound", "pounds"), "€": ("euro", "euros")}
_SUBUNIT = {"$": "cents", "£": "pence", "€": "cents"}
_MAX_DIGITS = 15  # num2words handles more, but nobody recites such numbers


def _words(text: str) -> tuple[str, ...]:
    """num2words output as plain words: no hyphens or commas."""
    return tuple(text.replace("-", " ").replace(",", " ").split())


# num2words is thorough but slow (tens of microseconds a call); a text full
# of years would spend most of its scoring time there. Numbers below a
# million are composed from this table (built by num2words, so the words are
# the same; a unit test checks the two agree).
_UNDER_100 = tuple(_words(num2words(n)) for n in range(100))


def expand_number(token: str) -> Forms | None:
    """All accepted readings of a numeric token, or None if it is not numeric.

    ``token`` is lower-case with surrounding punctuation already stripped.
    """
    if not token or not (token[0].isdigit() or token[0] in "$£€.'"):
        return None
    for pattern, expand in _EXPANDERS:
        found = pattern.match(token)
        if found:
            return _unique(expand(found))
    return None


# Vulgar fractions as written in recipes, measures and old texts; each as said.
FRACTIONS = {
    "\u00bd": (("a", "half"), ("half",), ("one", "half")),
    "\u00bc": (("a", "quarter"), ("quarter",), ("one", "quarter")),
    "\u00be": (("three", "quarters"),),
    "\u2153": (("a", "third"), ("one", "third")),
    "\u2154": (("two", "thirds"),),
}
_WITH_FRACTION = re.compile(r"(\d{0,6})(.)")


def expand_fraction(token: str) -> Forms | None:
    """ "½" -> "a half"; "2½" -> "two and a half"; None if ``token`` is no such number."""
    found = _WITH_FRACTION.fullmatch(token)
    if found is None or found.group(2) not in FRACTIONS:
        return None
    parts = FRACTIONS[found.group(2)]
    if not found.group(1):
        return parts
    whole = without_and(cardinal_words(int(found.group(1))))
    return tuple((*whole, "and", *part) for part in parts)


def cardinal_words(n: int) -> tuple[str, ...]:
    """British-style cardinal ("one hundred and one"), as num2words writes it."""
    if n < 100:
        return _UNDER_100[n]
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        tail = ("and", *_UNDER_100[rest]) if rest else ()
        return (*_UNDER_100[hundreds], "hundred", *tail)
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        head = (*cardinal_words(thousands), "thousand")
        if not rest:
            return head
        return (*head, "and", *_UNDER_100[rest]) if rest < 100 else (*head, *cardinal_words(rest))
    return _words(num2words(n))


def year_words(n: int) -> tuple[str, ...]:
    """A four-digit year read in pairs, as num2words(n, to="year") writes it."""
    high, low = divmod(n, 100)
    if low == 0:
        return cardinal_words(n) if high % 10 == 0 else (*_UNDER_100[high], "hundred")
    if low < 10:
        return cardinal_words(n) if high % 10 == 0 else (*_UNDER_100[high], "oh", *_UNDER_100[low])
    return (*_UNDER_100[high], *_UNDER_100[low])


def without_and(words: tuple[str, ...]) -> tuple[str, ...]:
    """A reading without its "and"s: "one hundred and one" -> "one hundred one"."""
    return tuple(w for w in words if w != "and")


def ordinal_words(n: int) -> tuple[str, ...]:
    """ "twenty first", as num2words writes it, without hyphens or commas."""
    return _words(num2words(n, to="ordinal"))


def _cardinal(n: int) -> list[tuple[str, ...]]:
    """ "one hundred and one", "one hundred one", "a hundred and one"."""
    full = cardinal_words(n)
    forms = [without_and(full), full]
    if full[:1] == ("one",) and full[1:2] in (("hundred",), ("thousand",)):
        forms.append(("a", *full[1:]))
    return forms


def _year(n: int) -> list[tuple[str, ...]]:
    """Ways of reading a four-digit year: 1863, 1905, 1900, 2024."""
    forms = [year_words(n)]
    high, low = divmod(n, 100)
    if 11 <= high <= 19 and low:
        hundred = (*_UNDER_100[high], "hundred")
        forms.append((*hundred, "and", *_UNDER_100[low]))
        forms.append((*hundred, *_UNDER_100[low]))
    if "oh" in forms[0]:
        forms.append(tuple("zero" if w == "oh" else w for w in forms[0]))
    return forms


def _integer(found: re.Match[str]) -> list[tuple[str, ...]]:
    digits = found.group(0).replace(",", "")
    if len(digits) > _MAX_DIGITS:
        return [tuple(digits)]
    n = int(digits)
    if "," not in found.group(0) and len(digits) == 4 and 1000 <= n <= 2999:
        return _year(n) + _cardinal(n)
    return _cardinal(n)


def _ordinal(found: re.Match[str]) -> list[tuple[str, ...]]:
    n = int(found.group(1).replace(",", ""))
    full = ordinal_words(n)
    return [without_and(full), full]


def _time(found: re.Match[str]) -> list[tuple[str, ...]]:
    hour, minute = int(found.group(1)), int(found.group(2))
    suffix = tuple(found.group(3).replace(".", "")) if found.group(3) else ()
    h = cardinal_words(hour)
    if minute == 0:
        bodies = [(*h, "oclock"), h, (*h, "hundred")]
    elif minute < 10:
        m = _UNDER_100[minute]
        bodies = [(*h, "oh", *m), (*h, *m), (*h, "zero", *m)]
    else:
        bodies = [(*h, *_UNDER_100[minute])]
    named = {15: ("quarter", "past", *h), 30: ("half", "past", *h)}
    if minute in named:
        bodies.append(named[minute])
    if minute == 45:
        bodies.append(("quarter", "to", *cardinal_words(hour % 12 + 1)))
    return [(*body, *suffix) for body in bodies]


def _money(found: re.Match[str]) -> list[tuple[str, ...]]:
    symbol, whole = found.group(1), int(found.group(2).replace(",", ""))
    unit = _CURRENCY[symbol][0 if whole == 1 else 1]
    amount = [(*words, unit) for words in _cardinal(whole)]
    if not found.group(3) or int(found.group(3)) == 0:
        return amount
    cents = _UNDER_100[int(found.group(3))]
    spoken = [(*a, "and", *cents, _SUBUNIT[symbol]) for a in amount[:1]]
    spoken += [(*a, *cents, _SUBUNIT[symbol]) for a in amount[:1]]
    spoken += [(*a, *cents) for a in amount[:1]]
    spoken.append((*without_and(cardinal_words(whole)), *cents))
    return spoken


def _percent(found: re.Match[str]) -> list[tuple[str, ...]]:
    text = found.group(1)
    number = _words(num2words(float(text))) if "." in text else cardinal_words(int(text))
    return [(*without_and(number), "percent"), (*without_and(number), "per", "cent")]


def _decade(found: re.Match[str]) -> list[tuple[str, ...]]:
    """1960s -> nineteen sixties; '60s -> sixties; 1900s -> nineteen hundreds."""
    n = int(found.group(1))
    words = list(year_words(n) if n >= 100 else _UNDER_100[n])
    last = words[-1]
    words[-1] = last[:-1] + "ies" if last.endswith("y") else last + "s"
    return [tuple(words)]


def _decimal(found: re.Match[str]) -> list[tuple[str, ...]]:
    text = found.group(0)
    whole, _, fraction = text.partition(".")
    digits = tuple(_UNDER_100[int(d)][0] for d in fraction)
    head = without_and(cardinal_words(int(whole))) if whole else ()
    forms = [(*head, "point", *digits)]
    if not whole:
        forms.append(("zero", "point", *digits))
    return forms


def _unique(forms: list[tuple[str, ...]]) -> Forms:
    """Keep order, drop duplicates and empty readings."""
    return tuple(dict.fromkeys(f for f in forms if f))


_EXPANDERS = (
    (_TIME, _time),
    (_ORDINAL, _ordinal),
    (_MONEY, _money),
    (_PERCENT, _percent),
    (_DECADE, _decade),
    (_INTEGER, _integer),
    (_DECIMAL, _decimal),
)
