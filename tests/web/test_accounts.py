"""Accounts through the HTTP API: sign-up, sign-in, cookie sessions with CSRF, API tokens."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from shared.db import models
from shared.db.migrate import upgrade
from shared.settings import Settings
from tests.support.auth import PASSWORD, as_learner, bearer, issue_token, new_handle, sign_up
from web import create_app


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    settings = Settings(home=tmp_path)
    upgrade(settings)
    return create_app(settings, enqueue=lambda _id: None)


def code(response) -> str:  # type: ignore[no-untyped-def]
    return str(response.get_json()["error"]["code"])


def test_sign_up_signs_in_with_a_hardened_cookie(app: Flask) -> None:
    client = app.test_client()
    body = sign_up(client, "ada")
    assert body["user"]["handle"] == "ada" and body["user"]["role"] == "learner" and body["csrf_token"]
    cookie = client.get_cookie("recital_session")
    assert cookie is not None and cookie.http_only and cookie.secure and cookie.same_site == "Lax"
    assert client.get("/api/v1/auth/me").get_json()["user"]["handle"] == "ada"
    with app.extensions["recital"].uow() as uow:  # argon2id, never the password itself
        stored = uow.session.scalar(select(models.User.password_hash).where(models.User.handle == "ada"))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


def test_cookies_are_not_secure_in_development(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, environment="development")
    upgrade(settings)
    client = create_app(settings, enqueue=lambda _id: None).test_client()
    sign_up(client)
    cookie = client.get_cookie("recital_session")
    assert cookie is not None and not cookie.secure and cookie.http_only


def test_sign_up_and_sign_in_errors(app: Flask) -> None:
    client = app.test_client()
    sign_up(client, "bob")
    again = client.post("/api/v1/auth/sign-up", json={"handle": "bob", "password": PASSWORD})
    assert (again.status_code, code(again)) == (409, "handle_taken")
    weak = client.post("/api/v1/auth/sign-up", json={"handle": "carol", "password": "short"})
    assert (weak.status_code, code(weak)) == (422, "weak_password")
    bad_handle = client.post("/api/v1/auth/sign-up", json={"handle": "../x", "password": PASSWORD})
    assert (bad_handle.status_code, code(bad_handle)) == (422, "invalid_handle")
    wrong = client.post("/api/v1/auth/sign-in", json={"handle": "bob", "password": "not the password"})
    unknown = client.post("/api/v1/auth/sign-in", json={"handle": "nobody", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()  # no telling which handles exist
    fresh = app.test_client()
    right = fresh.post("/api/v1/auth/sign-in", json={"handle": "bob", "password": PASSWORD})
    assert right.status_code == 200 and fresh.get("/api/v1/auth/me").status_code == 200


def test_unsafe_requests_on_a_cookie_session_need_the_csrf_token(app: Flask) -> None:
    client = app.test_client()
    csrf = sign_up(client)["csrf_token"]
    piece = {"title": "Psalm", "text": "The Lord is my shepherd."}
    missing = client.post("/api/v1/pieces", json=piece)
    forged = client.post("/api/v1/pieces", json=piece, headers={"X-CSRF-Token": "guess"})
    assert (missing.status_code, code(missing)) == (403, "csrf_failed")
    assert (forged.status_code, code(forged)) == (403, "csrf_failed")
    assert client.post("/api/v1/pieces", json=piece, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert client.get("/api/v1/pieces").get_json()["total"] == 1  # safe methods need none
    form = client.post("/api/v1/auth/sign-out", data={"csrf_token": csrf})  # a page's form field
    assert form.status_code == 204


def test_sign_out_ends_the_session_for_good(app: Flask) -> None:
    client = app.test_client()
    csrf = sign_up(client)["csrf_token"]
    cookie = client.get_cookie("recital_session")
    assert cookie is not None
    assert client.post("/api/v1/auth/sign-out", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get_cookie("recital_session") is None
    replay = app.test_client()
    replay.set_cookie("recital_session", cookie.value)
    assert replay.get("/api/v1/auth/me").status_code == 401


def test_signing_out_with_a_dead_cookie_clears_it(app: Flask) -> None:
    """A session ended elsewhere (another tab signed out) leaves a cookie that names
    nothing: signing out is what the learner asked for, so it is cleared, not a 401."""
    client = app.test_client()
    csrf = sign_up(client)["csrf_token"]
    cookie = client.get_cookie("recital_session")
    assert cookie is not None
    other_tab = app.test_client()
    other_tab.set_cookie("recital_session", cookie.value)
    assert client.post("/api/v1/auth/sign-out", headers={"X-CSRF-Token": csrf}).status_code == 204
    late = other_tab.post("/api/v1/auth/sign-out")
    assert late.status_code == 204
    assert other_tab.get_cookie("recital_session") is None
    assert app.test_client().post("/api/v1/auth/sign-out").status_code == 204  # no cookie: a no-op
    live = app.test_client()
    sign_up(live)
    assert live.post("/api/v1/auth/sign-out").status_code == 403  # a live session still needs its token
    assert live.get_cookie("recital_session") is not None


def test_api_tokens_are_shown_once_stored_hashed_and_revocable(app: Flask) -> None:
    client = app.test_client()
    csrf = sign_up(client)["csrf_token"]
    secret = issue_token(client, csrf, name="laptop")
    assert secret.startswith("rct_")
    listed = client.get("/api/v1/auth/tokens").get_json()["items"]
    assert [t["name"] for t in listed] == ["laptop"] and "token" not in listed[0]
    assert listed[0]["last_used_at"] is None and secret.startswith(listed[0]["prefix"])
    with app.extensions["recital"].uow() as uow:
        stored = uow.session.scalars(select(models.ApiToken.token_hash)).all()
    assert stored == [hashlib.sha256(secret.encode()).hexdigest()]

    programmatic = app.test_client()  # no cookie, so no CSRF token needed
    created = programmatic.post(
        "/api/v1/pieces", json={"title": "T", "text": "Words."}, headers=bearer(secret)
    )
    assert created.status_code == 201
    assert client.get("/api/v1/auth/tokens").get_json()["items"][0]["last_used_at"] is not None

    revoked = client.delete(f"/api/v1/auth/tokens/{listed[0]['id']}", headers={"X-CSRF-Token": csrf})
    assert revoked.status_code == 204
    after = programmatic.get("/api/v1/pieces", headers=bearer(secret))
    assert (after.status_code, code(after)) == (401, "invalid_token")
    assert after.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/auth/tokens").get_json()["items"] == []


def test_a_bad_token_is_refused_even_beside_a_good_cookie(app: Flask) -> None:
    client = app.test_client()
    sign_up(client)
    response = client.get("/api/v1/pieces", headers=bearer("rct_not-a-real-token"))
    assert (response.status_code, code(response)) == (401, "invalid_token")


def test_a_browsers_basic_credentials_for_metrics_do_not_sign_its_cookie_out(app: Flask) -> None:
    """QA: a browser that opened /metrics sends its Basic credentials with every request to
    the site (the protection space of /metrics is /), and they were taken for a bad API
    token: every page sent its learner to sign in, and signing in led straight back there."""
    client, basic = app.test_client(), {"Authorization": "Basic b3BzOnNlY3JldA=="}
    csrf = sign_up(client, "ada")["csrf_token"]
    me = client.get("/api/v1/auth/me", headers=basic)
    assert me.status_code == 200 and me.get_json()["user"]["handle"] == "ada"
    assert client.get("/library", headers=basic).status_code == 200
    unguarded = client.post("/api/v1/auth/tokens", json={"name": "cli"}, headers=basic)
    assert (unguarded.status_code, code(unguarded)) == (403, "csrf_failed")  # still the cookie's rules
    made = client.post("/api/v1/auth/tokens", json={"name": "cli"}, headers={**basic, "X-CSRF-Token": csrf})
    assert made.status_code == 201, made.get_json()
    anonymous = app.test_client().get("/api/v1/pieces", headers=basic)
    assert (anonymous.status_code, code(anonymous)) == (401, "authentication_required")


def test_x_learner_id_is_ignored(app: Flask) -> None:
    ada = as_learner(app.test_client(), "ada")
    bob = as_learner(app.test_client(), "bob")
    piece = ada.post("/api/v1/pieces", json={"title": "Mine", "text": "Private words."}).get_json()["id"]
    anonymous = app.test_client().get("/api/v1/pieces", headers={"X-Learner-Id": "ada"})
    assert (anonymous.status_code, code(anonymous)) == (401, "authentication_required")
    posing = bob.get(f"/api/v1/pieces/{piece}", headers={"X-Learner-Id": "ada"})
    assert posing.status_code == 404
    me = bob.get("/api/v1/auth/me", headers={"X-Learner-Id": "ada"}).get_json()
    assert me["user"]["handle"] == "bob"


def test_anonymous_requests_get_401_json(app: Flask) -> None:
    client = app.test_client()
    for method, url in [
        ("GET", "/api/v1/pieces"),
        ("POST", "/api/v1/pieces"),
        ("GET", "/api/v1/attempts"),
        ("GET", "/api/v1/auth/me"),
        ("GET", "/api/v1/auth/tokens"),
        ("GET", "/api/v1/admin/users"),
    ]:
        response = client.open(url, method=method)
        assert (response.status_code, code(response)) == (401, "authentication_required"), url


def test_completing_a_direct_upload_asks_who_first(app: Flask) -> None:
    """QA: the JSON form of POST /pieces/{id}/attempts read the upload_id before asking who
    was calling: anonymous callers got 400 or 404, a cookie session without its CSRF token 404."""
    url = "/api/v1/pieces/00000000-0000-0000-0000-000000000000/attempts"
    for body in ({}, {"upload_id": "x"}):
        anonymous = app.test_client().post(url, json=body)
        assert (anonymous.status_code, code(anonymous)) == (401, "authentication_required"), body
    client = app.test_client()
    sign_up(client)
    for body in ({}, {"upload_id": "x"}):
        no_csrf = client.post(url, json=body)
        assert (no_csrf.status_code, code(no_csrf)) == (403, "csrf_failed"), body


def test_handles_are_unique_under_a_race(app: Flask) -> None:
    from concurrent.futures import ThreadPoolExecutor

    handle = new_handle()

    def attempt(_: int) -> int:
        response = app.test_client().post(
            "/api/v1/auth/sign-up", json={"handle": handle, "password": PASSWORD}
        )
        return response.status_code

    with ThreadPoolExecutor(4) as pool:
        statuses = sorted(pool.map(attempt, range(4)))
    assert statuses == [201, 409, 409, 409]


def test_changing_the_password_ends_other_sessions_and_revokes_tokens(app: Flask) -> None:
    laptop, phone = app.test_client(), app.test_client()
    handle = new_handle()
    csrf = sign_up(laptop, handle)["csrf_token"]
    script = bearer(issue_token(laptop, csrf, "a script someone else may have copied"))
    assert app.test_client().get("/api/v1/auth/me", headers=script).status_code == 200
    phone.post("/api/v1/auth/sign-in", json={"handle": handle, "password": PASSWORD})
    new = "an even longer passphrase"
    wrong = laptop.post(
        "/api/v1/auth/password",
        json={"current_password": "nope", "new_password": new},
        headers={"X-CSRF-Token": csrf},
    )
    assert (wrong.status_code, code(wrong)) == (422, "wrong_password")
    changed = laptop.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": new},
        headers={"X-CSRF-Token": csrf},
    )
    assert changed.status_code == 200
    assert (
        laptop.get("/api/v1/auth/me").status_code == 200 and phone.get("/api/v1/auth/me").status_code == 401
    )
    old = app.test_client().post("/api/v1/auth/sign-in", json={"handle": handle, "password": PASSWORD})
    assert old.status_code == 401
    assert app.test_client().get("/api/v1/auth/me", headers=script).status_code == 401
    assert laptop.get("/api/v1/auth/tokens").get_json()["items"] == []  # the list shows live tokens


def test_a_handle_with_a_trailing_newline_is_refused(app: Flask) -> None:
    response = app.test_client().post("/api/v1/auth/sign-up", json={"handle": "ada\n", "password": PASSWORD})
    assert (response.status_code, code(response)) == (422, "invalid_handle")


def test_a_handle_is_one_name_whatever_its_case(app: Flask) -> None:
    client = app.test_client()
    handle = "Case" + new_handle()
    sign_up(client, handle)
    shouted = {"handle": handle.upper(), "password": PASSWORD}
    again = app.test_client().post("/api/v1/auth/sign-up", json=shouted)
    assert (again.status_code, code(again)) == (409, "handle_taken")
    quiet = {"handle": handle.lower(), "password": PASSWORD}
    signed = app.test_client().post("/api/v1/auth/sign-in", json=quiet)
    assert signed.status_code == 200 and signed.get_json()["user"]["handle"] == handle  # kept as typed
