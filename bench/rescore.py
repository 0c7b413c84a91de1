"""Batch re-scoring throughput: attempts re-scored per second by one process.

One 60 s recitation is submitted and processed by the real pipeline (offline
engine) on a throwaway Postgres database; its attempt, analysis and an old
score row are then copied into ``ATTEMPTS`` done attempts, each with its own copy of the
transcript row, as a past term's attempts would be (distinct recordings never
share a transcript, so nothing may be decoded once for many attempts). Each round re-scores them all
in batches of ``BATCH`` with ``rescore_attempts``, as a ``rescore`` worker
does (load, score, one insert and commit per batch), then deletes the new
rows for the next round. The baseline, measured in the same run (a round of
it after each re-scoring round, so both see the machine's load alike), is
scoring the same stored data with ``score_recitation`` alone, no database:
the ratio is what the database work costs on top of scoring.

The target row runs ``shared.domain`` compiled with mypyc, as the worker
image does (``tests/support/compiled.py``); the Python source is shown beside
it. Each build is measured in a process of its own.
"""

from __future__ import annotations

import json
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select

from bench.services import database
from bench.speech import recitation
from bench.table import Figure

ATTEMPTS = 1000
BATCH = 200
ROUNDS = 5
OLD_VERSION = "2000.01.1"


TARGET_RATE = 1000  # attempts/s, issue #21
TARGET_RATIO = 0.5  # × scoring alone


def run() -> list[Figure]:
    """Both builds, each measured in a process of its own (``python -m bench.rescore``)."""
    from tests.support.compiled import compiled_tree

    compiled, source = _sample(compiled_tree()), _sample(None)
    figure = _figure("compiled, as workers run it", compiled)
    figure.target = f"≥ {TARGET_RATE:,}/s and ≥ {TARGET_RATIO}× scoring alone"
    figure.met = figure.median >= TARGET_RATE and (figure.ratio or 0) >= TARGET_RATIO
    return [figure, _figure("Python source", source)]


def _figure(build: str, sample: dict[str, list[float]]) -> Figure:
    return Figure(
        f"re-scoring, batches of {BATCH} (60 s recitations, Postgres; {build})",
        "attempts/s",
        sample["rounds"],
        baseline_name="score_recitation alone, same stored data, no database",
        baseline_runs=sample["alone"],
        ratio_note="× scoring alone",
    )


def _sample(tree: Path | None) -> dict[str, list[float]]:
    """Rounds and baselines from one process importing shared.domain from ``tree`` (None: source)."""
    from tests.support.compiled import run_python

    out = run_python(["-m", "bench.rescore"], tree)
    if out.returncode:
        raise RuntimeError(f"bench.rescore failed:\n{out.stdout[-2000:]}{out.stderr[-3000:]}")
    sample = json.loads(out.stdout.strip().splitlines()[-1])
    if (tree is not None) != sample.pop("scoring_module").endswith(".so"):
        raise RuntimeError("bench.rescore did not run the build asked for")
    return dict(sample)


def measure() -> dict[str, Any]:
    from shared.container import Container
    from shared.db.migrate import upgrade
    from shared.domain import scoring
    from shared.settings import Settings

    with tempfile.TemporaryDirectory() as tmp, database("recital_bench_rescore") as url:
        audio, text = recitation(Path(tmp), 60, "minute")
        deps = Container(Settings(home=Path(tmp), database_url=url))
        upgrade(deps.settings)
        ids = _past_attempts(deps, _processed(deps, audio, text))
        rounds, alone = [], []
        for _ in range(ROUNDS):  # interleaved: on a shared machine both see the same load
            rounds.append(_rescore_round(deps, ids))
            alone.append(_score_alone(deps, ids[0], len(ids)))
        deps.engine.dispose()
    return {"rounds": rounds, "alone": alone, "scoring_module": scoring.__file__}


