"""What operations read at scrape time: cheap counts, no commits."""

from __future__ import annotations

from shared.db.repositories.port import UnitOfWorkPort
from shared.db.repositories.runs_port import RunRecord, RunsUnitOfWork

ATTEMPT_STATUSES = ("queued", "processing", "done", "failed")


def attempt_counts(uow: UnitOfWorkPort) -> dict[str, int]:
    """Attempts per status, every status present (0 when none), so alerts see a series, not a gap."""
    counts = dict.fromkeys(ATTEMPT_STATUSES, 0)
    counts.update(uow.attempts.count_by_status())
    return counts


# A bounded number of label values: the runs an operator follows are the latest,
# and any still running or paused (a stuck run must not drop out of sight).
RUNS_SHOWN = 5
UNFINISHED_SHOWN = 20


def recent_runs(uow: RunsUnitOfWork, limit: int = RUNS_SHOWN) -> list[RunRecord]:
    """The newest re-scoring runs and every unfinished one, newest first, for per-run progress."""
    runs = {run.id: run for run in uow.runs.newest(limit, 0)[0]}
    runs.update((run.id, run) for run in uow.runs.unfinished(UNFINISHED_SHOWN))
    return sorted(runs.values(), key=lambda run: run.started_at, reverse=True)
