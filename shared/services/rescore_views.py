"""A re-scoring run as the admin API and ``recital rescore`` show it, and the
``since``/``until`` moments both read."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.db.repositories.runs_port import RunRecord
from shared.domain.clock import rfc3339
from shared.services.errors import ErrorKind, ServiceError


def parse_moment(text: str | None, name: str) -> datetime | None:
    """An ISO 8601 date or date and time (UTC unless it says otherwise) for ``since``/``until``;
    None when not given. An empty one is refused, not read as no bound: an unset variable
    in a script must not widen a run to every attempt (QA)."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
        # In UTC now: an offset past year 1 or 9999 (9999-12-31T23:59-23:59) overflows, and a
        # run stored with it could never be shown again (QA: the run started, then 500s).
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        raise ServiceError(
            ErrorKind.INVALID,
            f"invalid_{name}",
            f"{name} is an ISO 8601 date, e.g. 2026-11-30 or 2026-11-30T12:00Z.",
        ) from None


def run_json(run: RunRecord) -> dict[str, object]:
    """A run as the admin API and ``recital rescore status --json`` give it."""
    where = run.filter
    return {
        "id": str(run.id),
        "scoring_version": run.scoring_version,
        "mode": run.mode,
        "filter": {
            "piece_id": str(where.piece_id) if where.piece_id else None,
            "learner_id": str(where.learner_id) if where.learner_id else None,
            "since": rfc3339(where.since),
            "until": rfc3339(where.until),
            "status": where.status,
        },
        "state": run.state,
        "total": run.total,
        "done": run.done,
        "failed": run.failed,
        "skipped": run.skipped,
        "started_by": run.started_by,
        "started_at": rfc3339(run.started_at),
        "finished_at": rfc3339(run.finished_at),
        "spent_audio_seconds": run.spent_audio_seconds,
        "cap_audio_seconds": run.cap_audio_seconds,
    }
