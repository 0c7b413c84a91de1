"""The authorisation matrix: learner A's credentials against learner B's ids on every
endpoint and verb, with B's real ids, their sequential neighbours and random ids.

Every such request is answered exactly as an unknown id (same status, same bytes),
and nothing of B's shows up anywhere A can read; learners on admin routes get 403;
anonymous callers get 401. Counts are printed for the issue's note.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from shared.db.migrate import upgrade
from shared.settings import Settings
from tests.support.auth import as_learner, bearer, token_for
from tests.support.recitations import synthesise
from web import create_app

VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE")
PUBLIC_ENDPOINTS = {
    "auth.sign_up",
    "auth.sign_in",
    "auth.sign_out",  # signing out with no session is a no-op (204), as with a dead cookie
    "health.live",
    "health.ready",
    "openapi.document",
    "playback.play",
}
# The learner pages a visitor may open; every other page, and every form posted
# without a session, sends them to sign in (302), never JSON.
PUBLIC_PAGES = {
    "pages.home",
    "pages.sign_in",
    "pages.sign_in_submit",
    "pages.sign_up",
    "pages.sign_up_submit",
}


@dataclass
class World:
    app: Flask
    a: FlaskClient
    b: FlaskClient
    b_ids: dict[str, list[str]]  # kind -> B's private ids
    b_secrets: list[str]  # strings only B may ever see
    wav: bytes
    counts: Counter[str] = field(default_factory=Counter)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, pg_url: str) -> Iterator[World]:
    home = tmp_path_factory.mktemp("matrix")
    settings = Settings(home=home, database_url=pg_url, rate_limits_enabled=False)
    upgrade(settings)
    app = create_app(settings, enqueue=lambda _id: None)
    wav = synthesise("The Lord is my shepherd", home / "a.wav").read_bytes()
    a, b = as_learner(app.test_client()), as_learner(app.test_client())
    secret_text = f"B's secret text {uuid.uuid4().hex}"
    piece = b.post("/api/v1/pieces", json={"title": "B private", "text": secret_text}).get_json()
    attempts = [_upload(b, piece["id"], wav).get_json()["id"] for _ in range(2)]
    token = b.post("/api/v1/auth/tokens", json={"name": "b-laptop"}).get_json()
    b_user = b.get("/api/v1/auth/me").get_json()["user"]
    b_ids = {"piece": [piece["id"]], "attempt": attempts, "token": [token["id"]], "user": [b_user["id"]]}
    sha = b.get(f"/api/v1/attempts/{attempts[0]}").get_json()["sha256"]
    secrets = [secret_text, b_user["handle"], token["prefix"], sha, *attempts, piece["id"], token["id"]]
    yield World(app, a, b, b_ids, secrets, wav)
    app.extensions["recital"].engine.dispose()


def _upload(client: FlaskClient, piece_id: str, wav: bytes) -> Any:
    data = {"recording": (io.BytesIO(wav), "a.wav")}
    return client.post(f"/api/v1/pieces/{piece_id}/attempts", data=data, content_type="multipart/form-data")


def neighbours(value: str) -> list[str]:
    """Ids next to a real one (the last hex digit stepped), as a guesser would try."""
    number = uuid.UUID(value).int
    return [str(uuid.UUID(int=(number + step) % 2**128)) for step in (-1, 1)]


def routes(app: Flask) -> list[tuple[str, str, str]]:
    """(rule, endpoint, its id parameter or '') for every route."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        params = re.findall(r"<(?:[^:>]+:)?([^>]+)>", rule.rule)
        found.append((rule.rule, rule.endpoint, params[0] if params else ""))
    return found


def call(world: World, client: FlaskClient, verb: str, path: str, extra: dict[str, str] | None = None) -> Any:
    kwargs: dict[str, Any] = {"headers": extra or {}}
    if path.endswith("/attempts") and verb == "POST":
        kwargs |= {
            "data": {"recording": (io.BytesIO(world.wav), "a.wav")},
            "content_type": "multipart/form-data",
        }
    elif path.endswith("/uploads") and verb == "POST":  # a valid promise, so only the id can fail
        promise = {"content_type": "audio/wav", "size_bytes": len(world.wav), "sha256": "0" * 64}
        kwargs["json"] = promise
    elif verb == "PATCH":  # a piece change names only its own fields (unknown ones are 422)
        kwargs["json"] = {"title": "t"}
    elif verb in ("POST", "PUT"):
        kwargs["json"] = {
            "title": "t",
            "text": "words",
            "name": "n",
            "current_password": "x",
            "new_password": "y",
        }
    return client.open(path, method=verb, **kwargs)


def assert_no_leak(world: World, response: Any, where: str) -> None:
    body = _readable(response)
    leaked = [s for s in world.b_secrets if s in body]
    assert not leaked, f"{where} leaked {leaked}"
    world.counts["bytes_leaked"] += sum(len(s) for s in leaked)


