"""Words whose reading their neighbours settle: numerals, the days of dates, "No.".

"VIII" alone is "eight", after "Henry" "the eighth" (``roman``); "25" alone
is "twenty five", next to "December" "twenty fifth". A text's distinct words
are looked at once (``candidates``), so a long text with none of these pays
nothing for them, and only the positions of candidates are looked at in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from shared.domain.numbers import Forms, cardinal_words, ordinal_words
from shared.domain.roman import CLAUSE_END, WORD_EDGE, numeral_candidates, numeral_readings

MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
_DAY = re.compile(r"(\d{1,2})[,.;:]?")
_NUMBER_SIGNS = frozenset({"No.", "no.", "Nos.", "nos."})


@dataclass(frozen=True, slots=True)
class Candidates:
    numerals: frozenset[str]
    days: frozenset[str]  # "4", "25,": a day of the month when a month name is next to it
    number_signs: frozenset[str] = frozenset()  # "No." is "number" before a number


def candidates(raws: Iterable[str]) -> Candidates:
    """The distinct written words whose reading a neighbour may settle."""
    distinct = set(raws)
    days: frozenset[str] = frozenset()
    if any(raw.strip(WORD_EDGE).lower() in MONTHS for raw in distinct):
        days = frozenset(raw for raw in distinct if _day(raw) is not None)
    return Candidates(numeral_candidates(distinct), days, _NUMBER_SIGNS & distinct)


def settled_readings(chunks: Sequence[str], found: Candidates) -> Iterator[tuple[int, Forms]]:
    """Positions in ``chunks`` whose readings their neighbours settle, and those readings."""
    yield from numeral_readings(chunks, found.numerals)
    if found.days:
        yield from _day_readings(chunks, found.days)
    if found.number_signs:
        for i in [k for k, chunk in enumerate(chunks[:-1]) if chunk in found.number_signs]:
            if chunks[i + 1][:1].isdigit():  # "No. 10 Downing Street"
                yield i, ((("numbers",),) if chunks[i].lower() == "nos." else (("number",),)) + (("no",),)


def _day(raw: str) -> int | None:
    matched = _DAY.fullmatch(raw)
    value = int(matched.group(1)) if matched else 0
    return value if 1 <= value <= 31 else None


def _day_readings(chunks: Sequence[str], days: frozenset[str]) -> Iterator[tuple[int, Forms]]:
    """ "December 25" and "25 December" are read with an ordinal: "twenty fifth"."""
    for i in [k for k, chunk in enumerate(chunks) if chunk in days]:
        after_month = i > 0 and _is_month(chunks[i - 1]) and not chunks[i - 1].endswith(CLAUSE_END)
        before_month = i + 1 < len(chunks) and _is_month(chunks[i + 1]) and not chunks[i].endswith(CLAUSE_END)
        value = _day(chunks[i])
        if value is not None and (after_month or before_month):
            yield i, _day_forms(value, before_month)


def _is_month(chunk: str) -> bool:
    word = chunk.strip(WORD_EDGE)
    return word[:1].isupper() and word.lower() in MONTHS


def _day_forms(value: int, before_month: bool) -> Forms:
    """The longest reading first: the alignment pairs a one-word ordinal said alone
    through the other readings, but a primary "seventeenth" would be paired at once
    and leave a "the" and an "of" said with it over as added words."""
    ordinal = ordinal_words(value)
    spoken = [("the", *ordinal), ordinal]
    if before_month:
        spoken.insert(0, ("the", *ordinal, "of"))  # "the seventeenth of November"
    return tuple(dict.fromkeys([*spoken, cardinal_words(value)]))
