"""Owners and visibility, deleting attempts and accounts, and what only admins may do."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from shared.db import models
from shared.db.migrate import upgrade
from shared.domain.clock import utcnow
from shared.settings import Settings
from tests.support.auth import PASSWORD, as_learner, bearer, token_for
from tests.support.recitations import synthesise
from web import create_app


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    settings = Settings(home=tmp_path)
    upgrade(settings)
    return create_app(settings, enqueue=lambda _id: None)


@pytest.fixture(scope="module")
def wav(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return synthesise("The Lord is my shepherd", tmp_path_factory.mktemp("w") / "a.wav").read_bytes()


def piece(client: FlaskClient, visibility: str = "private") -> str:
    body = {"title": "Psalm", "text": "The Lord is my shepherd.", "visibility": visibility}
    response = client.post("/api/v1/pieces", json=body)
    assert response.status_code == 201, response.get_json()
    return str(response.get_json()["id"])


def upload(client: FlaskClient, piece_id: str, wav: bytes):  # type: ignore[no-untyped-def]
    data = {"recording": (io.BytesIO(wav), "a.wav")}
    return client.post(f"/api/v1/pieces/{piece_id}/attempts", data=data, content_type="multipart/form-data")


def recordings(app: Flask) -> list[Path]:
    return sorted((Path(app.extensions["recital"].settings.home) / "storage" / "attempts").rglob("*.wav"))


def count(app: Flask, table: type[models.Base]) -> int:
    with app.extensions["recital"].uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table)) or 0)


def test_pieces_are_private_unless_public(app: Flask, wav: bytes) -> None:
    ada, bob = as_learner(app.test_client()), as_learner(app.test_client())
    mine, shared = piece(ada), piece(ada, "public")
    assert {p["id"] for p in ada.get("/api/v1/pieces").get_json()["items"]} == {mine, shared}
    assert [p["id"] for p in bob.get("/api/v1/pieces").get_json()["items"]] == [shared]
    hidden = bob.get(f"/api/v1/pieces/{mine}")
    unknown = bob.get("/api/v1/pieces/00000000-0000-0000-0000-000000000000")
    assert hidden.status_code == unknown.status_code == 404 and hidden.data == unknown.data
    assert upload(bob, mine, wav).status_code == 404  # nor can he recite it
    assert upload(bob, shared, wav).status_code == 202
    bad = ada.post("/api/v1/pieces", json={"title": "T", "text": "Words.", "visibility": "friends"})
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_visibility"


def test_a_learner_deletes_an_attempt_and_its_recording(app: Flask, wav: bytes) -> None:
    ada, bob = as_learner(app.test_client()), as_learner(app.test_client())
    piece_id = piece(ada)
    kept, gone = (upload(ada, piece_id, wav).get_json()["id"] for _ in range(2))
    assert len(recordings(app)) == 2
    assert bob.delete(f"/api/v1/attempts/{gone}").status_code == 404  # not his
    assert ada.delete(f"/api/v1/attempts/{gone}").status_code == 204
    assert ada.get(f"/api/v1/attempts/{gone}").status_code == 404
    assert ada.delete(f"/api/v1/attempts/{gone}").status_code == 404
    assert len(recordings(app)) == 1 and ada.get(f"/api/v1/attempts/{kept}").status_code == 200


def add_coaching_note(app: Flask, attempt_id: str) -> None:
    """As the rewrite task stores one after scoring (it refers to the attempt)."""
    with app.extensions["recital"].uow() as uow:
        uow.results.save_coaching_note(uuid.UUID(attempt_id), "v1", "rule", "note", "model", utcnow())
        uow.commit()


def test_an_attempt_with_a_coaching_note_is_deleted_with_it(app: Flask, wav: bytes) -> None:
    ada = as_learner(app.test_client())
    attempt_id = upload(ada, piece(ada), wav).get_json()["id"]
    add_coaching_note(app, attempt_id)
    assert ada.delete(f"/api/v1/attempts/{attempt_id}").status_code == 204
    assert count(app, models.CoachingNote) == 0 and count(app, models.Attempt) == 0


def test_a_learner_deletes_their_account(app: Flask, wav: bytes) -> None:
    ada, bob = as_learner(app.test_client()), as_learner(app.test_client())
    private, public = piece(ada), piece(ada, "public")
    add_coaching_note(app, upload(ada, private, wav).get_json()["id"])
    upload(bob, public, wav)
    token = ada.environ_base["HTTP_AUTHORIZATION"]
    for wrong, status, code in (({}, 400, "missing_field"), ({"password": "not it"}, 422, "wrong_password")):
        refused = ada.delete("/api/v1/auth/me", json=wrong)  # an open session alone erases nothing
        assert (refused.status_code, refused.get_json()["error"]["code"]) == (status, code)
    assert count(app, models.User) == 2
    assert ada.delete("/api/v1/auth/me", json={"password": PASSWORD}).status_code == 204
    assert app.test_client().get("/api/v1/auth/me", headers={"Authorization": token}).status_code == 401
    assert len(recordings(app)) == 1  # bob's stays
    listed = bob.get("/api/v1/pieces").get_json()["items"]
    assert [(p["id"], p["owned"]) for p in listed] == [(public, False)]  # kept for bob, without an owner
    assert count(app, models.User) == 1 and count(app, models.Attempt) == 1
    assert count(app, models.CoachingNote) == 0


def test_admin_routes(app: Flask, wav: bytes) -> None:
    settings = app.extensions["recital"].settings
    admin_token = token_for(settings, "root", role="admin")
    ada = as_learner(app.test_client())
    upload(ada, piece(ada), wav)
    anonymous = app.test_client().get("/api/v1/admin/users")
    as_learner_response = ada.get("/api/v1/admin/users")
    assert (anonymous.status_code, as_learner_response.status_code) == (401, 403)
    assert as_learner_response.get_json()["error"]["code"] == "admin_only"
    admin = app.test_client()
    listed = admin.get("/api/v1/admin/users", headers=bearer(admin_token)).get_json()
    assert listed["total"] == 2
    ada_id = next(u["id"] for u in listed["items"] if u["role"] == "learner")
    assert ada.delete(f"/api/v1/admin/users/{ada_id}").status_code == 403
    assert admin.delete(f"/api/v1/admin/users/{ada_id}", headers=bearer(admin_token)).status_code == 204
    assert recordings(app) == [] and count(app, models.Attempt) == 0
    assert admin.delete(f"/api/v1/admin/users/{ada_id}", headers=bearer(admin_token)).status_code == 404


def test_an_admin_removes_a_shared_piece_with_everyones_attempts_on_it(app: Flask, wav: bytes) -> None:
    """A shared text that must go: its owner's and every other learner's attempts go with
    it; nothing else of theirs changes. Learners cannot; an unknown id is 404."""
    admin = bearer(token_for(app.extensions["recital"].settings, "moderator", role="admin"))
    ada, bob = as_learner(app.test_client()), as_learner(app.test_client())
    shared, other = piece(ada, "public"), piece(bob)
    for learner in (ada, bob, bob):
        add_coaching_note(app, upload(learner, shared, wav).get_json()["id"])
    kept = upload(bob, other, wav).get_json()["id"]
    assert bob.delete(f"/api/v1/admin/pieces/{shared}").status_code == 403
    removed = app.test_client().delete(f"/api/v1/admin/pieces/{shared}", headers=admin)
    assert removed.status_code == 200 and removed.get_json() == {"deleted_attempts": 3}
    assert bob.get(f"/api/v1/pieces/{shared}").status_code == 404
    assert upload(bob, shared, wav).status_code == 404
    assert [p["id"] for p in bob.get("/api/v1/pieces").get_json()["items"]] == [other]
    assert len(recordings(app)) == 1 and bob.get(f"/api/v1/attempts/{kept}").status_code == 200
    assert count(app, models.Attempt) == 1 and count(app, models.CoachingNote) == 0
    again = app.test_client().delete(f"/api/v1/admin/pieces/{shared}", headers=admin)
    assert again.status_code == 404 and again.get_json()["error"]["code"] == "piece_not_found"
    bad = app.test_client().delete("/api/v1/admin/pieces/not-an-id", headers=admin)
    assert bad.status_code == 404  # as every id in a path: not a UUID is not found
