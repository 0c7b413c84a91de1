"""A re-transcription run on the real stack: the offline engine hears each recording
again (its stored transcript came from older recognition), within a spend cap that
pauses the run; ``recital rescore resume`` finishes it, each recording heard once."""

from __future__ import annotations

import re
import time
import uuid
import wave
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from shared.container import Container
from shared.db import models
from shared.domain.scoring import SCORING_VERSION
from shared.services.pieces import create_piece
from shared.services.rescore_runs import require_run
from shared.settings import Settings
from tests.cli.test_commands import embedded_env, recital
from tests.conftest import settings_env
from tests.support.attempts import OLD_VERSION, TEXT, learner, processed
from tests.support.recitations import synthesise
from tests.support.runs import score_rows
from tests.support.stack import CeleryWorker

pytestmark = pytest.mark.integration
RECORDINGS = 5


def padded(source: Path, out: Path, extra_frames: int) -> Path:
    """The same reading with a little more silence: other bytes, so its own transcript."""
    with wave.open(str(source)) as reader:
        params, frames = reader.getparams(), reader.readframes(reader.getnframes())
    with wave.open(str(out), "wb") as writer:
        writer.setparams(params)
        writer.writeframes(frames + b"\0\0" * extra_frames * params.nchannels)
    return out


def stale(deps: Container, ids: list[uuid.UUID]) -> None:
    """As if recognition and scoring had both changed since these were processed."""
    with deps.uow() as uow:
        transcripts = select(models.Attempt.transcript_id).where(models.Attempt.id.in_(ids))
        uow.session.execute(
            update(models.Transcript)
            .where(models.Transcript.id.in_(transcripts))
            .values(recognition_version="old")
        )
        uow.session.execute(
            update(models.Score).where(models.Score.attempt_id.in_(ids)).values(scoring_version=OLD_VERSION)
        )
        uow.commit()


def transcripts_per_recording(deps: Container, ids: list[uuid.UUID]) -> list[int]:
    with deps.uow() as uow:
        shas = select(models.Attempt.sha256).where(models.Attempt.id.in_(ids))
        query = (
            select(func.count())
            .select_from(models.Transcript)
            .where(models.Transcript.audio_sha256.in_(shas))
            .group_by(models.Transcript.audio_sha256)
        )
        return sorted(uow.session.scalars(query))


def wait_stopped(deps: Container, run_id: uuid.UUID, timeout: float = 120) -> models.RescoreRun:
    deadline = time.monotonic() + timeout
    while True:
        with deps.uow() as uow:
            run = require_run(uow, run_id)
        if run.state != "running":
            return run  # type: ignore[return-value]
        assert time.monotonic() < deadline, run
        time.sleep(0.3)


def test_the_spend_cap_pauses_and_resume_finishes_each_heard_once(
    stack_settings: Settings, celery_worker: CeleryWorker, tmp_path: Path
) -> None:
    deps = Container(stack_settings)
    handle = f"retranscribe-{uuid.uuid4().hex[:8]}"
    owner = learner(deps, handle)
    with deps.uow() as uow:
        piece = create_piece(uow, owner, "Psalm", TEXT).id
    reading = synthesise(TEXT, tmp_path / "reading.wav")
    ids = []
    for k in range(RECORDINGS):
        audio = padded(reading, tmp_path / f"reading-{k}.wav", 160 * (k + 1))
        ids.append(processed(deps, piece, audio, handle))
    stale(deps, ids)
    with deps.uow() as uow:
        durations = [uow.session.get_one(models.Analysis, i).data["duration"] for i in ids]
    cap_minutes = (sum(durations[:3]) + durations[3] / 2) / 60  # room for three recordings

    env = {**embedded_env(tmp_path), **settings_env(stack_settings)}
    capped = {**env, "RECITAL_RETRANSCRIBE_CAP_AUDIO_MINUTES": f"{cap_minutes:.6f}"}
    # Four of the five, two at a time: the resume below must keep to both (QA: it sent
    # every pending attempt of the filter, in batches of 200).
    options = ["--batch-size", "2", "--limit", "4"]
    sent = recital("rescore", "--retranscribe", "--learner", handle, *options, env=capped)
    assert sent.returncode == 0 and "sent 4 attempts in 2 batches" in sent.stdout, sent.stdout + sent.stderr
    run_id = uuid.UUID(re.search(r"run ([0-9a-f-]{36})", sent.stdout).group(1))  # type: ignore[union-attr]
    paused = wait_stopped(deps, run_id)
    assert (paused.state, paused.done, paused.failed) == ("paused", 3, 0), paused
    assert paused.spent_audio_seconds == pytest.approx(sum(durations[:3]))
    assert transcripts_per_recording(deps, ids) == [1, 1, 2, 2, 2]  # the old rows stay
    assert score_rows(deps, ids) == {OLD_VERSION: 5, SCORING_VERSION: 3}

    resumed = recital("rescore", "resume", str(run_id), env=env)  # no cap configured now
    output = resumed.stdout + resumed.stderr
    assert resumed.returncode == 0 and "sent 1 attempt in 1 batch " in resumed.stdout, output
    finished = wait_stopped(deps, run_id)
    assert (finished.state, finished.total, finished.done, finished.failed) == ("finished", 4, 4, 0), finished
    assert finished.spent_audio_seconds == pytest.approx(sum(durations[:4]))  # each recording paid once
    assert transcripts_per_recording(deps, ids) == [1, 2, 2, 2, 2]  # the fifth, past the limit, untouched
    assert score_rows(deps, ids) == {OLD_VERSION: 5, SCORING_VERSION: 4}
    with deps.uow() as uow:
        linked = uow.session.scalars(
            select(models.Transcript.recognition_version)
            .join(models.Attempt, models.Attempt.transcript_id == models.Transcript.id)
            .where(models.Attempt.id.in_(ids))
        )
        assert sorted(linked).count("old") == 1  # only the fifth's
    deps.engine.dispose()
