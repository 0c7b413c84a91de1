"""FSRS replayed over a section's reviews: worse recall comes round sooner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from shared.domain.review import AGAIN, EASY, GOOD, HARD
from shared.domain.schedule import Review, schedule

DAY1 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def test_a_forgotten_section_is_due_before_a_recalled_one() -> None:
    plan = schedule([Review(0, DAY1, EASY), Review(1, DAY1, AGAIN), Review(2, DAY1, HARD)])
    assert [d.section for d in plan] == [1, 2, 0]
    assert plan[0].due < DAY1 + timedelta(hours=1) < plan[-1].due


def test_repeated_good_recall_spaces_reviews_further_apart() -> None:
    once = schedule([Review(0, DAY1, GOOD)])[0].due
    reviews = [Review(0, DAY1 + timedelta(days=d), GOOD) for d in (0, 1, 4, 12)]
    later = schedule(reviews)[0]
    assert later.reviews == 4 and later.last_rating == GOOD
    assert later.due - (DAY1 + timedelta(days=12)) > once - DAY1


def test_recitations_in_one_sitting_are_one_review_at_its_worst() -> None:
    once = schedule([Review(0, DAY1, EASY)])[0]
    crammed = schedule([Review(0, DAY1 + timedelta(seconds=5 * i), EASY) for i in range(16)])[0]
    assert (crammed.due, crammed.reviews) == (once.due, 1)  # QA: 16 in 75 s put it in 2028
    slipped = schedule([Review(0, DAY1, EASY), Review(0, DAY1 + timedelta(minutes=30), AGAIN)])[0]
    assert slipped.due == schedule([Review(0, DAY1, AGAIN)])[0].due and slipped.last_rating == AGAIN
    # A sitting is counted from its first recitation: five hours later is another.
    apart = schedule([Review(0, DAY1, EASY), Review(0, DAY1 + timedelta(hours=5), EASY)])[0]
    assert apart.reviews == 2 and apart.due > once.due


def test_reviews_are_replayed_in_time_order_whatever_order_they_come_in() -> None:
    reviews = [Review(0, DAY1 + timedelta(days=d), r) for d, r in ((0, GOOD), (2, AGAIN), (5, GOOD))]
    assert schedule(reviews) == schedule(list(reversed(reviews)))


def test_the_plan_is_the_same_every_time() -> None:
    reviews = [Review(s, DAY1, HARD) for s in range(4)]
    assert schedule(reviews) == schedule(reviews)


def test_times_in_any_zone_are_taken_as_the_same_instant() -> None:
    plus_two = DAY1.astimezone(timezone(timedelta(hours=2)))
    assert schedule([Review(0, plus_two, GOOD)]) == schedule([Review(0, DAY1, GOOD)])
