"""A run resumed while one of its batches scores, on real Postgres: every attempt counted."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from shared.container import Container
from shared.db.repositories.runs_port import RunFilter
from shared.domain.clock import utcnow
from shared.domain.scoring import SCORING_VERSION
from shared.services.rescore_runs import plan_run, require_run, resume_run, run_batch, start_run
from tests.shared.services.test_rescore_runs import older_version_said
from tests.support.attempts import OLD_VERSION, TEXT, new_piece, scored_long_ago
from tests.support.recitations import synthesise
from tests.support.runs import copy_attempts, score_rows

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def source(pg: Container, tmp_path_factory: pytest.TempPathFactory) -> uuid.UUID:
    reading = synthesise(TEXT, tmp_path_factory.mktemp("resume") / "reading.wav")
    return scored_long_ago(pg, new_piece(pg), reading)


def test_a_batch_resumed_under_writes_nothing_so_the_resumed_plan_counts_every_attempt(
    pg: Container, source: uuid.UUID
) -> None:
    """QA: with several workers, a batch that had passed its state check when its run was
    paused and resumed wrote its rows uncounted; committed before the resumed plan reached
    its attempts, they were in no batch the run counted, and the run finished at done 5 of 8."""
    made = copy_attempts(pg, source, 8, START, old_result=older_version_said)
    with pg.uow() as uow:
        run = start_run(uow, RunFilter(learner_id=made.learner_id), "tests")
    queued: list[tuple[int, list[uuid.UUID]]] = []
    plan_run(pg.uow, run.id, 3, lambda _run, no, ids: queued.append((no, ids)))

    def pause_and_resume() -> float:  # another worker's cap, then an admin, while batch 0 scores
        with pg.uow() as uow:
            if uow.runs.change_state(run.id, "paused", ("running",), utcnow()):
                uow.commit()
                resume_run(uow, run.id, None)
        return 0.0

    with pg.uow() as uow:  # batch 0 finishes before the resumed plan looks
        stale = run_batch(uow, run.id, *queued[0], pg.settings.scoring_options(), give_way=pause_and_resume)
    assert stale is None
    assert score_rows(pg, made.ids) == {OLD_VERSION: 8}

    def score(_run: uuid.UUID, batch_no: int, ids: list[uuid.UUID]) -> None:
        with pg.uow() as uow:
            run_batch(uow, run.id, batch_no, ids, pg.settings.scoring_options())

    assert plan_run(pg.uow, run.id, 3, score) == 8
    with pg.uow() as uow:
        finished = require_run(uow, run.id)
    assert (finished.state, finished.done, finished.skipped, finished.total) == ("finished", 8, 0, 8)
    assert score_rows(pg, made.ids) == {OLD_VERSION: 8, SCORING_VERSION: 8}
