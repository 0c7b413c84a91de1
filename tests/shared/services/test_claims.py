"""Postgres decides who works on an attempt: conditional updates, leases, one score."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from sqlalchemy import func, select, update

from shared.container import Container
from shared.db import models
from shared.domain.clock import utcnow
from shared.domain.result import ScoredAttempt, Scores
from shared.services import claims, stages
from shared.services.sweeper import sweep


def status_of(pg: Container, attempt_id: uuid.UUID) -> tuple[str, int]:
    with pg.uow() as uow:
        attempt = uow.session.get_one(models.Attempt, attempt_id)
        return attempt.status, attempt.delivery_count


def test_only_one_worker_claims_a_live_attempt(pg: Container, attempt_id: uuid.UUID) -> None:
    with pg.uow() as uow:
        assert claims.claim(uow, attempt_id, "w1", lease_seconds=60) == 1
    with pg.uow() as uow:
        assert claims.claim(uow, attempt_id, "w2", lease_seconds=60) is None
    assert status_of(pg, attempt_id) == ("processing", 1)


def test_an_expired_lease_can_be_claimed_again(pg: Container, attempt_id: uuid.UUID) -> None:
    with pg.uow() as uow:
        claims.claim(uow, attempt_id, "w1", lease_seconds=0.05)
    time.sleep(0.1)
    with pg.uow() as uow:
        assert claims.claim(uow, attempt_id, "w2", lease_seconds=60) == 2


def test_done_and_failed_attempts_are_never_claimed(pg: Container, attempt_id: uuid.UUID) -> None:
    with pg.uow() as uow:
        claims.claim(uow, attempt_id, "w1", 60)
        claims.fail(uow, attempt_id, "x", "y")
    with pg.uow() as uow:
        assert claims.claim(uow, attempt_id, "w2", 60) is None
    assert status_of(pg, attempt_id) == ("failed", 1)


def _result(version: str) -> ScoredAttempt:
    return ScoredAttempt(
        scores=Scores(90, 100, 80, 88, 120, 110),
        words=(),
        hesitations=(),
        sections=(),
        transcript="",
        engine="offline",
        model="m",
        scoring_version=version,
    )


def test_a_duplicate_delivery_cannot_write_a_second_score(pg: Container, attempt_id: uuid.UUID) -> None:
    job = stages.Job(attempt_id, 1, "k", "wav", "0" * 64, "one two three", None)
    for _ in range(2):
        with pg.uow() as uow:
            uow.session.execute(
                update(models.Attempt).where(models.Attempt.id == attempt_id).values(status="processing")
            )
            stages.write_score(uow, job, _result("v1"))
    with pg.uow() as uow:
        count = uow.session.scalar(
            select(func.count()).select_from(models.Score).where(models.Score.attempt_id == attempt_id)
        )
    assert count == 1
    assert status_of(pg, attempt_id)[0] == "done"


class Sent(list[uuid.UUID]):
    def __call__(self, attempt_id: uuid.UUID) -> None:
        self.append(attempt_id)


def test_sweeper_resends_stuck_and_fails_exhausted(pg: Container, attempt_id: uuid.UUID) -> None:
    with pg.uow() as uow:
        uow.session.execute(
            update(models.Attempt)
            .where(models.Attempt.id == attempt_id)
            .values(queued_at=utcnow() - timedelta(hours=1))
        )
        uow.commit()
    sent = Sent()
    with pg.uow() as uow:
        sweep(uow, sent, stuck_after=60, max_deliveries=3)
    assert attempt_id in sent
    with pg.uow() as uow:  # queued clock restarted: the next sweep leaves it alone
        sweep(uow, sent, stuck_after=60, max_deliveries=3)
    assert sent.count(attempt_id) == 1
    with pg.uow() as uow:
        uow.session.execute(
            update(models.Attempt)
            .where(models.Attempt.id == attempt_id)
            .values(
                status="processing",
                delivery_count=3,
                lease_expires_at=utcnow() - timedelta(seconds=1),
            )
        )
        uow.commit()
        sweep(uow, sent, stuck_after=60, max_deliveries=3)
    assert status_of(pg, attempt_id) == ("failed", 3)


def test_the_heartbeat_keeps_a_short_lease_alive(pg: Container, attempt_id: uuid.UUID) -> None:
    from shared.services.lease import LeaseHeartbeat

    with pg.uow() as uow:
        claims.claim(uow, attempt_id, "w1", lease_seconds=0.4)
    with LeaseHeartbeat(pg.uow, attempt_id, "w1", lease_seconds=0.4):
        time.sleep(1.0)  # two and a half leases: only renewals keep it ours
        with pg.uow() as uow:
            assert claims.claim(uow, attempt_id, "w2", lease_seconds=60) is None
            assert 0 < (claims.lease_remaining(uow, attempt_id) or 0) <= 0.4
    time.sleep(0.5)  # the heartbeat stopped (the worker "died"): the lease runs out
    with pg.uow() as uow:
        assert claims.lease_remaining(uow, attempt_id) == 0
        assert claims.claim(uow, attempt_id, "w2", lease_seconds=60) == 2


def test_a_renewal_never_steals_another_workers_claim(pg: Container, attempt_id: uuid.UUID) -> None:
    with pg.uow() as uow:
        claims.claim(uow, attempt_id, "w1", lease_seconds=60)
        assert not claims.renew(uow, attempt_id, "w2", lease_seconds=60)
        assert claims.renew(uow, attempt_id, "w1", lease_seconds=60)


def test_sweeper_requeues_a_dead_workers_attempt_once(pg: Container, attempt_id: uuid.UUID) -> None:
    with pg.uow() as uow:
        claims.claim(uow, attempt_id, "dead", lease_seconds=0.05)
    time.sleep(0.1)
    sent = Sent()
    with pg.uow() as uow:
        sweep(uow, sent, stuck_after=60, max_deliveries=3)
        sweep(uow, sent, stuck_after=60, max_deliveries=3)
    assert sent.count(attempt_id) == 1
    assert status_of(pg, attempt_id) == ("queued", 1)
