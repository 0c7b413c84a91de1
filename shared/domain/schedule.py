"""When each section of a piece should be practised next: FSRS over its reviews.

The schedule is never stored: it is replayed from every attempt's newest
ratings, so re-scoring an attempt (new ratings) changes the schedule too.

Recitations in one sitting (within ``SITTING`` of its first) are one review,
rated by the worst of them: only the first was recalled after a gap, and the
rest follow practice. Replayed one by one, 16 word-perfect recitations in a
minute and a quarter put the next review in October 2028 (QA), where one
gives eight days. The worst, not the first, so a slip later in the sitting
still brings the section round sooner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler

# Fuzzing spreads due dates at random; a learner reloading the page should see
# the same plan, and tests need it deterministic.
_SCHEDULER = Scheduler(enable_fuzzing=False)
SITTING = timedelta(hours=4)


@dataclass(frozen=True)
class Review:
    section: int
    at: datetime  # timezone-aware
    rating: int  # 1 again .. 4 easy


@dataclass(frozen=True)
class Due:
    section: int
    due: datetime
    reviews: int  # sittings
    last_rating: int  # of the last sitting (its worst)


def schedule(reviews: Sequence[Review]) -> list[Due]:
    """Each reviewed section's next due time, earliest first."""
    by_section: dict[int, list[Review]] = {}
    for review in sorted(reviews, key=lambda r: r.at):
        by_section.setdefault(review.section, []).append(review)
    plan = [_replay(section, history) for section, history in by_section.items()]
    return sorted(plan, key=lambda d: (d.due, d.section))


def _replay(section: int, history: list[Review]) -> Due:
    card = Card(card_id=section + 1)
    sittings = _sittings(history)
    for review in sittings:
        # fsrs wants UTC itself, not merely an aware time (Postgres gives a +00:00 offset).
        card, _ = _SCHEDULER.review_card(card, Rating(review.rating), review.at.astimezone(UTC))
    return Due(section, card.due, len(sittings), sittings[-1].rating)


def _sittings(history: list[Review]) -> list[Review]:
    """One review per sitting, in time order: at its first recitation, with its worst rating."""
    sittings: list[Review] = []
    for review in history:
        if sittings and review.at - sittings[-1].at < SITTING:
            worst = min(sittings[-1].rating, review.rating)
            sittings[-1] = Review(review.section, sittings[-1].at, worst)
        else:
            sittings.append(review)
    return sittings
