"""Which rows a re-scoring run concerns: the attempts its filter takes, the score
rows it wrote (``runs.SqlRuns``'s pages and report read them)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, tuple_

from shared.db import models
from shared.db.repositories.runs_port import Cursor, RunFilter, RunRecord

A = models.Attempt
S = models.Score


def matching(where: RunFilter, after: Cursor | None) -> list[ColumnElement[bool]]:
    """The attempts a run's filter takes, after the keyset cursor ``after``."""
    clauses: list[ColumnElement[bool]] = [A.status == where.status]
    if where.piece_id is not None:
        clauses.append(A.piece_id == where.piece_id)
    if where.learner_id is not None:
        clauses.append(A.learner_id == where.learner_id)
    if where.since is not None:
        clauses.append(A.created_at >= where.since)
    if where.until is not None:
        clauses.append(A.created_at < where.until)
    if after is not None:
        # The row comparison keeps the (created_at, id) index usable on Postgres.
        clauses.append(tuple_(A.created_at, A.id) > tuple_(*after))
    return clauses


def written_by(run: RunRecord) -> ColumnElement[bool]:
    """The score rows the run wrote. A run from before 0016 marked none: its rows are
    those written while it ran, a concurrent run's at the same version included."""
    if run.marks_scores:
        return S.rescore_run_id == run.id
    since, until = run.started_at, run.finished_at
    return and_(S.created_at >= since, S.created_at <= until) if until else S.created_at >= since
