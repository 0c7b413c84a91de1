"""What operations read at scrape time: cheap counts, no commits."""

from __future__ import annotations

from shared.db.repositories.port import UnitOfWorkPort

ATTEMPT_STATUSES = ("queued", "processing", "done", "failed")


def attempt_counts(uow: UnitOfWorkPort) -> dict[str, int]:
    """Attempts per status, every status present (0 when none), so alerts see a series, not a gap."""
    counts = dict.fromkeys(ATTEMPT_STATUSES, 0)
    counts.update(uow.attempts.count_by_status())
    return counts
