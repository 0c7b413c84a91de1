"""What the metrics read from the database, on the in-memory fakes and on Postgres."""

from __future__ import annotations

from collections import Counter

from shared.services.operations import attempt_counts
from tests.shared.db.test_submission_repository_contract import add, new, new_piece
from tests.support.worlds import World


def test_attempts_are_counted_by_status(world: World) -> None:
    with world.uow() as uow:
        before = Counter(attempt_counts(uow))
    learner = world.add_user()
    piece = new_piece(world, learner)
    attempts = [new(learner, piece) for _ in range(6)]
    for attempt in attempts:
        add(world, attempt)
    for attempt, status in zip(attempts, ["processing", "done", "done", "failed"], strict=False):
        world.set(attempt.id, status=status)
    with world.uow() as uow:
        after = attempt_counts(uow)
    assert set(after) == {"queued", "processing", "done", "failed"}  # every status, even at 0
    assert Counter(after) - before == Counter(queued=2, processing=1, done=2, failed=1)
