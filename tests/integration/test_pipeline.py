"""Upload → storage → Celery → score → poll, on real services.

Postgres and Redis are the machine's; the worker is a real ``celery worker``
subprocess; storage is a local directory, then the GCS emulator; and once
everything runs embedded (SQLite, memory broker, in-process worker).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask

from shared.settings import Settings
from tests.conftest import settings_env
from tests.integration.flow import create_piece, poll, statuses, upload
from tests.support.recitations import PSALM_23, faint_copy, skip_middle, synthesise
from tests.support.stack import CeleryWorker
from web import create_app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def readings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("readings")
    return {
        "clean": synthesise(PSALM_23, folder / "clean.wav"),
        "skipped": synthesise(skip_middle(PSALM_23), folder / "skipped.wav"),
    }


def check_clean_beats_skipped(app: Flask, readings: dict[str, Path]) -> None:
    client = app.test_client()
    piece_id = create_piece(client, "Psalm 23", PSALM_23)
    clean = poll(client, upload(client, piece_id, readings["clean"]))
    skipped = poll(client, upload(client, piece_id, readings["skipped"]))
    assert clean["status"] == "done", clean
    assert skipped["status"] == "done", skipped
    clean_scores, skipped_scores = clean["result"]["scores"], skipped["result"]["scores"]
    assert clean_scores["accuracy"] >= 75, clean_scores
    assert clean_scores["accuracy"] >= skipped_scores["accuracy"] + 30, (
        clean_scores,
        skipped_scores,
    )
    assert clean_scores["completeness"] > skipped_scores["completeness"]
    words = PSALM_23.split()
    skipped_range = range(len(words) // 4, 3 * (len(words) // 4))
    by_index = statuses(skipped["result"])
    omitted = [i for i in skipped_range if by_index[str(i)] == "omitted"]
    assert len(omitted) >= 0.8 * len(skipped_range), by_index
    assert clean["result"]["engine"] == "offline" and clean["result"]["scoring_version"]


def test_postgres_redis_celery_local_storage(
    stack_settings: Settings, celery_worker: CeleryWorker, readings: dict[str, Path]
) -> None:
    check_clean_beats_skipped(create_app(stack_settings), readings)


def test_a_live_job_is_marked_while_it_runs_for_rescoring_to_give_way(
    stack_settings: Settings, celery_worker: CeleryWorker, readings: dict[str, Path]
) -> None:
    client = create_app(stack_settings).test_client()
    marks = redis.Redis.from_url(stack_settings.broker_url)
    key = f"recital:live-work:{socket.gethostname()}"  # the worker's CPU group: this machine
    attempt_id = upload(client, create_piece(client, "Psalm 23", PSALM_23), readings["clean"])
    deadline, seen = time.monotonic() + 120, 0
    while not seen and time.monotonic() < deadline:
        seen = marks.zcard(key)
        time.sleep(0.005)
    assert seen == 1, "no live-work mark while the attempt was processed"
    assert poll(client, attempt_id)["status"] == "done"
    deadline = time.monotonic() + 5
    while marks.zcard(key) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert marks.zcard(key) == 0  # the mark went with the job


def test_a_faint_recording_is_scored_with_the_quiet_warning(
    stack_settings: Settings, celery_worker: CeleryWorker, readings: dict[str, Path], tmp_path: Path
) -> None:
    # Peaks near -36 dBFS over a -70 dBFS floor: the worker raises the gain,
    # scores it, and the learner still reads "record closer next time".
    client = create_app(stack_settings).test_client()
    piece_id = create_piece(client, "Psalm 23", PSALM_23)
    faint = poll(client, upload(client, piece_id, faint_copy(readings["clean"], tmp_path / "faint.wav")))
    assert faint["status"] == "done", faint
    assert "quiet" in faint["warnings"], faint
    assert faint["result"]["scores"]["accuracy"] >= 75, faint["result"]["scores"]


def test_a_one_word_piece_is_scored_and_a_word_is_too_short_for_a_psalm(
    stack_settings: Settings, celery_worker: CeleryWorker, tmp_path: Path
) -> None:
    # Half a second of "Amen." is a whole recitation of "Amen." (it failed
    # too_short: a second of speech was the floor for every piece).
    import numpy as np
    import soundfile as sf

    said, rate = sf.read(synthesise("Amen.", tmp_path / "amen.wav"), dtype="float32")
    silence = np.zeros(rate // 2, dtype=np.float32)
    sf.write(tmp_path / "amen-padded.wav", np.concatenate([silence, said, silence]), rate)
    client = create_app(stack_settings).test_client()
    amen = poll(client, upload(client, create_piece(client, "Amen", "Amen."), tmp_path / "amen-padded.wav"))
    assert amen["status"] == "done", amen
    assert amen["result"]["scores"]["accuracy"] == 100.0, amen["result"]
    psalm = create_piece(client, "Psalm 23", PSALM_23)
    refused = poll(client, upload(client, psalm, tmp_path / "amen-padded.wav"))
    assert (refused["status"], refused["error"]["code"]) == ("failed", "too_short"), refused


@pytest.fixture
def gcs_stack(
    stack_settings: Settings, gcs_emulator: str, second_redis_url: str, tmp_path: Path
) -> Iterator[Settings]:
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    storage.Client(project="recital-test", credentials=AnonymousCredentials()).create_bucket("recital-test")
    settings = stack_settings.model_copy(
        update={"storage_url": "gs://recital-test/recordings", "broker_url": second_redis_url}
    )
    env = {**settings_env(settings), "STORAGE_EMULATOR_HOST": gcs_emulator}
    worker = CeleryWorker(env, tmp_path / "gcs-worker.log")
    worker.wait_ready()
    yield settings
    worker.stop()


def test_gcs_emulator_storage(gcs_stack: Settings, readings: dict[str, Path]) -> None:
    check_clean_beats_skipped(create_app(gcs_stack), readings)
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    client = storage.Client(project="recital-test", credentials=AnonymousCredentials())
    names = [blob.name for blob in client.list_blobs("recital-test")]
    assert len(names) >= 2 and all(n.startswith("recordings/attempts/") for n in names), names


def test_embedded_defaults(embedded_settings: Settings, readings: dict[str, Path]) -> None:
    from cli.embedded import in_process_worker
    from shared.db.migrate import upgrade
    from shared.queue import CeleryEnqueuer
    from workers.celery_app import create_celery

    upgrade(embedded_settings)
    celery = create_celery(embedded_settings)
    app = create_app(embedded_settings, enqueue=CeleryEnqueuer(celery))
    with in_process_worker(celery):
        check_clean_beats_skipped(app, readings)
