"""The lease heartbeat: while a worker works on an attempt, it keeps its claim fresh.

Leases can then be short (minutes) whatever a task's length: a worker that
dies stops renewing, and its attempt can be claimed again about one lease later.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from types import TracebackType

from shared.db.repositories.port import UnitOfWorkPort
from shared.domain.clock import utcnow

log = logging.getLogger("recital.lease")


class LeaseHeartbeat:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWorkPort],
        attempt_id: uuid.UUID,
        worker_id: str,
        lease_seconds: float,
    ) -> None:
        self._uow_factory = uow_factory
        self._attempt_id = attempt_id
        self._worker_id = worker_id
        self._lease_seconds = lease_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{attempt_id}", daemon=True)

    def __enter__(self) -> LeaseHeartbeat:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join(5)

    def _beat(self) -> None:
        while not self._stop.wait(self._lease_seconds / 4):
            try:
                with self._uow_factory() as uow:
                    mine = uow.attempts.renew(
                        self._attempt_id, self._worker_id, self._lease_seconds, utcnow()
                    )
                    uow.commit()
                    if not mine:
                        return  # finished, or taken over after we stalled: nothing left to keep
            except Exception as exc:  # the database is down: try again on the next beat
                log.warning("lease renewal for %s failed: %s", self._attempt_id, exc.__class__.__name__)
