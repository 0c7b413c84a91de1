"""Many past attempts for re-scoring runs, fast: one attempt processed by the real
pipeline, then copied (attempt, analysis, old score row) as bench/rescore.py does.
Copies share the source's transcript, as a class reciting one recording would."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from shared.container import Container
from shared.db import models
from tests.support.attempts import OLD_VERSION, learner

Edit = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Copies:
    learner_id: uuid.UUID
    ids: list[uuid.UUID]  # oldest first


def copy_attempts(
    deps: Container,
    source_id: uuid.UUID,
    n: int,
    start: datetime,
    *,
    broken: int = 0,
    old_result: Edit | None = None,
) -> Copies:
    """``n`` done copies of the source for a learner of their own, one a minute from
    ``start``, each scored at ``OLD_VERSION``; the last ``broken`` have an analysis
    that scoring refuses (they fail). ``old_result`` edits the old row's result."""
    owner = learner(deps, f"runs-{uuid.uuid4().hex[:10]}").id
    with deps.uow() as uow:
        attempt = _row(uow.session.get_one(models.Attempt, source_id))
        analysis = uow.session.get_one(models.Analysis, source_id).data
        score = _row(uow.session.scalars(select(models.Score).filter_by(attempt_id=source_id)).first())
        ids = [uuid.uuid4() for _ in range(n)]
        made = [start + timedelta(minutes=k) for k in range(n)]
        rows = [{**attempt, "id": i, "learner_id": owner, "idempotency_key": None, "created_at": t}
                for i, t in zip(ids, made, strict=True)]  # fmt: skip
        uow.session.execute(insert(models.Attempt), rows)
        analyses = [{"attempt_id": i, "data": {"broken": True} if k >= n - broken else analysis}
                    for k, i in enumerate(ids)]  # fmt: skip
        uow.session.execute(insert(models.Analysis), analyses)
        result = {**score["result"], "scoring_version": OLD_VERSION}
        result = old_result(copy.deepcopy(result)) if old_result else result
        accuracy = result["scores"]["accuracy"]
        old = [{**score, "id": uuid.uuid4(), "attempt_id": i, "scoring_version": OLD_VERSION,
                "result": result, "accuracy": accuracy, "created_at": start - timedelta(days=30)}
               for i in ids]  # fmt: skip
        uow.session.execute(insert(models.Score), old)
        uow.commit()
    return Copies(owner, ids)


def score_rows(deps: Container, ids: list[uuid.UUID]) -> dict[str, int]:
    """Score rows of these attempts by version."""
    with deps.uow() as uow:
        query = (
            select(models.Score.scoring_version, func.count())
            .where(models.Score.attempt_id.in_(ids))
            .group_by(models.Score.scoring_version)
        )
        return {version: count for version, count in uow.session.execute(query).tuples()}


def _row(instance: Any) -> dict[str, Any]:
    return {column.key: getattr(instance, column.key) for column in instance.__table__.columns}
