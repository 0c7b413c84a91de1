"""Learner pages driven as a person would, through Flask's test client: sign up, add a
piece, and attempts stored as the upload and the worker leave them."""

from __future__ import annotations

import re
import uuid

from flask import Flask
from flask.testing import FlaskClient

from shared.db import models
from tests.support.auth import PASSWORD
from tests.support.results import scored_result, store_score

TEXT = "The Lord is my shepherd; I shall not want. He maketh me to lie down in green pastures."


def signed_in(app: Flask, handle: str) -> FlaskClient:
    """A learner signed up through the sign-up page, as a person would."""
    client = app.test_client()
    response = client.post("/sign-up", data={"handle": handle, "password": PASSWORD, "next": "/library"})
    assert response.status_code == 302 and response.headers["Location"] == "/library"
    return client


def csrf(client: FlaskClient) -> str:
    page = client.get("/library").text
    match = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
    assert match, "the page carries the session's CSRF token for its scripts"
    return match.group(1)


def add_piece(
    client: FlaskClient, title: str = "Psalm 23", text: str = TEXT, visibility: str = "private"
) -> str:
    form = {"title": title, "text": text, "visibility": visibility, "csrf_token": csrf(client)}
    response = client.post("/library", data=form)
    assert response.status_code == 302
    match = re.fullmatch(r"/pieces/([0-9a-f-]{36})/practice", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def done_attempt(
    app: Flask, handle: str, piece_id: str, spoken: str, *, text: str = TEXT, **pauses: float
) -> uuid.UUID:
    """An attempt scored by the real scorer from chosen words (no audio decode here);
    ``text`` is the piece's, ``p5=2.0`` a 2 s pause before word 5."""
    result = scored_result(text, spoken, {int(k[1:]): v for k, v in pauses.items()})
    attempt_id = stored_attempt(app, handle, piece_id, status="done", stage="scored", warnings=["quiet"])
    with app.extensions["recital"].uow() as uow:
        store_score(uow, attempt_id, result)
        uow.commit()
    return attempt_id


def stored_attempt(app: Flask, handle: str, piece_id: str, **columns: object) -> uuid.UUID:
    """An attempt row as the upload and the worker leave it (``columns`` set its state)."""
    with app.extensions["recital"].uow() as uow:
        learner = uow.session.query(models.User).filter_by(handle=handle).one()
        attempt = models.Attempt(
            learner_id=learner.id,
            piece_id=uuid.UUID(piece_id),
            storage_key="k",
            sha256="0" * 64,
            size_bytes=1,
            format="wav",
            **columns,
        )
        uow.session.add(attempt)
        uow.commit()
        return attempt.id
