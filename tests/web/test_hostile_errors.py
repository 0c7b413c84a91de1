"""Issue 19, probes 4, 5, 6 and 12: errors that tell the truth, on real Postgres.

Client mistakes are 400/422 with a specific code (never 503, never 500); every
error, the server's own included, is the JSON error shape; JSON bodies are
held to 1 MB with their own 413 code.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from shared.settings import Settings
from tests.support.auth import as_learner, bearer, token_for
from tests.support.recitations import synthesise
from web import create_app
from web.bodies import MAX_JSON_BYTES
from web.security_headers import HEADERS

LEARNER: dict[str, str] = {}  # the client fixture carries a learner's bearer token


@pytest.fixture
def app(tmp_path: Path, pg_url: str) -> Flask:
    settings = Settings(home=tmp_path, database_url=pg_url, max_upload_bytes=2 * 1024 * 1024)
    sent: list[uuid.UUID] = []
    return create_app(settings, enqueue=sent.append)


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    yield as_learner(app.test_client())


@pytest.fixture(scope="module")
def wav(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return synthesise("The Lord is my shepherd", tmp_path_factory.mktemp("w") / "a.wav").read_bytes()


def code_of(response) -> str:  # type: ignore[no-untyped-def]
    body = response.get_json()
    assert response.mimetype == "application/json", response.data[:200]
    return str(body["error"]["code"])


def make_piece(client: FlaskClient) -> str:
    response = client.post("/api/v1/pieces", json={"title": "Psalm", "text": "The Lord is my shepherd."})
    assert response.status_code == 201
    return str(response.get_json()["id"])


def upload(client: FlaskClient, piece_id: str, body: bytes, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/pieces/{piece_id}/attempts",
        data={"recording": (io.BytesIO(body), "x.wav")},
        headers={**LEARNER, **headers},
        content_type="multipart/form-data",
    )


def stored_objects(app: Flask) -> list[Path]:
    root = Path(app.extensions["recital"].storage.root)
    return [p for p in root.rglob("*") if p.is_file() and ".staging" not in p.parts]


def test_json_bodies_over_one_megabyte_are_413_body_too_large(client: FlaskClient) -> None:
    text = "word " * (MAX_JSON_BYTES // 5 + 10)
    response = client.post("/api/v1/pieces", json={"title": "big", "text": text})
    assert (response.status_code, code_of(response)) == (413, "body_too_large")
    just_under = client.post("/api/v1/pieces", json={"title": "ok", "text": "word " * 1000})
    assert just_under.status_code == 201


def test_a_large_upload_keeps_its_own_413_code(client: FlaskClient, wav: bytes) -> None:
    response = upload(client, make_piece(client), wav[:44] + b"\0" * (3 * 1024 * 1024))
    assert (response.status_code, code_of(response)) == (413, "recording_too_large")


def test_json_sent_without_its_content_type_is_told_so(client: FlaskClient) -> None:
    """QA: a well-formed JSON object sent as text/plain (or with no Content-Type, as a
    client posting a string does) was told to "Send a JSON object", which it had."""
    body = '{"title": "Psalm", "text": "The Lord is my shepherd"}'
    for content_type in ("text/plain", None):
        response = client.post("/api/v1/pieces", data=body, content_type=content_type)
        assert (response.status_code, code_of(response)) == (400, "invalid_json")
        assert "Content-Type: application/json" in response.get_json()["error"]["message"]
    malformed = client.post("/api/v1/pieces", data="{", content_type="application/json")
    assert "Content-Type" not in malformed.get_json()["error"]["message"]


def test_json_nested_5000_deep_is_400_not_500(client: FlaskClient) -> None:
    body = "[" * 5000 + "]" * 5000
    response = client.post("/api/v1/pieces", data=body, content_type="application/json")
    assert (response.status_code, code_of(response)) == (400, "invalid_json")


@pytest.mark.parametrize("field", ["title", "text"])
@pytest.mark.parametrize("bad", ["\\ud800", "\\udfff", "\\u0000"])
def test_lone_surrogates_and_nul_are_422_not_500_or_503(client: FlaskClient, field: str, bad: str) -> None:
    values = {"title": "Psalm", "text": "The Lord is my shepherd"}
    body = json.dumps(values).replace(values[field], values[field] + bad)  # raw JSON escapes
    response = client.post("/api/v1/pieces", data=body, content_type="application/json")
    assert (response.status_code, code_of(response)) == (422, "invalid_characters")
    assert field in response.get_json()["error"]["message"]


ANY_JSON_BODY = [  # (path, body, the field holding the bad character), one per route that reads JSON
    ("/api/v1/auth/sign-in", {"handle": "someone", "password": "pass*word"}, "password"),
    ("/api/v1/auth/sign-up", {"handle": "someone", "password": "a long password*"}, "password"),
    ("/api/v1/auth/password", {"current_password": "x*", "new_password": "long enough"}, "current_password"),
    ("/api/v1/auth/tokens", {"name": "a*b"}, "name"),
    ("/api/v1/admin/rescores", {"learner": "a*b"}, "learner"),
    ("/api/v1/pieces", {"title": "Psalm", "text": "The Lord", "extra": ["ok", {"k": "*"}]}, "k"),
]


@pytest.mark.parametrize("bad", ["\\ud800", "\\u0000"])
@pytest.mark.parametrize(("path", "values", "field"), ANY_JSON_BODY)
def test_every_json_body_with_nul_or_a_lone_surrogate_is_422(
    app: Flask, path: str, values: dict[str, object], field: str, bad: str
) -> None:
    client, headers = app.test_client(), {}
    if "admin" in path:
        headers = bearer(token_for(app.extensions["recital"].settings, role="admin"))
    elif "sign-" not in path:
        client = as_learner(client)
    body = json.dumps(values).replace("*", bad)  # raw JSON escapes
    response = client.post(path, data=body, content_type="application/json", headers=headers)
    assert (response.status_code, code_of(response)) == (422, "invalid_characters"), response.get_json()
    assert field in response.get_json()["error"]["message"]


def test_a_paired_surrogate_is_an_ordinary_character(client: FlaskClient) -> None:
    body = '{"title": "Psalm \\ud83c\\udfb5", "text": "The Lord is my shepherd"}'
    response = client.post("/api/v1/pieces", data=body, content_type="application/json")
    assert response.status_code == 201 and response.get_json()["title"] == "Psalm \U0001f3b5"


@pytest.mark.parametrize("path", ["/api/v1/pieces", "/api/v1/attempts"])
def test_offset_past_a_bigint_is_400_invalid_page(client: FlaskClient, path: str) -> None:
    for offset, status in ((2**63, 400), (10**30, 400), (2**63 - 1, 200)):
        response = client.get(f"{path}?offset={offset}", headers=LEARNER)
        assert response.status_code == status, (offset, response.data[:200])
        if status == 400:
            assert code_of(response) == "invalid_page"


@pytest.mark.parametrize("key", ["k" * 201, "with space", "tab\there", "caf\u00e9", "nul\u0001x"])
def test_a_bad_idempotency_key_is_400_and_stores_nothing(
    app: Flask, client: FlaskClient, wav: bytes, key: str
) -> None:
    piece_id = make_piece(client)
    before = stored_objects(app)
    response = upload(client, piece_id, wav, **{"Idempotency-Key": key})
    assert (response.status_code, code_of(response)) == (400, "idempotency_key_invalid")
    assert stored_objects(app) == before
    longest = upload(client, piece_id, wav, **{"Idempotency-Key": uuid.uuid4().hex + "k" * 168})
    assert longest.status_code == 202


def test_every_error_is_the_json_shape(app: Flask) -> None:
    def explode() -> str:
        raise RuntimeError("a bug of ours")

    app.add_url_rule("/explode", "explode", explode)
    client = app.test_client()
    assert (client.get("/nowhere").status_code, code_of(client.get("/nowhere"))) == (404, "not_found")
    wrong_verb = client.delete("/api/v1/pieces")
    assert (wrong_verb.status_code, code_of(wrong_verb)) == (405, "method_not_allowed")
    assert set(wrong_verb.headers["Allow"].split(", ")) >= {"GET", "POST"}  # RFC 9110: a 405 says what is
    ours = client.get("/explode")
    assert (ours.status_code, code_of(ours)) == (500, "internal_error")
    assert "a bug of ours" not in ours.get_data(as_text=True)


def test_no_html_redirects_for_slashes(client: FlaskClient) -> None:
    for path in ("/health", "/health/"):
        response = client.get(path)
        assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    doubled = client.get("/api//v1/pieces")
    assert doubled.status_code == 404 and code_of(doubled) == "not_found"
    trailing = client.get("/api/v1/pieces/")
    assert trailing.status_code in (200, 404) and trailing.mimetype == "application/json"


def test_security_headers_on_every_response(client: FlaskClient) -> None:
    for response in (client.get("/health/"), client.get("/nowhere"), client.get("/api/v1/pieces")):
        for name, value in HEADERS.items():
            assert response.headers[name] == value
    csp = HEADERS["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp


def test_a_missing_field_is_named_as_missing(app: Flask) -> None:
    client = app.test_client()
    for body, field in (({"handle": "someone"}, "password"), ({"password": "long enough"}, "handle")):
        response = client.post("/api/v1/auth/sign-in", json=body)
        assert (response.status_code, code_of(response)) == (400, "missing_field")
        assert response.get_json()["error"]["message"] == f"Send {field}."


def test_a_page_out_of_range_is_refused_with_the_ranges(client: FlaskClient) -> None:
    messages = set()
    for query in ("limit=-1", "limit=0", "limit=1000", "offset=x", f"offset={2**63}"):
        response = client.get(f"/api/v1/pieces?{query}")
        assert (response.status_code, code_of(response)) == (400, "invalid_page"), query
        messages.add(response.get_json()["error"]["message"])
    assert len(messages) == 1 and "limit from 1 to" in messages.pop()  # one message, both ranges
