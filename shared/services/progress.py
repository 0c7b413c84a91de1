"""A learner's progress on one piece: accuracy over attempts, weakest sections, what next.

Everything is computed from each attempt's newest score, so a re-score
changes the chart, the weak spots and the FSRS schedule alike.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from shared.db.repositories.port import UnitOfWorkPort
from shared.domain.clock import as_utc
from shared.domain.review import SectionReview, recited_another_text, review_sections
from shared.domain.schedule import Due, Review, schedule
from shared.services.users import UserView

WEAK_WINDOW = 5  # weakest sections are judged on the latest attempts only
WEAKEST = 3
NEXT = 3


@dataclass(frozen=True)
class AttemptPoint:
    attempt_id: uuid.UUID
    at: datetime
    accuracy: float
    overall: float
    wpm: float


@dataclass(frozen=True)
class SectionStanding:
    index: int
    text: str
    mean_accuracy: float
    due: datetime | None = None
    last_rating: int | None = None
    pauses: int = 0  # long pauses in the attempts judged
    prompted: int = 0  # of which long enough to need a prompt
    added: int = 0  # words said that the section does not have
    judged: int = 0  # attempts the mean is over: the latest, up to WEAK_WINDOW
    repeat: tuple[int, int] | None = None  # a refrain: the nth time of how many the piece says it


@dataclass(frozen=True)
class Progress:
    points: list[AttemptPoint] = field(default_factory=list)
    weakest: list[SectionStanding] = field(default_factory=list)
    next_up: list[SectionStanding] = field(default_factory=list)
    reviewed: int = 0  # attempts of the piece's own text: the only ones that judge its sections


def piece_progress(uow: UnitOfWorkPort, learner: UserView, piece_id: uuid.UUID) -> Progress:
    scored = uow.results.newest_scores(learner.id, piece_id)
    points = [
        AttemptPoint(s.attempt_id, as_utc(s.attempt_created_at), s.accuracy, s.overall, s.wpm) for s in scored
    ]
    # An attempt of another text is on the chart (it happened) but reviews no section.
    recited = [s for s in scored if not recited_another_text(s.result["words"])]
    reviewed = [(as_utc(s.attempt_created_at), review_sections(s.result)) for s in recited]
    refrains = _refrains(reviewed[-1][1]) if reviewed else {}
    weakest = [replace(s, repeat=refrains.get(s.index)) for s in _weakest(reviewed)]
    next_up = [replace(s, repeat=refrains.get(s.index)) for s in _next_up(reviewed)]
    return Progress(points, weakest, next_up, len(reviewed))


def _refrains(sections: list[SectionReview]) -> dict[int, tuple[int, int]]:
    """Sections whose words the piece says more than once (a chorus, a creed's refrain),
    each with which time of how many it is: the list said "Glory, glory, hallelujah!"
    twice with no telling which (QA). Case and punctuation aside, as a learner reads."""
    same: dict[str, list[int]] = {}
    for section in sections:
        same.setdefault(" ".join(_WORDS.findall(section.text.casefold())), []).append(section.index)
    return {
        index: (n, len(group))
        for group in same.values()
        if len(group) > 1
        for n, index in enumerate(group, 1)
    }


_WORDS = re.compile(r"[^\W_]+")


def _weakest(reviewed: list[tuple[datetime, list[SectionReview]]]) -> list[SectionStanding]:
    """Sections with lost words, a word that needed a prompt or words added in the latest
    attempts: a section said word for word after a long silence is not yet known, and
    one said with words of the learner's own is not word-perfect (QA: the page said
    "Every section word-perfect lately" under a coaching note naming the words added)."""
    latest: dict[int, list[SectionReview]] = {}
    for _, sections in reviewed[-WEAK_WINDOW:]:
        for s in sections:
            latest.setdefault(s.index, []).append(s)
    standings = [_standing(reviews) for reviews in latest.values()]
    weak = (s for s in standings if s.mean_accuracy < 100.0 or s.prompted or s.added)
    return sorted(weak, key=lambda s: (s.mean_accuracy, -s.prompted, -s.added, -s.pauses))[:WEAKEST]


def _standing(reviews: list[SectionReview]) -> SectionStanding:
    mean = sum(r.accuracy for r in reviews) / len(reviews)
    pauses, prompted = sum(r.hesitations for r in reviews), sum(r.prompted for r in reviews)
    added, last = sum(r.added for r in reviews), reviews[-1]
    return SectionStanding(
        last.index, last.text, mean, pauses=pauses, prompted=prompted, added=added, judged=len(reviews)
    )


def _next_up(reviewed: list[tuple[datetime, list[SectionReview]]]) -> list[SectionStanding]:
    reviews = [Review(s.index, at, s.rating) for at, sections in reviewed for s in sections]
    texts = {s.index: (s.text, s.accuracy) for _, sections in reviewed for s in sections}
    plan: list[Due] = schedule(reviews)
    return [
        SectionStanding(d.section, texts[d.section][0], texts[d.section][1], d.due, d.last_rating)
        for d in plan[:NEXT]
    ]


def chart_series(progress: Progress) -> dict[str, Any]:
    """The accuracy chart's data: attempt numbers, their times and percentages (0-100)."""
    return {
        "attempt": list(range(1, len(progress.points) + 1)),
        "t": [p.at.timestamp() for p in progress.points],
        "accuracy": [p.accuracy for p in progress.points],
        "overall": [p.overall for p in progress.points],
    }
