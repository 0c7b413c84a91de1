"""A re-transcription batch on real Postgres with the offline engine: one damaged stored
row fails its own attempt, as in a plain re-scoring run (QA: it failed the whole batch)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from shared.container import Container
from shared.db import models
from shared.db.repositories.runs_port import RunFilter
from shared.services.rescore_runs import start_run
from shared.services.retranscription import Engine, retranscribe_batch
from tests.support.attempts import TEXT, new_piece, scored_long_ago
from tests.support.recitations import synthesise


class Unlimited:
    """The shared rate limit (Redis) is not what this test is about."""

    def take(self, audio_seconds: float, wait_seconds: float) -> bool:
        return True


@pytest.fixture(scope="module")
def reading(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesise(TEXT, tmp_path_factory.mktemp("r") / "reading.wav")


def test_a_damaged_analysis_fails_its_attempt_and_the_rest_of_the_batch_is_heard(
    pg: Container, reading: Path
) -> None:
    handle = f"retranscribed-{uuid.uuid4().hex[:8]}"
    # Texts of their own: transcripts are shared per recording and text, and other tests
    # in this database damage theirs.
    good = scored_long_ago(pg, new_piece(pg, f"{TEXT} Amen, {handle}."), reading)
    damaged = scored_long_ago(pg, new_piece(pg, f"{TEXT} Selah, {handle}."), reading)
    with pg.uow() as uow:
        ids = [good, damaged]
        transcripts = select(models.Attempt.transcript_id).where(models.Attempt.id.in_(ids))
        stale = update(models.Transcript).where(models.Transcript.id.in_(transcripts))
        uow.session.execute(stale.values(recognition_version="old"))  # both to be heard again
        damage = text("UPDATE analyses SET data = decode('00ff00ff', 'hex') WHERE attempt_id = :id")
        uow.session.execute(damage, {"id": damaged})
        uow.commit()
    with pg.uow() as uow:
        run = start_run(uow, RunFilter(), f"test:{handle}", "retranscribe")
    engine = Engine(pg.transcriber(), pg.storage, Unlimited(), pg.settings.max_duration_seconds)  # type: ignore[arg-type]
    report = retranscribe_batch(pg.uow, engine, run.id, 0, [damaged, good], pg.settings.scoring_options())
    assert report is not None and report.scored == 1
    assert report.summary().split()[3].startswith("retranscribe=")  # the engine's phase leads the line
    assert report.timings["retranscribe"] > report.timings["score"]
    assert [attempt for attempt, _ in report.failed] == [damaged] and "UTF-8" in report.failed[0][1]
    with pg.uow() as uow:
        counted = uow.runs.get(run.id)
        assert counted is not None and (counted.done, counted.failed) == (1, 1)
        relinked = uow.session.get_one(models.Attempt, good).transcript_id
        assert uow.session.get_one(models.Transcript, relinked).recognition_version != "old"
