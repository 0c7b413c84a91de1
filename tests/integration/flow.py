"""The learner's flow through the HTTP API: create a piece, upload, poll to the end."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from tests.support.auth import as_learner

# Requests carry the client's bearer token (see signed_in); nothing else is needed.
LEARNER: dict[str, str] = {}


def signed_in(client: FlaskClient) -> FlaskClient:
    """The client, signed in as a learner once (its token rides on every request)."""
    if "HTTP_AUTHORIZATION" not in client.environ_base:
        as_learner(client)
    return client


def create_piece(client: FlaskClient, title: str, text: str) -> str:
    response = signed_in(client).post("/api/v1/pieces", json={"title": title, "text": text})
    assert response.status_code == 201, response.get_json()
    return str(response.get_json()["id"])


def upload(client: FlaskClient, piece_id: str, recording: Path, **headers: str) -> str:
    with recording.open("rb") as handle:
        response = client.post(
            f"/api/v1/pieces/{piece_id}/attempts",
            data={"recording": (handle, "anything.bin")},
            headers={**LEARNER, **headers},
            content_type="multipart/form-data",
        )
    assert response.status_code == 202, response.get_json()
    assert response.headers["Location"].endswith(response.get_json()["id"])
    assert response.headers["Retry-After"]
    return str(response.get_json()["id"])


def poll(client: FlaskClient, attempt_id: str, timeout: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(f"/api/v1/attempts/{attempt_id}", headers=LEARNER)
        assert response.status_code == 200, response.get_json()
        body: dict[str, Any] = response.get_json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.3)
    raise TimeoutError(f"attempt {attempt_id} not finished after {timeout}s")


def statuses(result: dict[str, Any]) -> dict[str, str]:
    """Reference word index -> status."""
    return {str(w["index"]): w["status"] for w in result["words"] if w["index"] is not None}
