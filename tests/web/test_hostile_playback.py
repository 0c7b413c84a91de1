"""Issue 19, must-be-true 7: recordings are played back only through
short-lived links issued after the ownership check, on real Postgres."""

from __future__ import annotations

import io
import time
import uuid
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from shared.settings import Settings
from tests.support.auth import bearer_in
from tests.support.recitations import synthesise
from web import create_app, recording_links

ADA, MALLORY = "ada-playback", "mallory-playback"  # handles; tokens from tests.support.auth


@pytest.fixture
def app(tmp_path: Path, pg_url: str) -> Flask:
    settings = Settings(home=tmp_path, database_url=pg_url, signing_key="test-signing-key-" + "x" * 16)
    return create_app(settings, enqueue=lambda _: None)


@pytest.fixture(scope="module")
def wav(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return synthesise("The Lord is my shepherd", tmp_path_factory.mktemp("w") / "a.wav").read_bytes()


def submit(client: FlaskClient, wav: bytes) -> str:
    piece = client.post(
        "/api/v1/pieces",
        json={"title": "Psalm", "text": "The Lord is my shepherd."},
        headers=bearer_in(client, ADA),
    )
    response = client.post(
        f"/api/v1/pieces/{piece.get_json()['id']}/attempts",
        data={"recording": (io.BytesIO(wav), "a.wav")},
        headers=bearer_in(client, ADA),
        content_type="multipart/form-data",
    )
    assert response.status_code == 202
    return str(response.get_json()["id"])


def code_of(response) -> str:  # type: ignore[no-untyped-def]
    return str(response.get_json()["error"]["code"])


def test_the_owner_gets_a_short_lived_link_that_plays_the_upload(app: Flask, wav: bytes) -> None:
    client = app.test_client()
    attempt_id = submit(client, wav)
    issued = client.get(f"/api/v1/attempts/{attempt_id}/recording", headers=bearer_in(client, ADA))
    assert issued.status_code == 200 and issued.headers["Cache-Control"] == "no-store"
    link = issued.get_json()
    assert link["expires_in"] == recording_links.LINK_SECONDS <= 900
    assert attempt_id not in link["url"] and "attempts/" not in link["url"]  # no storage path
    played = client.get(link["url"])  # a link needs no learner header: an <audio src>
    assert played.status_code == 200 and played.data == wav
    assert played.mimetype == "audio/wav" and "no-store" in played.headers["Cache-Control"]
    assert played.headers["X-Content-Type-Options"] == "nosniff"


def test_a_range_gets_just_those_bytes_so_players_can_seek(app: Flask, wav: bytes) -> None:
    client = app.test_client()
    attempt_id = submit(client, wav)
    issued = client.get(f"/api/v1/attempts/{attempt_id}/recording", headers=bearer_in(client, ADA))
    url, size = issued.get_json()["url"], len(wav)
    asked_for = (("bytes=0-99", 0, 100), ("bytes=100-", 100, size), ("bytes=-10", size - 10, size))
    for asked, start, stop in asked_for:
        part = client.get(url, headers={"Range": asked})
        assert part.status_code == 206 and part.data == wav[start:stop], asked
        assert part.headers["Content-Range"] == f"bytes {start}-{stop - 1}/{size}"
        assert int(part.headers["Content-Length"]) == stop - start
    whole = client.get(url, headers={"Range": f"bytes=0-{size + 500}"})  # past the end: clipped to the end
    assert (whole.status_code, whole.data) == (200, wav) and whole.headers["Accept-Ranges"] == "bytes"
    # The last N bytes, N more than there are: all of them (RFC 9110 14.1.2; QA: it was a 416)
    suffix = client.get(url, headers={"Range": f"bytes=-{size + 500}"})
    assert (suffix.status_code, suffix.data) == (200, wav)
    outside = client.get(url, headers={"Range": f"bytes={size}-"})
    assert outside.status_code == 416 and outside.headers["Content-Range"] == f"bytes */{size}"
    assert outside.get_json()["error"]["code"] == "range_not_satisfiable"  # JSON, as every error (QA)
    several = client.get(url, headers={"Range": "bytes=0-9,20-29"})  # no multipart answers: all of it
    assert (several.status_code, several.data) == (200, wav)


def test_a_recording_gone_from_storage_is_404_not_try_again(app: Flask, wav: bytes, tmp_path: Path) -> None:
    """A delete that stopped half-way leaves the row without its object (docs/accounts.md)."""
    client = app.test_client()
    attempt_id = submit(client, wav)
    link = client.get(f"/api/v1/attempts/{attempt_id}/recording", headers=bearer_in(client, ADA)).get_json()
    for stored in (tmp_path / "storage").rglob("*"):
        if stored.is_file():
            stored.unlink()
    gone = client.get(link["url"])
    assert (gone.status_code, code_of(gone)) == (404, "recording_missing")
    assert "Retry-After" not in gone.headers


def test_another_learner_gets_404_exactly_as_for_an_unknown_id(app: Flask, wav: bytes) -> None:
    client = app.test_client()
    attempt_id = submit(client, wav)
    theirs = client.get(f"/api/v1/attempts/{attempt_id}/recording", headers=bearer_in(client, MALLORY))
    unknown = client.get(f"/api/v1/attempts/{uuid.uuid4()}/recording", headers=bearer_in(client, MALLORY))
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.get_json() == unknown.get_json()


def test_expired_forged_and_tampered_links_are_refused(app: Flask, wav: bytes) -> None:
    client = app.test_client()
    attempt_id = submit(client, wav)
    url = client.get(f"/api/v1/attempts/{attempt_id}/recording", headers=bearer_in(client, ADA)).get_json()[
        "url"
    ]
    token = url.rsplit("/", 1)[1]
    tampered = client.get(url[:-2] + ("AA" if not url.endswith("AA") else "BB"))
    assert (tampered.status_code, code_of(tampered)) == (403, "recording_link_invalid")
    forged = URLSafeTimedSerializer("a guessed key", salt="recital.recording-link").dumps(attempt_id)
    refused = client.get(f"/api/v1/recordings/{forged}")
    assert (refused.status_code, code_of(refused)) == (403, "recording_link_invalid")
    with app.test_request_context():
        signer = recording_links.serializer()
        old = signer.dumps(attempt_id)
    later = time.time() + recording_links.LINK_SECONDS + 1
    with app.test_request_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(time, "time", lambda: later)  # itsdangerous reads the clock through time.time
        with pytest.raises(Exception) as caught:
            recording_links.verify(old)
    assert getattr(caught.value, "code", None) == "recording_link_expired"
    assert client.get(f"/api/v1/recordings/{token}").status_code == 200


def test_an_empty_signing_key_in_the_environment_signs_nothing_anyone_can_forge(
    tmp_path: Path, pg_url: str, wav: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: .env.example's "RECITAL_SIGNING_KEY=" was a key of nothing, so anyone could
    sign a link to any recording. Empty is unset now: each process draws a random key."""
    monkeypatch.setenv("RECITAL_SIGNING_KEY", "")
    client = create_app(Settings(home=tmp_path, database_url=pg_url), enqueue=lambda _: None).test_client()
    attempt_id = submit(client, wav)
    forged = URLSafeTimedSerializer("", salt="recital.recording-link").dumps(attempt_id)
    refused = client.get(f"/api/v1/recordings/{forged}")
    assert (refused.status_code, code_of(refused)) == (403, "recording_link_invalid")
    url = client.get(f"/api/v1/attempts/{attempt_id}/recording", headers=bearer_in(client, ADA)).get_json()[
        "url"
    ]
    assert client.get(url).data == wav  # the process's own links still play
