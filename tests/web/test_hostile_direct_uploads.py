"""Issue 19, must-be-true 6: large uploads straight to GCS, on the GCS emulator.

A throwaway service-account key, generated here, signs real V4 URLs; the
emulator accepts the PUT (it does not check signatures, so the URL's signed
parameters are checked here). Completion reads the object back and queues
nothing unless its size, sha256 and magic bytes are what was declared.
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient
from google.auth.credentials import AnonymousCredentials
from google.cloud import storage as gcs

from shared.settings import Settings
from tests.support.auth import bearer_in
from tests.support.recitations import synthesise
from web import create_app

ADA, MALLORY = "ada-direct", "mallory-direct"  # handles; tokens from tests.support.auth
EMAIL = "recital-test@recital-test.iam.gserviceaccount.com"


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    info = {
        "type": "service_account",
        "project_id": "recital-test",
        "private_key_id": uuid.uuid4().hex,
        "private_key": pem.decode(),
        "client_email": EMAIL,
        "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    path = tmp_path_factory.mktemp("sa") / "key.json"
    path.write_text(json.dumps(info))
    return path


@pytest.fixture
def sent() -> list[uuid.UUID]:
    return []


@pytest.fixture
def gcs_app(
    gcs_emulator: str,
    key_file: Path,
    pg_url: str,
    tmp_path: Path,
    sent: list[uuid.UUID],
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., Flask]:
    """An app on a new bucket of the emulator, with these settings changed."""

    def make(**overrides: Any) -> Flask:
        bucket = f"direct-{uuid.uuid4().hex[:8]}"
        gcs.Client(project="recital-test", credentials=AnonymousCredentials()).create_bucket(bucket)
        monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
        settings = Settings(
            home=tmp_path,
            database_url=pg_url,
            storage_url=f"gs://{bucket}",
            max_upload_bytes=4 << 20,
            **overrides,
        )
        return create_app(settings, enqueue=sent.append)

    return make


@pytest.fixture
def app(gcs_app: Callable[..., Flask]) -> Flask:
    return gcs_app()


@pytest.fixture(scope="module")
def wav(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return synthesise("The Lord is my shepherd", tmp_path_factory.mktemp("w") / "a.wav").read_bytes()


def signature_holds(url: str, headers: dict[str, str], key_file: Path) -> bool:
    """Check a V4 signed URL against the headers a client would send, from GCS's
    published algorithm (canonical request -> string to sign -> RSA-SHA256)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    parts = urllib.parse.urlsplit(url)
    params = [p for p in parts.query.split("&") if not p.startswith("X-Goog-Signature=")]
    query = urllib.parse.parse_qs(parts.query)
    sent = {k.lower(): v.strip() for k, v in {**headers, "Host": parts.netloc}.items()}
    signed = query["X-Goog-SignedHeaders"][0]
    canonical_headers = "".join(f"{name}:{sent[name]}\n" for name in signed.split(";"))
    request = "\n".join(
        ["PUT", parts.path, "&".join(sorted(params)), canonical_headers, signed, "UNSIGNED-PAYLOAD"]
    )
    scope = query["X-Goog-Credential"][0].split("/", 1)[1]
    to_sign = "\n".join(
        ["GOOG4-RSA-SHA256", query["X-Goog-Date"][0], scope, hashlib.sha256(request.encode()).hexdigest()]
    )
    private = serialization.load_pem_private_key(
        json.loads(key_file.read_text())["private_key"].encode(), None
    )
    try:
        private.public_key().verify(  # type: ignore[union-attr, call-arg]
            bytes.fromhex(query["X-Goog-Signature"][0]), to_sign.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature:
        return False
    return True


def make_piece(client: FlaskClient, learner: str = ADA) -> str:
    body = {"title": "Psalm", "text": "The Lord is my shepherd."}
    return str(client.post("/api/v1/pieces", json=body, headers=bearer_in(client, learner)).get_json()["id"])


def start(client: FlaskClient, piece_id: str, body: bytes, learner: str = ADA, **overrides: object):  # type: ignore[no-untyped-def]
    promise = {
        "content_type": "audio/wav",
        "size_bytes": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    return client.post(
        f"/api/v1/pieces/{piece_id}/uploads",
        json={**promise, **overrides},
        headers=bearer_in(client, learner),
    )


def put(grant: dict[str, object], body: bytes) -> int:
    request = urllib.request.Request(
        str(grant["url"]), data=body, method="PUT", headers=dict(grant["headers"])
    )  # type: ignore[call-overload]
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(response.status)


def complete(client: FlaskClient, piece_id: str, upload_id: object, learner: str = ADA):  # type: ignore[no-untyped-def]
    url = f"/api/v1/pieces/{piece_id}/attempts"
    return client.post(url, json={"upload_id": upload_id}, headers=bearer_in(client, learner))


def code_of(response) -> str:  # type: ignore[no-untyped-def]
    return str(response.get_json()["error"]["code"])


def test_the_url_is_signed_for_exactly_this_type_and_size(app: Flask, wav: bytes, key_file: Path) -> None:
    client = app.test_client()
    grant = start(client, make_piece(client), wav).get_json()
    headers = grant["headers"]
    assert signature_holds(grant["url"], headers, key_file)
    assert not signature_holds(grant["url"], {**headers, "Content-Type": "text/html"}, key_file)
    bigger = {**headers, "x-goog-content-length-range": f"0,{50 << 20}"}
    assert not signature_holds(grant["url"], bigger, key_file)
    longer = grant["url"].replace("X-Goog-Expires=900", "X-Goog-Expires=604800")
    assert not signature_holds(longer, headers, key_file)


def test_signed_put_then_completion_queues_a_checked_attempt(
    app: Flask, wav: bytes, sent: list[uuid.UUID]
) -> None:
    client = app.test_client()
    piece_id = make_piece(client)
    started = start(client, piece_id, wav)
    assert started.status_code == 201, started.get_json()
    grant = started.get_json()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(grant["url"]).query)
    assert query["X-Goog-Algorithm"] == ["GOOG4-RSA-SHA256"] and query["X-Goog-Expires"] == ["900"]
    assert query["X-Goog-Credential"][0].startswith(EMAIL + "/")
    assert query["X-Goog-SignedHeaders"] == ["content-type;host;x-goog-content-length-range"]
    assert len(query["X-Goog-Signature"][0]) == 512  # RSA-2048, hex
    assert grant["headers"] == {
        "Content-Type": "audio/wav",
        "x-goog-content-length-range": f"{len(wav)},{len(wav)}",
    }
    assert grant["method"] == "PUT" and grant["expires_in"] == 900

    early = complete(client, piece_id, grant["upload_id"])
    assert (early.status_code, code_of(early)) == (409, "upload_incomplete") and sent == []
    assert put(grant, wav) == 200
    done = complete(client, piece_id, grant["upload_id"])
    assert done.status_code == 202 and done.get_json()["created"]
    attempt_id = done.get_json()["id"]
    assert sent == [uuid.UUID(attempt_id)]
    view = client.get(f"/api/v1/attempts/{attempt_id}", headers=bearer_in(client, ADA)).get_json()
    assert (view["format"], view["size_bytes"], view["sha256"]) == (
        "wav",
        len(wav),
        hashlib.sha256(wav).hexdigest(),
    )
    again = complete(client, piece_id, grant["upload_id"])
    assert again.get_json() == {**done.get_json(), "created": False} and len(sent) == 1
    link = client.get(f"/api/v1/attempts/{attempt_id}/recording", headers=bearer_in(client, ADA)).get_json()
    played = client.get(link["url"])
    assert played.data == wav  # the worker and playback read the same object
    seeked = client.get(link["url"], headers={"Range": "bytes=1000-1999"})  # a player seeking, from GCS
    assert (seeked.status_code, seeked.data) == (206, wav[1000:2000])


@pytest.mark.parametrize(
    ("uploaded", "code", "status"),
    [
        ("other-bytes", "upload_mismatch", 422),  # same size, another file
        ("text", "unsupported_format", 415),  # declared honestly, but not audio
    ],
)
def test_a_wrong_object_is_refused_deleted_and_not_queued(
    app: Flask, wav: bytes, sent: list[uuid.UUID], uploaded: str, code: str, status: int
) -> None:
    client = app.test_client()
    piece_id = make_piece(client)
    body = b"hello, not audio " * 200 if uploaded == "text" else wav
    grant = start(client, piece_id, body).get_json()
    put(grant, body[::-1] if uploaded == "other-bytes" else body)
    refused = complete(client, piece_id, grant["upload_id"])
    assert (refused.status_code, code_of(refused)) == (status, code) and sent == []
    again = complete(client, piece_id, grant["upload_id"])
    assert code_of(again) == "upload_incomplete"  # the object was deleted


def test_a_direct_upload_of_a_text_changed_since_is_refused_and_its_object_deleted(
    app: Flask, wav: bytes, sent: list[uuid.UUID]
) -> None:
    client = app.test_client()
    piece_id = make_piece(client)
    for wrong in ("one", "1", 1.0, True, 0):  # a JSON integer, as the document says
        refused = start(client, piece_id, wav, text_version=wrong)
        assert (refused.status_code, code_of(refused)) == (400, "invalid_text_version"), wrong
    grant = start(client, piece_id, wav, text_version=1).get_json()
    assert put(grant, wav) == 200
    new_text = {"text": "The Lord is my shepherd; I shall not want."}
    changed = client.patch(f"/api/v1/pieces/{piece_id}", json=new_text, headers=bearer_in(client, ADA))
    assert changed.get_json()["text_version"] == 2
    stale = start(client, piece_id, wav, text_version=1)  # refused before the file is sent
    assert (stale.status_code, code_of(stale)) == (409, "piece_text_changed")
    refused = complete(client, piece_id, grant["upload_id"])
    assert (refused.status_code, code_of(refused)) == (409, "piece_text_changed") and sent == []
    again = complete(client, piece_id, grant["upload_id"])
    assert code_of(again) == "upload_incomplete"  # the object was deleted
    fresh = start(client, piece_id, wav, text_version=2).get_json()
    put(fresh, wav)
    assert complete(client, piece_id, fresh["upload_id"]).status_code == 202 and len(sent) == 1


def test_direct_uploads_keep_to_the_queued_attempts_cap(
    gcs_app: Callable[..., Flask], wav: bytes, sent: list[uuid.UUID]
) -> None:
    # Completion inserted without the cap: a learner could queue any number of the
    # largest recordings this way, where a multipart upload stops at the cap.
    client, cap = gcs_app(max_queued_attempts=1).test_client(), "cap-direct"  # no attempts of other tests
    piece_id = make_piece(client, cap)
    first, second = (start(client, piece_id, wav, cap).get_json() for _ in range(2))
    put(first, wav), put(second, wav)
    queued = complete(client, piece_id, first["upload_id"], cap)
    assert queued.status_code == 202
    refused = complete(client, piece_id, second["upload_id"], cap)
    assert (refused.status_code, code_of(refused)) == (429, "too_many_queued_attempts")
    assert "Retry-After" in refused.headers and len(sent) == 1
    late = start(client, piece_id, wav, cap)  # asked for while the queue is full: before the file is sent
    assert (late.status_code, code_of(late)) == (429, "too_many_queued_attempts")
    # The refused upload was kept: once a slot is free the same upload_id completes.
    gone = client.delete(f"/api/v1/attempts/{queued.get_json()['id']}", headers=bearer_in(client, cap))
    assert gone.status_code == 204
    assert complete(client, piece_id, second["upload_id"], cap).status_code == 202 and len(sent) == 2


def test_storage_down_at_completion_is_503_not_nothing_uploaded(
    app: Flask, wav: bytes, sent: list[uuid.UUID], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Any storage error reading the object back said 409 upload_incomplete ("Nothing
    # has been uploaded to the URL yet"): a client told that uploads again, when the
    # file is there and only storage is out of reach for a moment.
    from google.api_core import exceptions as gexc

    client = app.test_client()
    piece_id = make_piece(client)
    grant = start(client, piece_id, wav).get_json()
    assert put(grant, wav) == 200

    def unavailable(*args: object, **kwargs: object) -> None:
        raise gexc.ServiceUnavailable("backend unavailable")

    with monkeypatch.context() as outage:
        outage.setattr(gcs.Blob, "reload", unavailable)
        refused = complete(client, piece_id, grant["upload_id"])
    assert (refused.status_code, code_of(refused)) == (503, "storage_unavailable") and sent == []
    assert "Retry-After" in refused.headers
    assert complete(client, piece_id, grant["upload_id"]).status_code == 202  # the object was kept


def test_storage_dropped_while_the_object_is_read_back_is_503_and_the_object_kept(
    app: Flask, wav: bytes, sent: list[uuid.UUID], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The client library's own error (a dropped connection) reached the web as a 500.
    import requests
    from google.cloud.storage.fileio import BlobReader

    client = app.test_client()
    piece_id = make_piece(client)
    grant = start(client, piece_id, wav).get_json()
    assert put(grant, wav) == 200

    def dropped(self: BlobReader, size: int = -1) -> bytes:
        raise requests.exceptions.ConnectionError("connection reset by peer")

    with monkeypatch.context() as outage:
        outage.setattr(BlobReader, "read", dropped)
        refused = complete(client, piece_id, grant["upload_id"])
    assert (refused.status_code, code_of(refused)) == (503, "storage_unavailable") and sent == []
    assert complete(client, piece_id, grant["upload_id"]).status_code == 202  # the object was kept


def test_uploads_belong_to_their_learner_and_piece(app: Flask, wav: bytes, sent: list[uuid.UUID]) -> None:
    client = app.test_client()
    piece_id, other_piece = make_piece(client), make_piece(client)
    grant = start(client, piece_id, wav).get_json()
    put(grant, wav)
    for response in (
        complete(client, piece_id, grant["upload_id"], MALLORY),
        complete(client, other_piece, grant["upload_id"]),
        complete(client, piece_id, grant["upload_id"][:-3] + "abc"),
        complete(client, piece_id, 12),
    ):
        assert (response.status_code, code_of(response)) == (404, "upload_not_found")
    url = f"/api/v1/pieces/{piece_id}/attempts"
    nothing = client.post(
        url, json={}, headers=bearer_in(client, ADA)
    )  # no upload_id at all: the client's slip
    assert (nothing.status_code, code_of(nothing)) == (400, "missing_field")
    assert sent == []


@pytest.mark.parametrize(
    ("override", "status", "code"),
    [
        ({"size_bytes": 5 << 20}, 413, "recording_too_large"),
        ({"size_bytes": 0}, 400, "empty_recording"),
        ({"sha256": "xyz"}, 400, "invalid_sha256"),
        ({"content_type": "text/html"}, 415, "unsupported_media_type"),
        ({"size_bytes": "12"}, 400, "invalid_json"),
    ],
)
def test_bad_promises_are_refused_before_signing(
    app: Flask, wav: bytes, override: dict[str, object], status: int, code: str
) -> None:
    client = app.test_client()
    response = start(client, make_piece(client), wav, **override)
    assert (response.status_code, code_of(response)) == (status, code)


def test_local_storage_answers_409_direct_upload_unavailable(tmp_path: Path, pg_url: str, wav: bytes) -> None:
    client = create_app(Settings(home=tmp_path, database_url=pg_url), enqueue=lambda _: None).test_client()
    response = start(client, make_piece(client), wav)
    assert (response.status_code, code_of(response)) == (409, "direct_upload_unavailable")
