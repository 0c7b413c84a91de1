"""Attempts on SQLAlchemy: state transitions as single conditional statements.

queued ──claim──> processing (lease, worker, delivery+1) ──> done | failed
processing with an expired lease can be claimed again (the worker died).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import models
from shared.db.repositories.attempt_statements import COUNT_OPEN, INSERT_WITHIN_CAP, NO_CAP
from shared.db.repositories.records import AttemptRecord, Conflict, JobRecord, KeyedAttempt, NewAttempt
from shared.domain.clock import utcnow

A = models.Attempt


class SqlAttempts:
    def __init__(self, session: Session) -> None:
        self._session = session

    def claim(self, attempt_id: uuid.UUID, worker_id: str, lease_seconds: float, now: datetime) -> int | None:
        claimable = or_(A.status == "queued", and_(A.status == "processing", A.lease_expires_at < now))
        return self._session.scalar(
            update(A)
            .where(A.id == attempt_id, claimable)
            .values(
                status="processing",
                delivery_count=A.delivery_count + 1,
                worker_id=worker_id,
                lease_expires_at=now + timedelta(seconds=lease_seconds),
                started_at=func.coalesce(A.started_at, now),
            )
            .returning(A.delivery_count)
            .execution_options(synchronize_session=False)
        )

    def renew(self, attempt_id: uuid.UUID, worker_id: str, lease_seconds: float, now: datetime) -> bool:
        mine = (A.id == attempt_id, A.worker_id == worker_id, A.status == "processing")
        return self._update(mine, lease_expires_at=now + timedelta(seconds=lease_seconds))

    def lease_expiry(self, attempt_id: uuid.UUID) -> datetime | None:
        row = self._session.execute(
            select(A.status, A.lease_expires_at).where(A.id == attempt_id)
        ).one_or_none()
        if row is None or row.status != "processing" or row.lease_expires_at is None:
            return None
        expires: datetime = row.lease_expires_at
        return expires if expires.tzinfo else expires.replace(tzinfo=UTC)  # SQLite returns naive UTC

    def job(self, attempt_id: uuid.UUID) -> JobRecord:
        row = self._session.execute(
            select(A.storage_key, A.format, A.sha256, models.Piece.text, A.transcript_id)
            .join(models.Piece, models.Piece.id == A.piece_id)
            .where(A.id == attempt_id)
        ).one()
        return JobRecord(attempt_id, *row)

    def hold(self, attempt_id: uuid.UUID) -> bool:
        return self._session.scalar(select(A.id).where(A.id == attempt_id).with_for_update()) is not None

    def record_analysis(self, attempt_id: uuid.UUID, duration: float, warnings: Sequence[str]) -> None:
        self._update(
            (A.id == attempt_id,), duration_seconds=duration, warnings=list(warnings), stage="analysed"
        )

    def link_transcript(self, attempt_id: uuid.UUID, transcript_id: uuid.UUID) -> None:
        self._update((A.id == attempt_id,), transcript_id=transcript_id, stage="transcribed")

    def release(self, attempt_id: uuid.UUID, now: datetime) -> None:
        processing = (A.id == attempt_id, A.status == "processing")
        self._update(processing, status="queued", lease_expires_at=None, worker_id=None, queued_at=now)

    def fail(self, attempt_id: uuid.UUID, code: str, message: str, now: datetime) -> bool:
        open_ = (A.id == attempt_id, A.status.in_(("queued", "processing")))
        return self._update(
            open_, status="failed", stage="failed", error_code=code, error_message=message,
            lease_expires_at=None, finished_at=now,
        )  # fmt: skip

    def mark_done(self, attempt_id: uuid.UUID, now: datetime) -> None:
        processing = (A.id == attempt_id, A.status == "processing")
        self._update(processing, status="done", stage="done", lease_expires_at=None, finished_at=now)

    def stuck(self, now: datetime, queued_before: datetime, limit: int) -> list[tuple[uuid.UUID, int]]:
        stuck = or_(and_(A.status == "queued", A.queued_at < queued_before), _lease_expired(now))
        rows = self._session.execute(
            select(A.id, A.delivery_count).where(stuck).order_by(A.queued_at).limit(limit)
        ).tuples()
        return list(rows)

    def requeue(self, attempt_ids: Collection[uuid.UUID], now: datetime) -> None:
        if attempt_ids:
            abandoned = or_(A.status == "queued", _lease_expired(now))
            self._update(
                (A.id.in_(attempt_ids), abandoned),
                status="queued",
                queued_at=now,
                lease_expires_at=None,
                worker_id=None,
            )

    def pending_rescore(
        self, version: str, piece_id: uuid.UUID | None = None, limit: int | None = None
    ) -> list[uuid.UUID]:
        has_analysis = exists().where(models.Analysis.attempt_id == A.id)
        rescorable = and_(A.status == "done", A.transcript_id.is_not(None), has_analysis)
        query = select(A.id).where(rescorable, ~scored_at(version)).order_by(A.created_at, A.id)
        if piece_id is not None:
            query = query.where(A.piece_id == piece_id)
        if limit is not None:
            query = query.limit(limit)
        return list(self._session.scalars(query))

    def piece_texts(self, piece_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
        if not piece_ids:
            return {}
        query = select(models.Piece.id, models.Piece.text).where(models.Piece.id.in_(piece_ids))
        return {piece_id: text for piece_id, text in self._session.execute(query).tuples()}

    def get(self, attempt_id: uuid.UUID) -> AttemptRecord | None:
        attempt = self._session.get(A, attempt_id)
        return attempt_record(attempt) if attempt else None

    def add(self, attempt: NewAttempt, max_open: int | None = None) -> bool:
        at_most = NO_CAP if max_open is None else max_open
        try:
            now = utcnow()
            fixed = {"status": "queued", "stage": "uploaded", "delivery_count": 0, "warnings": [],
                     "created_at": now, "queued_at": now, "at_most": at_most}  # fmt: skip
            result = self._session.connection().execute(INSERT_WITHIN_CAP, vars(attempt) | fixed)
            return result.first() is not None  # (rowcount came back -1 here on Postgres)
        except IntegrityError as exc:
            raise Conflict(str(exc.orig)) from exc

    def keyed(self, learner_id: uuid.UUID, key: str) -> KeyedAttempt | None:
        row = self._session.execute(
            select(A.id, A.piece_id, A.sha256).where(A.learner_id == learner_id, A.idempotency_key == key)
        ).tuples()
        found = row.one_or_none()
        return KeyedAttempt(*found) if found else None

    def count_open(self, learner_id: uuid.UUID, at_most: int) -> int:
        return self._session.scalar(COUNT_OPEN, {"learner_id": learner_id, "at_most": at_most}) or 0

    def count_by_status(self) -> dict[str, int]:
        query = select(A.status, func.count()).group_by(A.status)
        return {status: count for status, count in self._session.execute(query).tuples()}

    def owned(self, attempt_id: uuid.UUID, learner_id: uuid.UUID) -> AttemptRecord | None:
        attempt = self._session.scalar(select(A).where(A.id == attempt_id, A.learner_id == learner_id))
        return attempt_record(attempt) if attempt else None

    def list_owned(
        self,
        learner_id: uuid.UUID,
        limit: int,
        offset: int,
        statuses: Collection[str] = (),
        piece_id: uuid.UUID | None = None,
    ) -> tuple[list[AttemptRecord], int]:
        where = [A.learner_id == learner_id]
        where += [A.status.in_(list(statuses))] if statuses else []
        where += [A.piece_id == piece_id] if piece_id else []
        total = self._session.scalar(select(func.count()).select_from(A).where(*where)) or 0
        rows = self._session.scalars(
            select(A).where(*where).order_by(A.created_at.desc(), A.id).limit(limit).offset(offset)
        )
        return [attempt_record(a) for a in rows], total

    def recordings_of(
        self, learner_id: uuid.UUID, piece_id: uuid.UUID | None = None
    ) -> list[tuple[uuid.UUID, str]]:
        where = [A.learner_id == learner_id] + ([A.piece_id == piece_id] if piece_id else [])
        return list(self._session.execute(select(A.id, A.storage_key).where(*where)).tuples())

    def recordings_on_piece(self, piece_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
        return list(self._session.execute(select(A.id, A.storage_key).where(A.piece_id == piece_id)).tuples())

    def failed_on_pieces_of(self, owner_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
        owned = select(models.Piece.id).where(models.Piece.owner_id == owner_id)
        where = [A.piece_id.in_(owned), A.status == "failed", A.learner_id != owner_id]
        return list(self._session.execute(select(A.id, A.storage_key).where(*where)).tuples())

    def count_on_piece(
        self,
        piece_id: uuid.UUID,
        except_learner: uuid.UUID | None = None,
        *,
        except_failed: bool = False,
        only_done: bool = False,
    ) -> int:
        where = [A.piece_id == piece_id] + ([A.learner_id != except_learner] if except_learner else [])
        where += [A.status != "failed"] if except_failed else []
        where += [A.status == "done"] if only_done else []
        return self._session.scalar(select(func.count()).select_from(A).where(*where)) or 0

    def delete(self, attempt_ids: Collection[uuid.UUID]) -> None:
        if not attempt_ids:
            return
        ids = list(attempt_ids)
        # Lock first: a worker writing a stage of one of them finishes before its
        # transcript and score rows are read here, and is refused afterwards (``hold``).
        self._session.execute(select(A.id).where(A.id.in_(ids)).with_for_update())
        transcript_ids = [t for t in self._session.scalars(select(A.transcript_id).where(A.id.in_(ids))) if t]
        for child in (models.CoachingNote, models.Score, models.Analysis):  # no cascade on these keys
            self._session.execute(delete(child).where(child.attempt_id.in_(ids)))
        self._session.execute(delete(A).where(A.id.in_(ids)))
        if transcript_ids:  # a transcript is what someone said: it goes unless another attempt shares it
            T = models.Transcript
            self._session.execute(
                delete(T).where(T.id.in_(transcript_ids), ~exists().where(A.transcript_id == T.id))
            )

    def _update(self, where: Sequence[ColumnElement[bool]], **values: Any) -> bool:
        statement = update(A).where(*where).values(**values).execution_options(synchronize_session=False)
        return bool(self._session.execute(statement).rowcount)  # type: ignore[attr-defined]


def _lease_expired(now: datetime) -> ColumnElement[bool]:
    return and_(A.status == "processing", A.lease_expires_at < now)


def scored_at(version: str) -> ColumnElement[bool]:
    return exists().where(models.Score.attempt_id == A.id, models.Score.scoring_version == version)


def attempt_record(a: models.Attempt) -> AttemptRecord:
    return AttemptRecord(
        a.id, a.learner_id, a.piece_id, a.status, a.stage, a.storage_key, a.format, a.size_bytes, a.sha256,
        a.duration_seconds, a.delivery_count, list(a.warnings or []), a.error_code, a.error_message,
        a.created_at, a.started_at, a.finished_at,
    )  # fmt: skip
