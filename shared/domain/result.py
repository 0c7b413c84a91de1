"""The result contract: what a scored attempt says (docs/scoring.md).

These types are what ``recital score --json`` prints and what the API
returns for a done attempt; the pipeline stores ``ScoredAttempt.to_dict()``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any, NamedTuple


class WordStatus(StrEnum):
    CORRECT = "correct"
    SUBSTITUTED = "substituted"
    OMITTED = "omitted"
    INSERTED = "inserted"
    REPEATED = "repeated"
    SELF_CORRECTED = "self_corrected"


class WordResult(NamedTuple):
    """A named tuple rather than a dataclass like the other results: it is as
    immutable, and a long piece builds 10,000 of these, which a tuple does in
    a fraction of a dataclass's time."""

    expected: str | None  # reference word as written; None for extra words
    spoken: str | None  # what was heard; None when omitted
    status: WordStatus
    start: float | None = None
    end: float | None = None
    # Position in the reference words; None for extras. The contract's name
    # shadows tuple.index, which nothing here calls.
    index: int | None = None  # type: ignore[assignment]
    prompted: bool = False  # a long hesitation came right before this word


@dataclass(frozen=True, slots=True)
class Hesitation:
    start: float
    end: float
    duration: float
    before_word: int | None  # index into the reference words


@dataclass(frozen=True, slots=True)
class SectionScore:
    index: int
    text: str
    first_word: int
    last_word: int
    accuracy: float


@dataclass(frozen=True, slots=True)
class Scores:
    accuracy: float
    completeness: float
    fluency: float
    overall: float
    wpm: float
    wcpm: float


@dataclass(frozen=True, slots=True)
class ScoredAttempt:
    scores: Scores
    words: tuple[WordResult, ...]
    hesitations: tuple[Hesitation, ...]
    sections: tuple[SectionScore, ...]
    transcript: str
    engine: str
    model: str
    scoring_version: str
    fillers: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(replace(self, words=()))  # the words go faster by hand
        data["words"] = word_dicts(self.words)
        return data


def word_dicts(words: tuple[WordResult, ...]) -> list[dict[str, Any]]:
    """The words as the contract's dicts, in ``WordResult``'s field order.

    Spelled out as a dict display (twice as fast as ``dict(zip())``, and
    compiled here with the rest of the domain): every stored result builds
    one per word. A field added to ``WordResult`` must be added here too.
    ``_value_`` is the member's plain attribute: ``.value`` is a Python-level
    property, and reading it was a third of the loop.
    """
    return [
        {"expected": e, "spoken": s, "status": st._value_, "start": a, "end": b, "index": i, "prompted": p}
        for e, s, st, a, b, i, p in words
    ]


# word_dicts spells the keys out: a field added to WordResult without them stops the import here.
_WORD_KEYS = ("expected", "spoken", "status", "start", "end", "index", "prompted")
if WordResult._fields != _WORD_KEYS:  # pragma: no cover - a guard for the next field
    raise ImportError(f"word_dicts writes {_WORD_KEYS}, WordResult has {WordResult._fields}")
