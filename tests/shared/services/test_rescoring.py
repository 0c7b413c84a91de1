"""Re-scoring done attempts from their stored transcripts, on real Postgres.

Attempts are processed by the real pipeline (offline engine); their score
rows are then moved to an old scoring version, as if scoring had improved since.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select, text, update

from shared.audio.types import Analysis
from shared.container import Container
from shared.db import models
from shared.domain.scoring import SCORING_VERSION, score_recitation
from shared.domain.transcript import Transcript
from shared.services import rescoring
from shared.services.attempts import get_attempt
from shared.services.rescoring import RescoreReport, pending_attempts, rescore_attempts
from tests.support.attempts import OLD_VERSION, TEXT, learner, new_piece, processed, scored_long_ago
from tests.support.recitations import synthesise


@pytest.fixture(scope="module")
def reading(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesise(TEXT, tmp_path_factory.mktemp("r") / "reading.wav")


def pending(pg: Container, piece_id: uuid.UUID | None = None, limit: int | None = None) -> list[uuid.UUID]:
    with pg.uow() as uow:
        return pending_attempts(uow, SCORING_VERSION, piece_id=piece_id, limit=limit)


def rescore(pg: Container, ids: list[uuid.UUID]) -> RescoreReport:
    with pg.uow() as uow:
        return rescore_attempts(uow, ids, pg.settings.scoring_options())


def scores(pg: Container, attempt_id: uuid.UUID) -> dict[str, dict[str, Any]]:
    with pg.uow() as uow:
        rows = uow.session.scalars(select(models.Score).filter_by(attempt_id=attempt_id))
        return {row.scoring_version: dict(row.result) for row in rows}


def scored_directly(pg: Container, attempt_id: uuid.UUID) -> dict[str, Any]:
    """What scoring the stored transcript and analysis gives, without the service."""
    with pg.uow() as uow:
        attempt = uow.session.get_one(models.Attempt, attempt_id)
        piece = uow.session.get_one(models.Piece, attempt.piece_id)
        transcript = uow.session.get_one(models.Transcript, attempt.transcript_id)
        analysis = Analysis.from_dict(uow.session.get_one(models.Analysis, attempt_id).data)
        result = score_recitation(
            piece.text,
            Transcript.from_dict(transcript.data),
            pg.settings.scoring_options(),
            pauses=list(analysis.pauses),
            duration=analysis.duration,
        )
    return dict(json.loads(json.dumps(result.to_dict())))


def test_an_old_score_is_rescored_once_and_kept(pg: Container, reading: Path) -> None:
    piece = new_piece(pg)
    attempt_id = processed(pg, piece, reading)
    assert pending(pg, piece) == []
    with pg.uow() as uow:
        uow.session.execute(
            update(models.Score).filter_by(attempt_id=attempt_id).values(scoring_version=OLD_VERSION)
        )
        uow.commit()
    old = scores(pg, attempt_id)[OLD_VERSION]
    assert pending(pg, piece) == [attempt_id]

    report = rescore(pg, [attempt_id])
    assert (report.scored, report.skipped, report.failed) == (1, 0, [])
    assert set(report.timings) == {"load", "score", "write"}
    rows = scores(pg, attempt_id)
    assert set(rows) == {OLD_VERSION, SCORING_VERSION} and rows[OLD_VERSION] == old
    assert rows[SCORING_VERSION] == scored_directly(pg, attempt_id)
    assert pending(pg, piece) == []

    again = rescore(pg, [attempt_id, attempt_id])
    assert (again.scored, again.skipped, again.failed) == (0, 1, [])
    assert len(scores(pg, attempt_id)) == 2


def test_the_result_served_is_the_newest_and_the_attempt_is_unchanged(pg: Container, reading: Path) -> None:
    attempt_id = scored_long_ago(pg, new_piece(pg), reading)
    with pg.uow() as uow:
        before = get_attempt(uow, learner(pg), attempt_id)
    assert before["result"]["scoring_version"] == OLD_VERSION
    assert rescore(pg, [attempt_id]).scored == 1
    with pg.uow() as uow:
        after = get_attempt(uow, learner(pg), attempt_id)
    assert after["result"]["scoring_version"] == SCORING_VERSION
    assert {k: v for k, v in after.items() if k != "result"} == {
        k: v for k, v in before.items() if k != "result"
    }


def test_only_done_attempts_are_pending(pg: Container, reading: Path, attempt_id: uuid.UUID) -> None:
    queued = attempt_id  # no transcript, analysis or score: never rescored
    piece = new_piece(pg)
    failed = scored_long_ago(pg, piece, reading)  # then failed, its transcript and analysis kept
    with pg.uow() as uow:
        uow.session.execute(update(models.Attempt).filter_by(id=failed).values(status="failed"))
        uow.commit()
        queued_piece = uow.session.get_one(models.Attempt, queued).piece_id
    assert pending(pg, piece) == [] and pending(pg, queued_piece) == []
    report = rescore(pg, [queued, failed, uuid.uuid4()])
    assert (report.scored, report.skipped) == (0, 3)
    assert set(scores(pg, failed)) == {OLD_VERSION}


def test_pending_is_oldest_first_and_filtered_by_piece(pg: Container, reading: Path) -> None:
    first_piece, other_piece = new_piece(pg), new_piece(pg)
    first, second = (scored_long_ago(pg, first_piece, reading) for _ in range(2))
    other = scored_long_ago(pg, other_piece, reading)
    assert pending(pg, first_piece) == [first, second]
    assert pending(pg, first_piece, limit=1) == [first]
    assert pending(pg, other_piece) == [other]
    everything = pending(pg)
    assert [i for i in everything if i in (first, second, other)] == [first, second, other]


def test_a_batch_is_loaded_and_written_in_three_statements(
    pg: Container, reading: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pieces = [new_piece(pg), new_piece(pg)]
    ids = [scored_long_ago(pg, piece, reading) for piece in pieces + pieces]
    statements: list[str] = []
    execute = psycopg.Cursor.execute

    def record(cursor: psycopg.Cursor[Any], query: Any, *args: Any, **kwargs: Any) -> Any:
        statements.append(str(query))  # SQLAlchemy's statements and the repository's own
        return execute(cursor, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", record)
    report = rescore(pg, ids)
    assert report.scored == 4
    # attempts with their data, pieces, one insert (and the commit, which is no statement)
    assert len(statements) == 3, statements
    assert "INSERT INTO scores" in statements[-1]


def test_an_attempt_that_cannot_be_scored_fails_alone(
    pg: Container, reading: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good_piece, bad_piece = new_piece(pg), new_piece(pg)
    good, bad = scored_long_ago(pg, good_piece, reading), scored_long_ago(pg, bad_piece, reading)
    with pg.uow() as uow:
        uow.session.execute(update(models.Piece).filter_by(id=bad_piece).values(text="— … !"))
        uow.commit()
    with pg.uow() as uow, pytest.raises(ValueError):  # as the worker's soft time limit would
        rescore_attempts(uow, [good, bad], pg.settings.scoring_options(), interrupts=(ValueError,))
    assert set(scores(pg, good)) == {OLD_VERSION}  # an interrupted batch writes nothing
    report = rescore(pg, [bad, good])
    assert (report.scored, report.skipped) == (1, 0)
    assert [attempt for attempt, _ in report.failed] == [bad]
    assert "NoWordsToRecite" in report.failed[0][1] and "no words" in report.failed[0][1]
    assert str(bad) in caplog.text
    assert set(scores(pg, good)) == {OLD_VERSION, SCORING_VERSION} and set(scores(pg, bad)) == {OLD_VERSION}
    assert pending(pg, bad_piece) == [bad]
    with pg.uow() as uow:
        assert uow.session.get_one(models.Attempt, bad).status == "done"


def test_a_batch_gives_way_to_live_work_between_attempts(
    pg: Container, reading: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rescoring, "GIVE_WAY_EVERY", 2)
    piece = new_piece(pg)
    ids = [scored_long_ago(pg, piece, reading) for _ in range(5)]
    looks: list[int] = []

    def give_way() -> float:
        looks.append(len(scores_written(pg, ids)))  # nothing is committed while it waits
        return 0.25

    with pg.uow() as uow:
        report = rescore_attempts(uow, ids, pg.settings.scoring_options(), give_way=give_way)
    assert report.scored == 5 and looks == [0, 0, 0]  # before attempts 1, 3 and 5
    assert report.timings["gave_way"] == 0.75 and report.timings["write"] < 0.75


def scores_written(pg: Container, ids: list[uuid.UUID]) -> list[uuid.UUID]:
    with pg.uow() as uow:
        query = select(models.Score.attempt_id).where(
            models.Score.attempt_id.in_(ids), models.Score.scoring_version == SCORING_VERSION
        )
        return list(uow.session.scalars(query))


def test_a_stored_transcript_that_does_not_parse_fails_its_attempt_not_the_batch(
    pg: Container, reading: Path
) -> None:
    # Its own piece text: the transcript cache shares one transcript per recording and text.
    damaged_piece = new_piece(pg, TEXT + " Selah.")
    good, damaged = scored_long_ago(pg, new_piece(pg), reading), scored_long_ago(pg, damaged_piece, reading)
    with pg.uow() as uow:
        transcript_id = uow.session.get_one(models.Attempt, damaged).transcript_id
        damage = text("UPDATE transcripts SET data = :data WHERE id = :id")
        uow.session.execute(damage, {"data": b"{not json", "id": transcript_id})
        uow.commit()
    report = rescore(pg, [damaged, good])
    assert report.scored == 1 and [attempt for attempt, _ in report.failed] == [damaged]
    assert "JSONDecodeError" in report.failed[0][1]
    assert set(scores(pg, good)) == {OLD_VERSION, SCORING_VERSION}
