"""When each section of a piece should be practised next: FSRS over its reviews.

The schedule is never stored: it is replayed from every attempt's newest
ratings, so re-scoring an attempt (new ratings) changes the schedule too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler

# Fuzzing spreads due dates at random; a learner reloading the page should see
# the same plan, and tests need it deterministic.
_SCHEDULER = Scheduler(enable_fuzzing=False)


@dataclass(frozen=True)
class Review:
    section: int
    at: datetime  # timezone-aware
    rating: int  # 1 again .. 4 easy


@dataclass(frozen=True)
class Due:
    section: int
    due: datetime
    reviews: int
    last_rating: int


def schedule(reviews: Sequence[Review]) -> list[Due]:
    """Each reviewed section's next due time, earliest first."""
    by_section: dict[int, list[Review]] = {}
    for review in sorted(reviews, key=lambda r: r.at):
        by_section.setdefault(review.section, []).append(review)
    plan = [_replay(section, history) for section, history in by_section.items()]
    return sorted(plan, key=lambda d: (d.due, d.section))


def _replay(section: int, history: list[Review]) -> Due:
    card = Card(card_id=section + 1)
    for review in history:
        # fsrs wants UTC itself, not merely an aware time (Postgres gives a +00:00 offset).
        card, _ = _SCHEDULER.review_card(card, Rating(review.rating), review.at.astimezone(UTC))
    return Due(section, card.due, len(history), history[-1].rating)
