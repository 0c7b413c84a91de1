"""Issue 19, probe 8: Idempotency-Key on real Postgres.

A key replays its first upload only for the same recording and piece;
anything else is 409 ``idempotency_key_reused`` with nothing stored.
Concurrent duplicates all get the one attempt and leave 0 orphaned objects.
"""

from __future__ import annotations

import io
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from shared.db import models
from shared.settings import Settings
from shared.storage.local import LocalStorage
from shared.storage.port import Readable
from tests.support.auth import bearer_in
from tests.support.recitations import synthesise
from web import create_app

DUPLICATES = 6


@pytest.fixture
def app(tmp_path: Path, pg_url: str) -> Flask:
    settings = Settings(home=tmp_path, database_url=pg_url)
    sent: list[uuid.UUID] = []
    app = create_app(settings, enqueue=sent.append)
    app.extensions["recital.sent"] = sent
    return app


@pytest.fixture(scope="module")
def wavs(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    folder = tmp_path_factory.mktemp("w")
    first = synthesise("The Lord is my shepherd", folder / "a.wav").read_bytes()
    second = synthesise("I shall not want", folder / "b.wav").read_bytes()
    return first, second


def make_piece(client: FlaskClient) -> str:
    # Public, so every learner of these tests may recite it.
    body = {"title": "Psalm", "text": "The Lord is my shepherd.", "visibility": "public"}
    response = client.post("/api/v1/pieces", json=body, headers=bearer_in(client, "librarian"))
    return str(response.get_json()["id"])


def upload(client: FlaskClient, piece_id: str, body: bytes, learner: str, key: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/pieces/{piece_id}/attempts",
        data={"recording": (io.BytesIO(body), "x.wav")},
        headers={**bearer_in(client, learner), "Idempotency-Key": key},
        content_type="multipart/form-data",
    )


def objects(app: Flask) -> list[Path]:
    root = Path(app.extensions["recital"].storage.root)
    return sorted(p for p in (root / "attempts").rglob("*") if p.is_file())


def code_of(response) -> str:  # type: ignore[no-untyped-def]
    return str(response.get_json()["error"]["code"])


def test_same_key_and_recording_replays(app: Flask, wavs: tuple[bytes, bytes]) -> None:
    client, learner, key = app.test_client(), f"l-{uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    piece_id = make_piece(client)
    first = upload(client, piece_id, wavs[0], learner, key)
    again = upload(client, piece_id, wavs[0], learner, key)
    assert (first.status_code, again.status_code) == (202, 202)
    assert first.get_json()["id"] == again.get_json()["id"] and not again.get_json()["created"]
    assert len(objects(app)) == 1 and len(app.extensions["recital.sent"]) == 1


def test_same_key_with_another_recording_or_piece_is_409(app: Flask, wavs: tuple[bytes, bytes]) -> None:
    client, learner, key = app.test_client(), f"l-{uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    piece_id, other_piece = make_piece(client), make_piece(client)
    assert upload(client, piece_id, wavs[0], learner, key).status_code == 202
    stored = objects(app)
    for piece, body in ((piece_id, wavs[1]), (other_piece, wavs[0]), (other_piece, wavs[1])):
        response = upload(client, piece, body, learner, key)
        assert (response.status_code, code_of(response)) == (409, "idempotency_key_reused")
    assert objects(app) == stored
    # Keys belong to a learner: another learner's identical key is a new attempt.
    assert upload(client, piece_id, wavs[1], f"{learner}-2", key).get_json()["created"]


class RacingStorage(LocalStorage):
    """Real local storage that holds every upload until all duplicates have
    stored theirs, so every request reaches the INSERT together: the race is
    certain rather than likely."""

    def __init__(self, root: Path, parties: int) -> None:
        super().__init__(root)
        self.barrier = threading.Barrier(parties, timeout=30)

    def adopt(self, key: str, path: Path, content_type: str) -> None:
        super().adopt(key, path, content_type)
        self.barrier.wait()

    def put(self, key: str, stream: Readable, content_type: str) -> None:
        super().put(key, stream, content_type)
        self.barrier.wait()


def test_concurrent_duplicates_leave_one_attempt_and_no_orphans(
    app: Flask, pg_url: str, wavs: tuple[bytes, bytes]
) -> None:
    deps = app.extensions["recital"]
    deps.storage = RacingStorage(deps.storage.root, DUPLICATES)
    learner, key = f"l-{uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    piece_id = make_piece(app.test_client())

    def one(_: int):  # type: ignore[no-untyped-def]
        return upload(app.test_client(), piece_id, wavs[0], learner, key)

    with ThreadPoolExecutor(DUPLICATES) as pool:
        responses = list(pool.map(one, range(DUPLICATES)))
    assert [r.status_code for r in responses] == [202] * DUPLICATES
    ids = {r.get_json()["id"] for r in responses}
    assert len(ids) == 1 and sum(r.get_json()["created"] for r in responses) == 1
    with deps.uow() as uow:
        rows = uow.session.scalar(
            select(func.count()).select_from(models.Attempt).where(models.Attempt.idempotency_key == key)
        )
        storage_key = uow.session.scalar(
            select(models.Attempt.storage_key).where(models.Attempt.id == ids.pop())
        )
    assert rows == 1
    stored = objects(app)
    assert len(stored) == 1 and stored[0].as_posix().endswith(str(storage_key))  # 0 orphaned objects
