"""The lease heartbeat on Postgres: a real thread renewing a real row while the job runs."""

from __future__ import annotations

import time
import uuid

from shared.container import Container
from shared.domain.clock import utcnow
from shared.services.lease import LeaseHeartbeat


def claim(pg: Container, attempt_id: uuid.UUID, worker: str, lease: float) -> int | None:
    with pg.uow() as uow:
        delivery = uow.attempts.claim(attempt_id, worker, lease, utcnow())
        uow.commit()
        return delivery


def remaining(pg: Container, attempt_id: uuid.UUID) -> float:
    with pg.uow() as uow:
        expires = uow.attempts.lease_expiry(attempt_id)
        return 0.0 if expires is None else (expires - utcnow()).total_seconds()


def test_the_heartbeat_keeps_a_short_lease_alive(pg: Container, attempt_id: uuid.UUID) -> None:
    claim(pg, attempt_id, "w1", lease=0.4)
    with LeaseHeartbeat(pg.uow, attempt_id, "w1", lease_seconds=0.4):
        time.sleep(1.0)  # two and a half leases: only renewals keep it ours
        assert claim(pg, attempt_id, "w2", lease=60) is None
        assert 0 < remaining(pg, attempt_id) <= 0.4
    time.sleep(0.5)  # the heartbeat stopped (the worker "died"): the lease runs out
    assert remaining(pg, attempt_id) < 0
    assert claim(pg, attempt_id, "w2", lease=60) == 2
