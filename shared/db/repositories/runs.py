"""Re-scoring runs on SQLAlchemy: counters moved by single UPDATEs, pages by keyset."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from shared.db import models
from shared.db.repositories.attempts import scored_at
from shared.db.repositories.run_filters import matching, written_by
from shared.db.repositories.runs_port import (
    FINAL_STATES,
    BatchCount,
    Cursor,
    NewRun,
    RunFilter,
    RunRecord,
    ScorePair,
)

A = models.Attempt
R = models.RescoreRun
S = models.Score


class SqlRuns:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, run: NewRun) -> RunRecord:
        row = R(
            id=uuid.uuid4(), scoring_version=run.scoring_version, mode=run.mode, state="running",
            started_by=run.started_by, started_at=run.started_at, done=0, failed=0, skipped=0,
            spent_audio_seconds=0.0, cap_audio_seconds=run.cap_audio_seconds, batch_size=run.batch_size,
            attempt_limit=run.limit, **vars(run.filter),
        )  # fmt: skip
        self._session.add(row)
        self._session.flush()
        return _record(row)

    def get(self, run_id: uuid.UUID) -> RunRecord | None:
        row = self._session.execute(select(R).where(R.id == run_id)).scalar_one_or_none()
        if row is not None:
            self._session.refresh(row)  # a poller's session must see the workers' counts
        return _record(row) if row else None

    def latest(self) -> RunRecord | None:
        row = self._session.scalars(select(R).order_by(R.started_at.desc(), R.id).limit(1)).first()
        return self.get(row.id) if row else None

    def newest(self, limit: int, offset: int) -> tuple[list[RunRecord], int]:
        total = self._session.scalar(select(func.count()).select_from(R)) or 0
        newest_first = select(R).order_by(R.started_at.desc(), R.id)
        rows = self._session.scalars(newest_first.limit(limit).offset(offset))
        return [_record(r) for r in rows], total

    def cached_report(self, run_id: uuid.UUID) -> dict[str, Any] | None:
        return self._session.scalar(select(R.report).where(R.id == run_id))

    def cache_report(self, run: RunRecord, report: dict[str, Any]) -> None:
        # Only over the counts the report was read at: a batch counted since then wins.
        same = and_(R.done == run.done, R.failed == run.failed, R.skipped == run.skipped)
        self._execute(update(R).where(R.id == run.id, R.state.in_(FINAL_STATES), same).values(report=report))

    def unfinished(self, limit: int) -> list[RunRecord]:
        unfinished = select(R).where(R.state.in_(("running", "paused"))).order_by(R.started_at.desc(), R.id)
        return [_record(r) for r in self._session.scalars(unfinished.limit(limit))]

    def change_state(self, run_id: uuid.UUID, to: str, from_states: Collection[str], now: datetime) -> bool:
        values: dict[str, Any] = {"state": to}
        if to in FINAL_STATES:
            values["finished_at"] = now
        statement = update(R).where(R.id == run_id, R.state.in_(from_states)).values(**values)
        return bool(self._execute(statement).rowcount)

    def set_total(self, run_id: uuid.UUID, total: int, now: datetime) -> None:
        reached = and_(R.state == "running", R.done + R.failed + R.skipped >= total)
        self._execute(
            update(R).where(R.id == run_id).values(
                total=total,
                state=case((reached, "finished"), else_=R.state),
                finished_at=case((reached, now), else_=R.finished_at),
            )
        )  # fmt: skip

    def count_batch(self, count: BatchCount, now: datetime) -> bool:
        # The run's row is held first: a resume (which retires the batches sent before it)
        # cannot come between the check and the count.
        held = select(R.first_live_batch).where(R.id == count.run_id).with_for_update(key_share=True)
        first_live = self._session.scalar(held)
        if first_live is not None and count.batch_no < first_live:
            return False  # in flight across a resume: the resumed plan counts its attempts
        failures = [[str(attempt_id), reason] for attempt_id, reason in count.failures]
        marker = self._insert(models.RescoreRunBatch).values(
            run_id=count.run_id, batch_no=count.batch_no, done=count.done, failed=count.failed,
            skipped=count.skipped, failures=failures, counted_at=now,
        )  # fmt: skip
        marker = marker.on_conflict_do_nothing().returning(models.RescoreRunBatch.run_id)
        inserted = self._session.scalar(marker)
        if inserted is None:
            return False  # a redelivered batch: counted when it first committed
        counted = R.done + R.failed + R.skipped + count.done + count.failed + count.skipped
        reached = and_(R.state == "running", R.total.is_not(None), counted >= R.total)
        self._execute(
            update(R).where(R.id == count.run_id).values(
                done=R.done + count.done,
                failed=R.failed + count.failed,
                skipped=R.skipped + count.skipped,
                report=None,  # a batch counted after a cancel changes what the run did
                state=case((reached, "finished"), else_=R.state),
                finished_at=case((reached, now), else_=R.finished_at),
            )
        )  # fmt: skip
        return True

    def failures(self, run_id: uuid.UUID, limit: int) -> list[tuple[uuid.UUID, str]]:
        query = (
            select(models.RescoreRunBatch.failures)
            .where(models.RescoreRunBatch.run_id == run_id, models.RescoreRunBatch.failed > 0)
            .order_by(models.RescoreRunBatch.batch_no)
        )
        found: list[tuple[uuid.UUID, str]] = []
        batches: list[list[Any]] = list(self._session.scalars(query))
        for batch in batches:
            found += [(uuid.UUID(str(item[0])), str(item[1])) for item in batch]
            if len(found) >= limit:
                break
        return found[:limit]

    def pending_page(self, where: RunFilter, version: str, after: Cursor | None, limit: int) -> list[Cursor]:
        has_analysis = exists().where(models.Analysis.attempt_id == A.id)
        query = (
            select(A.created_at, A.id)
            .where(*matching(where, after), A.transcript_id.is_not(None), has_analysis, ~scored_at(version))
            .order_by(A.created_at, A.id)
            .limit(limit)
        )
        return [(created, attempt_id) for created, attempt_id in self._session.execute(query).tuples()]

    def scored_page(
        self, run: RunRecord, after: Cursor | None, limit: int
    ) -> tuple[list[ScorePair], Cursor | None]:
        version = run.scoring_version
        query = (
            select(A.id, A.created_at, S.result, S.created_at)
            .join(S, and_(S.attempt_id == A.id, S.scoring_version == version, written_by(run)))
            .where(*matching(run.filter, after))
            .order_by(A.created_at, A.id)
            .limit(limit)
        )
        rows = list(self._session.execute(query).tuples())
        older = self._older_results({row[0]: row[3] for row in rows}, version)
        pairs = [ScorePair(a, created, older[a], new) for a, created, new, _ in rows if a in older]
        return pairs, ((rows[-1][1], rows[-1][0]) if rows else None)

    def find_user(self, id_or_handle: str) -> uuid.UUID | None:
        U = models.User
        # As SqlUsers.by_handle: one name whatever the case (the unique index on lower(handle), 0012).
        by_handle = func.lower(U.handle) == id_or_handle.lower()
        try:
            by_id = U.id == uuid.UUID(id_or_handle)
        except ValueError:
            return self._session.scalar(select(U.id).where(by_handle))
        return self._session.scalar(select(U.id).where(or_(by_id, by_handle)))

    def reserve_audio(self, run_id: uuid.UUID, seconds: float) -> bool:
        within = or_(R.cap_audio_seconds.is_(None), R.spent_audio_seconds + seconds <= R.cap_audio_seconds)
        statement = update(R).where(R.id == run_id, R.state == "running", within)
        return bool(
            self._execute(statement.values(spent_audio_seconds=R.spent_audio_seconds + seconds)).rowcount
        )

    def resume(self, run_id: uuid.UUID, cap_audio_seconds: float | None) -> bool:
        first_live = self._next_batch_no(run_id)
        statement = update(R).where(R.id == run_id, R.state == "paused")
        values = {"state": "running", "cap_audio_seconds": cap_audio_seconds, "first_live_batch": first_live,
                  "batches_sent": first_live, "total": None, "failed": 0, "report": None}  # fmt: skip
        if not self._execute(statement.values(**values)).rowcount:
            return False
        B = models.RescoreRunBatch  # its failures are tried again, and counted then
        self._execute(update(B).where(B.run_id == run_id).values(failed=0, failures=[]))
        return True

    def _next_batch_no(self, run_id: uuid.UUID) -> int:
        """The number the run's next batch takes: past every batch sent or counted."""
        B = models.RescoreRunBatch
        highest = self._session.scalar(select(func.max(B.batch_no)).where(B.run_id == run_id))
        sent = self._session.scalar(select(R.batches_sent).where(R.id == run_id)) or 0
        return max(sent, 0 if highest is None else highest + 1)  # runs from before 0018 sent none

    def take_batch_no(self, run_id: uuid.UUID) -> int:
        taken = update(R).where(R.id == run_id).values(batches_sent=R.batches_sent + 1)
        sent: int = self._session.scalars(taken.returning(R.batches_sent)).one()
        return sent - 1

    def relink_transcript(self, attempt_id: uuid.UUID, transcript_id: uuid.UUID) -> None:
        self._execute(update(A).where(A.id == attempt_id).values(transcript_id=transcript_id))

    def _older_results(
        self, scored: dict[uuid.UUID, datetime], version: str
    ) -> dict[uuid.UUID, dict[str, Any]]:
        """Each attempt's newest row from before its row at ``version``."""
        if not scored:
            return {}
        query = (
            select(S.attempt_id, S.result, S.created_at)
            .where(S.attempt_id.in_(scored), S.scoring_version != version)
            .order_by(S.created_at)
        )
        older: dict[uuid.UUID, dict[str, Any]] = {}
        for attempt_id, result, created in self._session.execute(query).tuples():
            if created <= scored[attempt_id]:
                older[attempt_id] = result  # later rows replace earlier ones
        return older

    def _execute(self, statement: Any) -> Any:
        return self._session.execute(statement.execution_options(synchronize_session=False))

    def _insert(self, table: type[models.Base]) -> Any:
        dialect = self._session.get_bind().dialect.name
        return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def _record(row: models.RescoreRun) -> RunRecord:
    where = RunFilter(row.piece_id, row.learner_id, row.since, row.until, row.status)
    return RunRecord(
        row.id, row.scoring_version, row.mode, where, row.state, row.total, row.done, row.failed,
        row.skipped, row.started_by, row.started_at, row.finished_at, row.spent_audio_seconds,
        row.cap_audio_seconds, row.batch_size, row.attempt_limit, row.marks_scores, row.first_live_batch,
    )  # fmt: skip
