"""The sweeper on the in-memory unit of work: milliseconds, no database.

The repositories it uses keep the contract tests/shared/db/test_repository_contract.py
checks on Postgres too.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from shared.domain.clock import utcnow
from shared.services.sweeper import sweep
from tests.support.fake_uow import FakeDatabase


class Sent(list[uuid.UUID]):
    def __call__(self, attempt_id: uuid.UUID) -> None:
        self.append(attempt_id)


def test_sweeper_resends_stuck_and_fails_exhausted() -> None:
    db, sent = FakeDatabase(), Sent()
    attempt_id = db.add_attempt(queued_at=utcnow() - timedelta(hours=1))
    sweep(db.uow(), sent, stuck_after=60, max_deliveries=3)
    assert sent == [attempt_id]
    sweep(db.uow(), sent, stuck_after=60, max_deliveries=3)  # queued clock restarted: left alone
    assert sent == [attempt_id]
    db.set(
        attempt_id, status="processing", delivery_count=3, lease_expires_at=utcnow() - timedelta(seconds=1)
    )
    report = sweep(db.uow(), sent, stuck_after=60, max_deliveries=3)
    assert (report.failed, db.attempt(attempt_id)["status"]) == (1, "failed")
    assert db.attempt(attempt_id)["error_code"] == "too_many_deliveries"


def test_sweeper_requeues_a_dead_workers_attempt_once() -> None:
    db, sent = FakeDatabase(), Sent()
    attempt_id = db.add_attempt(status="processing", delivery_count=1, worker_id="dead",
                                lease_expires_at=utcnow() - timedelta(seconds=1))  # fmt: skip
    with db.uow() as uow:
        sweep(uow, sent, stuck_after=60, max_deliveries=3)
        sweep(uow, sent, stuck_after=60, max_deliveries=3)
    assert sent == [attempt_id]
    assert (db.attempt(attempt_id)["status"], db.attempt(attempt_id)["worker_id"]) == ("queued", None)


def test_a_sweep_commits_before_it_sends() -> None:
    """A message must never reach a worker before the row it names says ``queued``."""
    db = FakeDatabase()
    attempt_id = db.add_attempt(queued_at=utcnow() - timedelta(hours=1), status="queued")
    seen: list[str] = []
    sweep(db.uow(), lambda i: seen.append(db.attempt(i)["status"]) or None, stuck_after=60, max_deliveries=3)
    assert seen == ["queued"] and db.commits == 1 and not db.open
    assert db.attempt(attempt_id)["queued_at"] > utcnow() - timedelta(seconds=5)


def test_a_resend_the_broker_refuses_is_reported_and_tried_again_by_the_next_sweep() -> None:
    """QA: with the broker down `recital sweep` said "resent 1" and restarted the attempt's
    clock, so the next sweeps left it alone for minutes."""
    db, sent = FakeDatabase(), Sent()
    attempt_id = db.add_attempt(queued_at=utcnow() - timedelta(hours=1))

    def broker_down(_id: uuid.UUID) -> None:
        raise ConnectionError("Error 111 connecting to the broker")

    report = sweep(db.uow(), broker_down, stuck_after=60, max_deliveries=3)
    assert (report.resent, report.not_sent, db.attempt(attempt_id)["status"]) == (0, 1, "queued")
    report = sweep(db.uow(), sent, stuck_after=60, max_deliveries=3)  # the broker is back
    assert (report.resent, report.not_sent, sent) == (1, 0, [attempt_id])