def _processed(deps: Any, audio: Path, text: str) -> uuid.UUID:
    from shared.services.pieces import create_piece
    from shared.services.processing import run_attempt_job
    from shared.services.submission import Submission, submit_attempt
    from shared.services.users import ensure_user

    with deps.uow() as uow:
        learner = ensure_user(uow, "bench")
    with deps.uow() as uow:
        piece_id = create_piece(uow, learner, "bench", text).id
    with deps.uow() as uow, audio.open("rb") as recording:
        submission = Submission(learner=learner.id, piece_id=piece_id, recording=recording)
        attempt_id: uuid.UUID = submit_attempt(
            uow, deps.storage, lambda _id: None, submission, 10**8
        ).attempt_id
    outcome = run_attempt_job(attempt_id, deps.processing_context())
    if outcome.status != "done":
        raise RuntimeError(f"the bench attempt was not scored: {outcome}")
    return attempt_id


def _past_attempts(deps: Any, source_id: uuid.UUID) -> list[uuid.UUID]:
    """``ATTEMPTS`` copies of the processed attempt, each scored at an old version."""
    from shared.db import models

    with deps.uow() as uow:
        attempt = _row(uow.session.get_one(models.Attempt, source_id))
        transcript = _row(uow.session.get_one(models.Transcript, attempt["transcript_id"]))
        analysis = uow.session.get_one(models.Analysis, source_id).data
        score = _row(uow.session.scalars(select(models.Score).filter_by(attempt_id=source_id)).one())
        ids = [uuid.uuid4() for _ in range(ATTEMPTS)]
        transcripts = [
            {**transcript, "id": uuid.uuid4(), "audio_sha256": f"{n:064x}"} for n in range(ATTEMPTS)
        ]
        uow.session.execute(insert(models.Transcript), transcripts)
        copies = [
            {**attempt, "id": i, "idempotency_key": None, "transcript_id": t["id"]}
            for i, t in zip(ids, transcripts, strict=True)
        ]
        uow.session.execute(insert(models.Attempt), copies)
        uow.session.execute(insert(models.Analysis), [{"attempt_id": i, "data": analysis} for i in ids])
        old = [{**score, "id": uuid.uuid4(), "attempt_id": i, "scoring_version": OLD_VERSION} for i in ids]
        uow.session.execute(insert(models.Score), old)
        uow.commit()
    return ids


def _row(instance: Any) -> dict[str, Any]:
    return {column.key: getattr(instance, column.key) for column in instance.__table__.columns}


def _rescore_round(deps: Any, ids: list[uuid.UUID]) -> float:
    from shared.db import models
    from shared.domain.scoring import SCORING_VERSION
    from shared.services.rescoring import rescore_attempts

    options = deps.settings.scoring_options()
    started = time.perf_counter()
    scored = 0
    for at in range(0, len(ids), BATCH):
        with deps.uow() as uow:
            scored += rescore_attempts(uow, ids[at : at + BATCH], options).scored
    seconds = time.perf_counter() - started
    if scored != len(ids):
        raise RuntimeError(f"re-scored {scored} of {len(ids)}")
    with deps.uow() as uow:
        uow.session.execute(
            delete(models.Score).where(
                models.Score.attempt_id.in_(ids), models.Score.scoring_version == SCORING_VERSION
            )
        )
        uow.commit()
    return len(ids) / seconds


def _score_alone(deps: Any, attempt_id: uuid.UUID, count: int) -> float:
    from shared.db import models
    from shared.domain.text import parse_reference
    from shared.services.rescoring import score_stored

    with deps.uow() as uow:
        attempt = uow.session.get_one(models.Attempt, attempt_id)
        text = uow.session.get_one(models.Piece, attempt.piece_id).text
        stored = uow.session.get_one(models.Transcript, attempt.transcript_id).data
        analysis_data = uow.session.get_one(models.Analysis, attempt_id).data
    options = deps.settings.scoring_options()
    reference = parse_reference(text)  # the service parses each piece once per batch too
    started = time.perf_counter()
    for _ in range(count):  # decoded from stored data each time, as the service does
        score_stored(stored, analysis_data, reference, options)
    return count / (time.perf_counter() - started)


if __name__ == "__main__":
    print(json.dumps(measure()))