def _readable(response: Any) -> str:
    """The body as text; an archive's (the data export's) is every member's, read."""
    if response.mimetype != "application/zip":
        return str(response.get_data(as_text=True))
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_learner_a_gets_nothing_of_learner_bs(world: World) -> None:
    allowed: dict[str, set[str]] = {}
    for rule in world.app.url_map.iter_rules():
        allowed.setdefault(rule.rule, set()).update(rule.methods or set())
    for rule, endpoint, param in routes(world.app):
        if not param:
            continue
        kind = param.removesuffix("_id")
        for verb in VERBS:
            unknown = call(world, world.a, verb, rule.replace(f"<{param}>", str(uuid.uuid4())))
            for target in _targets(world, kind):
                response = call(world, world.a, verb, rule.replace(f"<{param}>", target))
                world.counts["requests"] += 1
                assert_no_leak(world, response, f"{verb} {rule}")
                if verb not in allowed[rule]:
                    expected = 405
                elif endpoint.startswith("admin."):
                    expected = 403
                elif endpoint == "playback.play":  # a recording link, not an id: a forged one is 403
                    expected = 403
                else:
                    expected = 404
                assert response.status_code == expected, (verb, rule, target, response.get_json())
                world.counts[str(expected)] += 1
                if expected == 404 or endpoint == "playback.play":  # as an unknown id gets, byte for byte
                    assert response.get_data() == unknown.get_data(), (verb, rule)
                    world.counts["identical_to_unknown"] += 1
    print(f"authorisation matrix: {dict(world.counts)}")
    assert world.counts["identical_to_unknown"] >= world.counts["404"] > 0
    assert world.counts["bytes_leaked"] == 0


def _targets(world: World, kind: str) -> list[str]:
    """B's ids of this kind and every other kind (a piece id where an attempt's goes),
    their neighbours, and random ids."""
    real = [v for values in world.b_ids.values() for v in values]
    mine_first = world.b_ids.get(kind, []) + [v for v in real if v not in world.b_ids.get(kind, [])]
    return mine_first + [n for v in mine_first for n in neighbours(v)] + [str(uuid.uuid4()) for _ in range(3)]


def test_a_reads_no_b_data_in_any_listing(world: World) -> None:
    for rule, _endpoint, param in routes(world.app):
        if param:
            continue
        response = world.a.get(rule)
        assert_no_leak(world, response, f"GET {rule}")
        if rule.startswith("/api/v1/admin"):
            assert response.status_code == 403 and response.get_json()["error"]["code"] == "admin_only"


def test_b_still_has_everything(world: World) -> None:
    for attempt in world.b_ids["attempt"]:
        assert world.b.get(f"/api/v1/attempts/{attempt}").status_code == 200
    assert world.b.get(f"/api/v1/pieces/{world.b_ids['piece'][0]}").status_code == 200
    tokens = [t["id"] for t in world.b.get("/api/v1/auth/tokens").get_json()["items"]]
    assert set(world.b_ids["token"]) <= set(tokens)
    stored = list(Path(world.app.extensions["recital"].settings.home, "storage", "attempts").rglob("*.wav"))
    assert len(stored) == 2


def test_anonymous_callers_get_401_everywhere_but_the_public_routes(world: World) -> None:
    anonymous = world.app.test_client()
    count = 0
    for rule, endpoint, param in routes(world.app):
        path = rule.replace(f"<{param}>", world.b_ids.get(param.removesuffix("_id"), [str(uuid.uuid4())])[0])
        for verb in sorted(next(r.methods for r in world.app.url_map.iter_rules() if r.rule == rule) or ()):
            if verb in ("HEAD", "OPTIONS") or endpoint in PUBLIC_ENDPOINTS | PUBLIC_PAGES:
                continue
            response = call(world, anonymous, verb, path)
            assert_no_leak(world, response, f"anonymous {verb} {rule}")
            count += 1
            if endpoint.startswith("pages."):  # a page, or a form posted with no session: sign in
                assert response.status_code == 302, (verb, rule)
                assert response.headers["Location"].startswith("/sign-in?next="), (verb, rule)
                continue
            assert response.status_code == 401, (verb, rule)
            assert response.get_json()["error"]["code"] == "authentication_required"
    print(f"anonymous: {count} requests, all 401 (pages: a redirect to sign in)")
    assert count > 10


def test_admin_routes_need_an_admin(world: World) -> None:
    admin = bearer(token_for(world.app.extensions["recital"].settings, role="admin"))
    listed = world.app.test_client().get("/api/v1/admin/users", headers=admin)
    assert listed.status_code == 200 and listed.get_json()["total"] >= 3
