"""The HTTP contract of API v1 on the embedded database: statuses, codes, headers.

Task sending is captured here so each error path can be checked in isolation;
the real Celery path is covered in tests/integration.
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from shared.db.migrate import upgrade
from shared.settings import Settings
from tests.support.auth import as_learner
from tests.support.recitations import synthesise
from web import create_app

LEARNER: dict[str, str] = {}  # each client below carries its learner's bearer token


class SentTasks(list[uuid.UUID]):
    def __init__(self, fail: bool = False) -> None:
        super().__init__()
        self.fail = fail

    def __call__(self, attempt_id: uuid.UUID) -> None:
        if self.fail:
            raise ConnectionError("broker down")
        self.append(attempt_id)


@pytest.fixture
def sent() -> SentTasks:
    return SentTasks()


@pytest.fixture
def client(tmp_path: Path, sent: SentTasks) -> FlaskClient:
    settings = Settings(home=tmp_path, max_upload_bytes=2 * 1024 * 1024)
    upgrade(settings)
    return as_learner(create_app(settings, enqueue=sent).test_client())


@pytest.fixture(scope="module")
def wav(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return synthesise("The Lord is my shepherd", tmp_path_factory.mktemp("w") / "a.wav").read_bytes()


def make_piece(client: FlaskClient) -> str:
    response = client.post("/api/v1/pieces", json={"title": "Psalm", "text": "The Lord is my shepherd."})
    assert response.status_code == 201
    assert response.headers["Location"].endswith(response.get_json()["id"])
    return str(response.get_json()["id"])


def post_recording(client: FlaskClient, piece_id: str, body: bytes, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/pieces/{piece_id}/attempts",
        data={"recording": (io.BytesIO(body), "x.wav")},
        headers={**LEARNER, **headers},
        content_type="multipart/form-data",
    )


def error_code(response) -> str:  # type: ignore[no-untyped-def]
    return str(response.get_json()["error"]["code"])


def test_pieces_are_created_listed_and_read(client: FlaskClient) -> None:
    piece_id = make_piece(client)
    listed = client.get("/api/v1/pieces?limit=1").get_json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == piece_id
    assert client.get(f"/api/v1/pieces/{piece_id}").get_json()["word_count"] == 5


def test_pieces_are_searched_in_title_and_text_in_the_database(client: FlaskClient) -> None:
    def titles(query: str, limit: int = 50) -> tuple[list[str], int]:
        page = client.get("/api/v1/pieces", query_string={"q": query, "limit": limit}).get_json()
        return [item["title"] for item in page["items"]], page["total"]

    for title, text in [
        ("Psalm 23", "The Lord is my shepherd."),
        ("Gettysburg", "Four score and seven years ago"),
        ("Percent", "A 100% literal_match here."),
        *[(f"Filler {n}", "nothing to see") for n in range(5)],
        ("Ozymandias", "I met a traveller from an antique land"),
        ("Ça va", "Naïve ÉCOLE İstanbul"),
    ]:
        assert client.post("/api/v1/pieces", json={"title": title, "text": text}).status_code == 201
    assert titles("SHEPHERD") == (["Psalm 23"], 1)  # text, any case
    assert titles("gettys") == (["Gettysburg"], 1)  # title
    assert titles("antique", limit=1) == (["Ozymandias"], 1)  # past the first page of all pieces
    assert titles("100%") == (["Percent"], 1) and titles("%") == (["Percent"], 1)  # wildcards are literal
    assert titles("t_r") == ([], 0) and titles("l_match") == (["Percent"], 1)  # "_" is no wildcard
    assert titles("  ")[1] == 10  # blank: every piece
    # Every letter in any case, as Postgres folds them (SQLite's own lower() folds ASCII alone).
    assert titles("ça") == titles("ÇA") == titles("NAÏVE") == titles("école") == (["Ça va"], 1)
    assert titles("istanbul") == (["Ça va"], 1)  # "İ" folds to one letter, as in Postgres
    assert titles("no such words") == ([], 0)
    response = client.get("/api/v1/pieces", query_string={"q": "x" * 201})
    assert response.status_code == 400 and error_code(response) == "search_too_long"
    response = client.get("/api/v1/pieces", query_string={"q": "a\x00b"})
    assert response.status_code == 400 and error_code(response) == "invalid_search"


def test_another_learners_private_piece_is_never_found_by_search(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    upgrade(settings)
    app = create_app(settings, enqueue=SentTasks())
    owner, other = as_learner(app.test_client()), as_learner(app.test_client())
    owner.post("/api/v1/pieces", json={"title": "Diary", "text": "secret words"})
    shared = {"title": "Shared", "text": "secret but public", "visibility": "public"}
    owner.post("/api/v1/pieces", json=shared)
    found = other.get("/api/v1/pieces?q=secret").get_json()
    assert [item["title"] for item in found["items"]] == ["Shared"] and found["total"] == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"title": "", "text": "words"}, 422, "title_required"),
        ({"title": "t" * 301, "text": "words"}, 422, "title_too_long"),
        ({"title": "t", "text": "..."}, 422, "text_required"),
        ({"title": 3, "text": "x"}, 422, "invalid_piece"),
        ({"title": None, "text": "x"}, 422, "invalid_piece"),
        ({"text": "words"}, 400, "missing_field"),
        ({"title": "t"}, 400, "missing_field"),
        ("not json", 400, "invalid_json"),
    ],
)
def test_bad_pieces_are_rejected_with_codes(
    client: FlaskClient, body: object, status: int, code: str
) -> None:
    response = (
        client.post("/api/v1/pieces", json=body)
        if isinstance(body, dict)
        else client.post("/api/v1/pieces", data=body, content_type="text/plain")
    )
    assert (response.status_code, error_code(response)) == (status, code)


def test_unknown_ids_are_404_json(client: FlaskClient) -> None:
    for url in (f"/api/v1/pieces/{uuid.uuid4()}", "/api/v1/pieces/not-a-uuid"):
        response = client.get(url)
        assert response.status_code == 404 and error_code(response) == "piece_not_found"
    response = client.get(f"/api/v1/attempts/{uuid.uuid4()}", headers=LEARNER)
    assert response.status_code == 404 and error_code(response) == "attempt_not_found"
    assert error_code(client.get("/nowhere")) == "not_found"


def test_upload_is_stored_recorded_and_sent_after_commit(
    client: FlaskClient, wav: bytes, sent: SentTasks
) -> None:
    response = post_recording(client, make_piece(client), wav)
    assert response.status_code == 202
    attempt_id = response.get_json()["id"]
    assert response.headers["Retry-After"] == "2"
    assert sent == [uuid.UUID(attempt_id)]
    view = client.get(f"/api/v1/attempts/{attempt_id}", headers=LEARNER).get_json()
    assert view["status"] == "queued" and view["format"] == "wav" and view["size_bytes"] == len(wav)


def test_upload_errors(client: FlaskClient, wav: bytes) -> None:
    piece_id = make_piece(client)
    anonymous = client.application.test_client().post(f"/api/v1/pieces/{piece_id}/attempts", data={})
    assert (anonymous.status_code, error_code(anonymous)) == (401, "authentication_required")
    no_field = client.post(f"/api/v1/pieces/{piece_id}/attempts", headers=LEARNER, data={})
    assert (no_field.status_code, error_code(no_field)) == (400, "recording_required")
    text = post_recording(client, piece_id, b"hello, this is not audio at all" * 10)
    assert (text.status_code, error_code(text)) == (415, "unsupported_format")
    empty = post_recording(client, piece_id, b"")
    assert (empty.status_code, error_code(empty)) == (400, "empty_recording")
    huge = post_recording(client, piece_id, wav[:44] + b"\0" * (3 * 1024 * 1024))
    assert huge.status_code == 413 and error_code(huge) == "recording_too_large"
    other_piece = post_recording(client, str(uuid.uuid4()), wav)
    assert other_piece.status_code == 404


def test_idempotency_key_replays_the_first_attempt(client: FlaskClient, wav: bytes, sent: SentTasks) -> None:
    piece_id = make_piece(client)
    first = post_recording(client, piece_id, wav, **{"Idempotency-Key": "k1"}).get_json()
    again = post_recording(client, piece_id, wav, **{"Idempotency-Key": "k1"}).get_json()
    assert first["id"] == again["id"] and first["created"] and not again["created"]
    assert len(sent) == 1


def test_broker_down_still_accepts_the_upload(tmp_path: Path, wav: bytes) -> None:
    settings = Settings(home=tmp_path)
    upgrade(settings)
    client = as_learner(create_app(settings, enqueue=SentTasks(fail=True)).test_client())
    response = post_recording(client, make_piece(client), wav)
    assert response.status_code == 202
    view = client.get(f"/api/v1/attempts/{response.get_json()['id']}", headers=LEARNER).get_json()
    assert view["status"] == "queued"


def test_attempts_are_private_and_paginated(client: FlaskClient, wav: bytes) -> None:
    piece_id = make_piece(client)
    ids = [post_recording(client, piece_id, wav).get_json()["id"] for _ in range(3)]
    page = client.get("/api/v1/attempts?limit=2", headers=LEARNER).get_json()
    assert page["total"] == 3 and len(page["items"]) == 2
    assert {i["id"] for i in page["items"]} <= set(ids)
    stranger = as_learner(client.application.test_client())
    assert stranger.get(f"/api/v1/attempts/{ids[0]}").status_code == 404
    assert stranger.get("/api/v1/attempts").get_json()["total"] == 0
    bad = client.get("/api/v1/attempts?limit=0", headers=LEARNER)
    assert (bad.status_code, error_code(bad)) == (400, "invalid_page")


def test_attempts_list_by_piece(client: FlaskClient, wav: bytes) -> None:
    first, second = make_piece(client), make_piece(client)
    on_first = {post_recording(client, first, wav).get_json()["id"] for _ in range(2)}
    post_recording(client, second, wav)
    listed = client.get(f"/api/v1/attempts?piece_id={first}", headers=LEARNER).get_json()
    assert listed["total"] == 2 and {i["id"] for i in listed["items"]} == on_first
    queued = client.get(f"/api/v1/attempts?piece_id={second}&status=queued", headers=LEARNER).get_json()
    assert queued["total"] == 1 and queued["items"][0]["piece_id"] == second
    unknown = client.get(f"/api/v1/attempts?piece_id={uuid.uuid4()}", headers=LEARNER).get_json()
    assert unknown["total"] == 0
    bad = client.get("/api/v1/attempts?piece_id=psalm-23", headers=LEARNER)
    assert (bad.status_code, error_code(bad)) == (400, "invalid_piece_id")


def test_health_and_readiness(client: FlaskClient) -> None:
    assert client.get("/health/").get_json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.get_json()["checks"]["database"] == "ok"


def test_storage_down_is_not_ready_and_the_probe_names_no_path(tmp_path: Path, sent: SentTasks) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the storage directory should be")
    settings = Settings(home=tmp_path, storage_url=(blocked / "storage").as_uri())
    upgrade(settings)
    ready = create_app(settings, enqueue=sent).test_client().get("/ready")
    assert ready.status_code == 503 and ready.headers["Retry-After"]
    assert ready.get_json()["checks"]["storage"] == "error: StorageError"
    assert str(tmp_path) not in ready.get_data(as_text=True)


def test_database_down_is_503_with_retry_after(tmp_path: Path, sent: SentTasks) -> None:
    from tests.support.stack import free_port

    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nothing"
    client = create_app(Settings(home=tmp_path, database_url=url), enqueue=sent).test_client()
    response = client.get("/api/v1/pieces", headers={"Authorization": "Bearer rct_anything"})
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert error_code(response) == "database_unavailable"
    assert client.get("/ready").status_code == 503


def test_stored_recording_is_the_upload_and_nothing_is_left_staged(tmp_path: Path, wav: bytes) -> None:
    import hashlib

    settings = Settings(home=tmp_path, max_upload_bytes=2 * 1024 * 1024)
    upgrade(settings)
    client = as_learner(create_app(settings, enqueue=SentTasks()).test_client())
    piece_id = make_piece(client)
    accepted = post_recording(client, piece_id, wav).get_json()
    rejected = post_recording(client, piece_id, b"not audio" * 100)
    # Past the service's limit but inside Werkzeug's multipart allowance: the staged file stops it.
    too_big = post_recording(client, piece_id, wav[:44] + b"\0" * (2 * 1024 * 1024))
    assert (rejected.status_code, too_big.status_code) == (415, 413)
    view = client.get(f"/api/v1/attempts/{accepted['id']}", headers=LEARNER).get_json()
    stored = list((tmp_path / "storage" / "attempts").rglob("*.wav"))
    assert len(stored) == 1 and stored[0].read_bytes() == wav
    assert view["sha256"] == hashlib.sha256(wav).hexdigest()
    assert list((tmp_path / "storage" / ".staging").iterdir()) == []


def test_a_piece_is_changed_by_its_owner_and_its_text_fixed_once_recited(
    client: FlaskClient, wav: bytes
) -> None:
    piece_id = make_piece(client)
    renamed = client.patch(f"/api/v1/pieces/{piece_id}", json={"title": "Psalm 23", "visibility": "public"})
    assert renamed.status_code == 200
    assert (renamed.get_json()["title"], renamed.get_json()["visibility"]) == ("Psalm 23", "public")
    fixed = client.patch(
        f"/api/v1/pieces/{piece_id}", json={"text": "The Lord is my shepherd; I shall not want."}
    )
    assert fixed.get_json()["word_count"] == 9
    stranger = as_learner(client.application.test_client())
    refused = stranger.patch(f"/api/v1/pieces/{piece_id}", json={"title": "Mine now"})
    assert (refused.status_code, error_code(refused)) == (403, "not_owner")
    assert (stranger.delete(f"/api/v1/pieces/{piece_id}").status_code, error_code(refused)) == (
        403,
        "not_owner",
    )
    post_recording(stranger, piece_id, wav)
    recited = client.patch(f"/api/v1/pieces/{piece_id}", json={"text": "Something else"})
    assert (recited.status_code, error_code(recited)) == (409, "piece_has_attempts")
    hidden = client.patch(f"/api/v1/pieces/{piece_id}", json={"visibility": "private"})
    assert (hidden.status_code, error_code(hidden)) == (409, "piece_in_use")
    kept = client.delete(f"/api/v1/pieces/{piece_id}")
    assert (kept.status_code, error_code(kept)) == (409, "piece_in_use")
    wrong = client.patch(f"/api/v1/pieces/{piece_id}", json={"title": 5})
    assert (wrong.status_code, error_code(wrong)) == (422, "invalid_piece")
    misspelt = client.patch(f"/api/v1/pieces/{piece_id}", json={"visiblity": "private"})
    assert (misspelt.status_code, error_code(misspelt)) == (422, "invalid_piece_change")
    assert "visiblity" in misspelt.get_json()["error"]["message"]
    assert error_code(client.patch(f"/api/v1/pieces/{piece_id}", json={})) == "invalid_piece_change"
    for null in ({"title": None}, {"visibility": None}, {"text": None}):  # a null changes nothing: said so
        refused = client.patch(f"/api/v1/pieces/{piece_id}", json=null)
        assert (refused.status_code, error_code(refused)) == (422, "invalid_piece"), null
    sharing = {"title": "t", "text": "w", "visiblity": "public"}
    misspelt_new = client.post("/api/v1/pieces", json=sharing)  # not a private piece made unnoticed
    assert (misspelt_new.status_code, error_code(misspelt_new)) == (422, "invalid_piece")
    assert "visiblity" in misspelt_new.get_json()["error"]["message"]
    null_visibility = client.post("/api/v1/pieces", json={"title": "t", "text": "w", "visibility": None})
    assert null_visibility.status_code == 422
    assert client.get(f"/api/v1/pieces/{piece_id}").get_json()["visibility"] == "public"
    empty = client.post("/api/v1/pieces", json={"title": "t", "text": "w", "visibility": ""})
    assert (empty.status_code, error_code(empty)) == (422, "invalid_visibility")
    assert (
        client.get(f"/api/v1/pieces/{piece_id}").get_json()["text"]
        == "The Lord is my shepherd; I shall not want."
    )


def test_deleting_a_piece_deletes_the_owners_attempts_on_it(client: FlaskClient, wav: bytes) -> None:
    piece_id, other = make_piece(client), make_piece(client)
    on_piece = post_recording(client, piece_id, wav).get_json()["id"]
    elsewhere = post_recording(client, other, wav).get_json()["id"]
    assert client.delete(f"/api/v1/pieces/{piece_id}").status_code == 204
    assert client.get(f"/api/v1/pieces/{piece_id}").status_code == 404
    assert client.get(f"/api/v1/attempts/{on_piece}").status_code == 404
    assert client.get(f"/api/v1/attempts/{elsewhere}").status_code == 200
    assert client.delete(f"/api/v1/pieces/{piece_id}").status_code == 404


def test_a_piece_made_private_takes_no_more_uploads_from_others(client: FlaskClient, wav: bytes) -> None:
    piece_id = make_piece(client)
    client.patch(f"/api/v1/pieces/{piece_id}", json={"visibility": "public"})
    stranger = as_learner(client.application.test_client())
    refused = post_recording(stranger, piece_id, b"not audio at all, but the piece was allowed" * 10)
    assert refused.status_code in (415, 422)  # nothing stored, so nothing keeps the piece shared
    assert client.patch(f"/api/v1/pieces/{piece_id}", json={"visibility": "private"}).status_code == 200
    after = post_recording(stranger, piece_id, wav)
    assert (after.status_code, error_code(after)) == (404, "piece_not_found")
    assert post_recording(client, piece_id, wav).status_code == 202  # the owner still records


def test_a_recording_of_a_text_changed_since_is_refused_and_not_kept(tmp_path: Path, wav: bytes) -> None:
    settings = Settings(home=tmp_path, max_upload_bytes=2 * 1024 * 1024)
    upgrade(settings)
    client = as_learner(create_app(settings, enqueue=SentTasks()).test_client())
    piece_id = make_piece(client)
    assert client.get(f"/api/v1/pieces/{piece_id}").get_json()["text_version"] == 1
    changed = client.patch(
        f"/api/v1/pieces/{piece_id}", json={"text": "The Lord is my shepherd; I shall not want."}
    )
    assert changed.get_json()["text_version"] == 2
    stale = post_recording_of(client, piece_id, wav, "1")
    assert (stale.status_code, error_code(stale)) == (409, "piece_text_changed")
    assert "changed after you opened it" in stale.get_json()["error"]["message"]
    assert client.get("/api/v1/attempts").get_json()["total"] == 0
    assert not [p for p in (tmp_path / "storage" / "attempts").rglob("*") if p.is_file()]  # nothing kept
    for wrong in ("0", "two", "-1", "1.5", str(2**31), "0002", "", " 2"):
        refused = post_recording_of(client, piece_id, wav, wrong)
        assert (refused.status_code, error_code(refused)) == (400, "invalid_text_version"), wrong
    ahead = post_recording_of(client, piece_id, wav, "3")  # a version the text never had
    assert (ahead.status_code, error_code(ahead)) == (400, "invalid_text_version")
    assert post_recording_of(client, piece_id, wav, "2").status_code == 202
    assert len([p for p in (tmp_path / "storage" / "attempts").rglob("*") if p.is_file()]) == 1
    renamed = client.patch(f"/api/v1/pieces/{piece_id}", json={"title": "Psalm 23"})  # the text stays
    assert renamed.get_json()["text_version"] == 2


def post_recording_of(client: FlaskClient, piece_id: str, body: bytes, text_version: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/pieces/{piece_id}/attempts",
        data={"text_version": text_version, "recording": (io.BytesIO(body), "x.wav")},
        headers=LEARNER,
        content_type="multipart/form-data",
    )
