"""Rate limits on real Redis, exact under a burst of three times the limit; the queued-attempts cap.

Two app instances share one Redis, as two gunicorn processes do, and the
burst is spread over both from eight threads.
"""

from __future__ import annotations

import base64
import hashlib
import io
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from shared.db import models
from shared.db.migrate import upgrade
from shared.settings import Settings
from tests.support.auth import PASSWORD, bearer, new_handle, token_for
from tests.support.recitations import synthesise
from tests.support.stack import free_port, redis_db_url
from web import create_app

LIMIT = 5
KEY = "a signing key shared by both processes"  # web/known_devices.py signs with it


@pytest.fixture
def limits_redis() -> str:
    return redis_db_url(10)  # flushed: every test starts with no counters


def apps(tmp_path: Path, redis_url: str | None, **limits: Any) -> tuple[Flask, Flask]:
    settings = Settings(home=tmp_path, rate_limit_storage_url=redis_url or "", **limits)
    upgrade(settings)
    return create_app(settings, enqueue=lambda _id: None), create_app(settings, enqueue=lambda _id: None)


def burst(pair: tuple[Flask, Flask], n: int, method: str, url: str | list[str], **kwargs: Any) -> list[Any]:
    urls = [url] if isinstance(url, str) else url

    def one(i: int) -> Any:
        return pair[i % 2].test_client().open(urls[i % len(urls)], method=method, **kwargs)

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(n)))


def assert_exact(responses: list[Any], ok: int) -> None:
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {ok: LIMIT, 429: 2 * LIMIT}, statuses
    for refused in (r for r in responses if r.status_code == 429):
        assert refused.get_json()["error"]["code"] == "rate_limited"
        assert 0 < int(refused.headers["Retry-After"]) <= 61  # the window is a minute


def test_per_ip_limit_is_exact_across_processes(tmp_path: Path, limits_redis: str) -> None:
    pair = apps(tmp_path, limits_redis, rate_limit_per_ip=f"{LIMIT} per minute")
    token = token_for(pair[0].extensions["recital"].settings)
    urls = ["/api/v1/pieces", "/api/v1/attempts", "/api/v1/auth/me"]  # one counter over every route
    responses = burst(pair, 3 * LIMIT, "GET", urls, headers=bearer(token))
    assert_exact(responses, 200)
    assert pair[0].test_client().get("/health/").status_code == 200  # probes are never limited
    assert pair[0].test_client().get("/ready").status_code == 200


def test_per_learner_write_limit_counts_each_learner(tmp_path: Path, limits_redis: str) -> None:
    pair = apps(tmp_path, limits_redis, rate_limit_writes=f"{LIMIT} per minute")
    settings = pair[0].extensions["recital"].settings
    piece = {"title": "T", "text": "Some words."}
    for _learner in range(2):  # the second learner's counter is untouched by the first's burst
        token = token_for(settings)
        assert_exact(burst(pair, 3 * LIMIT, "POST", "/api/v1/pieces", json=piece, headers=bearer(token)), 201)


def test_sign_in_is_limited_per_ip(tmp_path: Path, limits_redis: str) -> None:
    pair = apps(tmp_path, limits_redis, rate_limit_sign_in=f"{LIMIT} per minute")
    body = {"handle": "nobody", "password": PASSWORD}
    assert_exact(burst(pair, 3 * LIMIT, "POST", "/api/v1/auth/sign-in", json=body), 401)


def test_the_sign_in_page_shares_the_sign_in_limit_and_says_it_in_words(
    tmp_path: Path, limits_redis: str
) -> None:
    pair = apps(tmp_path, limits_redis, rate_limit_sign_in=f"{LIMIT} per minute")
    form = {"handle": "nobody", "password": PASSWORD}
    pages = burst(pair, 2 * LIMIT, "POST", "/sign-in", data=form)
    api = burst(pair, LIMIT, "POST", "/api/v1/auth/sign-in", json=form)
    assert Counter(r.status_code for r in pages) == {401: LIMIT, 429: LIMIT}  # one counter per IP
    assert Counter(r.status_code for r in api) == {429: LIMIT}
    refused = next(r for r in pages if r.status_code == 429)
    assert (
        refused.mimetype == "text/html"
        and "Wait " in refused.text
        and 0 < int(refused.headers["Retry-After"]) <= 61
    )
    # The form again, the handle kept, to send once the wait is over (it was an error page).
    assert 'action="/sign-in"' in refused.text and 'value="nobody"' in refused.text
    sign_up = pair[0].test_client().post("/sign-up", data={"handle": "newcomer", "password": PASSWORD})
    assert sign_up.status_code == 429  # and sign-up with it: handles are probed there


def test_a_wait_is_said_in_the_singular_too() -> None:
    from web.limits import _in_words

    assert [_in_words(s) for s in (1, 2, 119, 120, 3601, 7200, 86400)] == [
        "1 second", "2 seconds", "119 seconds", "2 minutes", "60 minutes", "2 hours", "24 hours",
    ]  # fmt: skip


def test_password_guesses_from_a_session_are_limited_as_sign_in_is(tmp_path: Path, limits_redis: str) -> None:
    pair = apps(tmp_path, limits_redis, rate_limit_sign_in=f"{LIMIT} per minute")
    token = token_for(pair[0].extensions["recital"].settings)
    guess = {"current_password": "a guess", "new_password": "a new password"}
    responses = burst(pair, 3 * LIMIT, "POST", "/api/v1/auth/password", json=guess, headers=bearer(token))
    assert_exact(responses, 422)  # wrong_password, then rate_limited


def sign_in_from(pair: tuple[Flask, Flask], i: int, handle: str, password: str, page: bool = False) -> Any:
    """A sign-in from the i-th of many addresses: the per-IP limit never bites."""
    client = pair[i % 2].test_client()
    client.environ_base["REMOTE_ADDR"] = f"198.51.{i // 250}.{i % 250 + 1}"
    if page:
        return client.post("/sign-in", data={"handle": handle, "password": password})
    return client.post("/api/v1/auth/sign-in", json={"handle": handle, "password": password})


def test_failed_sign_ins_are_limited_per_handle_from_every_address(tmp_path: Path, limits_redis: str) -> None:
    pair = apps(
        tmp_path,
        limits_redis,
        rate_limit_sign_in=f"{LIMIT} per minute",
        rate_limit_sign_in_failures=f"{LIMIT} per hour",
    )
    handle = new_handle("target")
    token_for(pair[0].extensions["recital"].settings, handle)
    successes = [sign_in_from(pair, i, handle, PASSWORD).status_code for i in range(2 * LIMIT)]
    assert successes == [200] * (2 * LIMIT)  # signing in is never counted
    guesses = [sign_in_from(pair, 100 + i, handle.upper(), f"guess {i}") for i in range(3 * LIMIT)]
    assert Counter(r.status_code for r in guesses) == {401: LIMIT, 429: 2 * LIMIT}  # any case, any IP
    refused = guesses[-1].get_json()["error"]
    assert refused["code"] == "rate_limited" and "failed sign-ins with this handle" in refused["message"]
    assert sign_in_from(pair, 200, handle, PASSWORD).status_code == 429  # the right password waits too
    page = sign_in_from(pair, 201, f"  {handle} ", PASSWORD, page=True)
    assert page.status_code == 429 and "Wait 60 minutes, then try again" in page.text
    assert 3500 < int(page.headers["Retry-After"]) <= 3601
    other = new_handle("bystander")
    token_for(pair[0].extensions["recital"].settings, other)
    assert sign_in_from(pair, 202, other, PASSWORD).status_code == 200  # one handle's guesses lock no other


def test_a_browser_that_has_signed_in_before_gets_in_past_a_strangers_guesses(
    tmp_path: Path, limits_redis: str
) -> None:
    pair = apps(tmp_path, limits_redis, rate_limit_sign_in_failures=f"{LIMIT} per hour", signing_key=KEY)
    handle = new_handle("known")
    token_for(pair[0].extensions["recital"].settings, handle)
    own = pair[1].test_client()  # the learner's browser, signed in once (then signed out)
    assert own.post("/api/v1/auth/sign-in", json={"handle": handle, "password": PASSWORD}).status_code == 200
    assert own.get_cookie("recital_device") is not None
    own.post("/api/v1/auth/sign-out")
    guesses = [sign_in_from(pair, i, handle, f"guess {i}").status_code for i in range(LIMIT + 1)]
    assert guesses[-1] == 429  # the stranger, and every browser new to the handle, is held
    assert sign_in_from(pair, 50, handle, PASSWORD).status_code == 429
    page = pair[0].test_client()
    page.set_cookie("recital_device", own.get_cookie("recital_device").value)  # the same browser, pages
    assert page.post("/sign-in", data={"handle": handle, "password": PASSWORD}).status_code == 302
    assert own.post("/api/v1/auth/sign-in", json={"handle": handle, "password": PASSWORD}).status_code == 200
    # Its own wrong passwords are counted against it alone, up to the same limit.
    typos = [
        own.post("/api/v1/auth/sign-in", json={"handle": handle, "password": "typo"})
        for _ in range(LIMIT + 1)
    ]
    assert [r.status_code for r in typos] == [401] * LIMIT + [429]


def test_a_device_cookie_counts_only_for_its_own_handle_and_only_if_signed(
    tmp_path: Path, limits_redis: str
) -> None:
    pair = apps(tmp_path, limits_redis, rate_limit_sign_in_failures=f"{LIMIT} per hour", signing_key=KEY)
    settings = pair[0].extensions["recital"].settings
    mine, target = new_handle("mine"), new_handle("target")
    token_for(settings, mine)
    token_for(settings, target)
    stranger = pair[0].test_client()
    assert (
        stranger.post("/api/v1/auth/sign-in", json={"handle": mine, "password": PASSWORD}).status_code == 200
    )
    guesses = [sign_in_from(pair, i, target, f"guess {i}").status_code for i in range(LIMIT)]
    assert guesses == [401] * LIMIT
    # The stranger's own cookie names their handle, not the target's: still the handle's counter.
    answer = stranger.post("/api/v1/auth/sign-in", json={"handle": target, "password": "guess"})
    assert answer.status_code == 429
    forged = pair[0].test_client()
    forged.set_cookie("recital_device", stranger.get_cookie("recital_device").value[:-4] + "AAAA")
    assert (
        forged.post("/api/v1/auth/sign-in", json={"handle": target, "password": PASSWORD}).status_code == 429
    )


def test_a_device_cookie_of_an_old_password_counts_as_a_strangers(tmp_path: Path, limits_redis: str) -> None:
    """QA: cookies collected before a password change each kept their own budget of
    guesses at the new password, after the handle was locked."""
    pair = apps(tmp_path, limits_redis, rate_limit_sign_in_failures=f"{LIMIT} per hour", signing_key=KEY)
    handle = new_handle("changed")
    settings = pair[0].extensions["recital"].settings
    token_for(settings, handle)
    collected = pair[0].test_client()
    assert (
        collected.post("/api/v1/auth/sign-in", json={"handle": handle, "password": PASSWORD}).status_code
        == 200
    )
    with pair[0].app_context():
        from shared.services import users

        with pair[0].extensions["recital"].uow() as uow:
            users.set_password(uow, handle, "a brand new password")
    guesses = [sign_in_from(pair, i, handle, f"guess {i}").status_code for i in range(LIMIT + 1)]
    assert guesses[-1] == 429
    answer = collected.post("/api/v1/auth/sign-in", json={"handle": handle, "password": "one more guess"})
    assert answer.status_code == 429  # the old password's cookie is a stranger's now
    cookie = collected.get_cookie("recital_device").value
    assert hashlib.sha256(handle.encode()).hexdigest()[:32] not in base64.urlsafe_b64decode(
        cookie.split(".")[0] + "=="
    ).decode(errors="replace")  # the handle's counter is keyed: no word list gives it back


def test_a_password_typed_again_in_a_session_counts_against_the_handle(
    tmp_path: Path, limits_redis: str
) -> None:
    """QA: a session or a stolen token guessed at ten a minute (14,400 a day)."""
    pair = apps(tmp_path, limits_redis, rate_limit_sign_in_failures=f"{LIMIT} per hour")
    handle = new_handle("retyped")
    token = token_for(pair[0].extensions["recital"].settings, handle)
    client = pair[0].test_client()

    def change(current: str, new: str = "a brand new password") -> Any:
        body = {"current_password": current, "new_password": new}
        return client.post("/api/v1/auth/password", json=body, headers=bearer(token))

    assert change(PASSWORD, "short").status_code == 422  # a weak new password is no guess
    statuses = [change(f"guess {i}").status_code for i in range(LIMIT)]
    assert statuses == [422] * LIMIT
    refused = client.delete("/api/v1/auth/me", json={"password": "another guess"}, headers=bearer(token))
    assert refused.status_code == 429  # the same count, whichever route types the password
    assert change(PASSWORD).status_code == 429  # the right one waits too
    assert sign_in_from(pair, 7, handle, PASSWORD).status_code == 200  # a stolen token locks nobody out


def test_unknown_handles_are_counted_as_known_ones_are(tmp_path: Path, limits_redis: str) -> None:
    pair = apps(tmp_path, limits_redis, rate_limit_sign_in_failures=f"{LIMIT} per hour")
    answers = [sign_in_from(pair, i, "nobody-here", "guess").status_code for i in range(LIMIT + 1)]
    assert answers == [401] * LIMIT + [429]  # the same answers a real handle gives: nothing to enumerate


def test_a_bad_token_or_csrf_token_does_not_move_the_counters_out_of_redis(
    tmp_path: Path, limits_redis: str, caplog: pytest.LogCaptureFixture
) -> None:
    pair = apps(tmp_path, limits_redis, rate_limit_sign_in=f"{LIMIT} per minute")
    for app in pair:  # a stale tab and a revoked token, on routes limited per learner
        client = app.test_client()
        assert (
            client.delete(f"/api/v1/attempts/{uuid.uuid4()}", headers=bearer("rct_bogus")).status_code == 401
        )
        client.set_cookie("recital_session", "not-a-session")
        assert client.post("/library", data={"csrf_token": "stale"}).status_code in (302, 401, 403)
    body = {"handle": "nobody", "password": PASSWORD}
    assert_exact(burst(pair, 3 * LIMIT, "POST", "/api/v1/auth/sign-in", json=body), 401)  # still one counter
    assert "falling back to in-memory storage" not in caplog.text


def test_a_spoofed_forwarded_for_resets_nothing(tmp_path: Path, limits_redis: str) -> None:
    pair = apps(tmp_path, limits_redis, rate_limit_per_ip=f"{LIMIT} per minute", trusted_proxies=1)
    token = token_for(pair[0].extensions["recital"].settings)

    def spoofed(real_ip: str) -> dict[str, str]:
        # The client's own header, then what the one trusted proxy appended.
        return {**bearer(token), "X-Forwarded-For": f"{uuid.uuid4().int % 256}.1.2.3, {real_ip}"}

    responses = [
        pair[i % 2].test_client().get("/api/v1/pieces", headers=spoofed("203.0.113.7")) for i in range(15)
    ]
    assert Counter(r.status_code for r in responses) == {200: LIMIT, 429: 2 * LIMIT}
    other = pair[0].test_client().get("/api/v1/pieces", headers=spoofed("198.51.100.9"))
    assert other.status_code == 200  # another real client has its own counter


def test_without_trusted_proxies_forwarded_for_is_ignored(tmp_path: Path, limits_redis: str) -> None:
    pair = apps(tmp_path, limits_redis, rate_limit_per_ip=f"{LIMIT} per minute")
    token = token_for(pair[0].extensions["recital"].settings)
    responses = [
        pair[0]
        .test_client()
        .get("/api/v1/pieces", headers={**bearer(token), "X-Forwarded-For": f"10.0.0.{i}"})
        for i in range(15)
    ]
    assert Counter(r.status_code for r in responses) == {200: LIMIT, 429: 2 * LIMIT}


def test_limits_hold_in_memory_while_redis_is_down(tmp_path: Path) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"
    settings = Settings(home=tmp_path, rate_limit_storage_url=dead, rate_limit_per_ip=f"{LIMIT} per minute")
    upgrade(settings)
    app = create_app(settings, enqueue=lambda _id: None)
    token = token_for(settings)
    responses = [app.test_client().get("/api/v1/pieces", headers=bearer(token)) for _ in range(15)]
    assert Counter(r.status_code for r in responses) == {200: LIMIT, 429: 2 * LIMIT}


def test_a_learner_with_too_many_queued_attempts_is_told_to_wait(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, max_queued_attempts=2)
    upgrade(settings)
    app = create_app(settings, enqueue=lambda _id: None)
    token = token_for(settings)
    client = app.test_client()
    piece = client.post("/api/v1/pieces", json={"title": "T", "text": "The Lord."}, headers=bearer(token))
    wav = synthesise("The Lord", tmp_path / "a.wav").read_bytes()

    def upload() -> Any:
        data = {"recording": (io.BytesIO(wav), "a.wav")}
        url = f"/api/v1/pieces/{piece.get_json()['id']}/attempts"
        return client.post(url, data=data, content_type="multipart/form-data", headers=bearer(token))

    assert [upload().status_code for _ in range(2)] == [202, 202]
    refused = upload()
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "too_many_queued_attempts"
    assert int(refused.headers["Retry-After"]) > 0
    assert len(list((tmp_path / "storage" / "attempts").rglob("*.wav"))) == 2  # nothing kept for it
    other = token_for(settings)  # another learner is not held up
    data = {"recording": (io.BytesIO(wav), "a.wav")}
    public = client.post(
        "/api/v1/pieces",
        json={"title": "P", "text": "The Lord.", "visibility": "public"},
        headers=bearer(token),
    ).get_json()["id"]
    url = f"/api/v1/pieces/{public}/attempts"
    response = client.post(url, data=data, content_type="multipart/form-data", headers=bearer(other))
    assert response.status_code == 202


def test_only_uploads_that_make_an_attempt_count_against_the_upload_limit(
    tmp_path: Path, limits_redis: str
) -> None:
    settings = Settings(
        home=tmp_path,
        rate_limit_storage_url=limits_redis,
        rate_limit_uploads="3 per hour",
        max_queued_attempts=2,
    )
    upgrade(settings)
    app = create_app(settings, enqueue=lambda _id: None)
    token, client = token_for(settings), app.test_client()
    piece = client.post("/api/v1/pieces", json={"title": "T", "text": "The Lord."}, headers=bearer(token))
    wav = synthesise("The Lord", tmp_path / "a.wav").read_bytes()
    url = f"/api/v1/pieces/{piece.get_json()['id']}/attempts"

    def upload(body: bytes = wav, key: str | None = None) -> Any:
        headers = {**bearer(token), **({"Idempotency-Key": key} if key else {})}
        data = {"recording": (io.BytesIO(body), "a.wav")}
        return client.post(url, data=data, content_type="multipart/form-data", headers=headers)

    first = upload(key="first")
    assert (first.status_code, upload().status_code) == (202, 202)
    assert [upload().get_json()["error"]["code"] for _ in range(3)] == ["too_many_queued_attempts"] * 3
    assert upload(b"not audio at all").status_code == 415
    replay = upload(key="first")
    assert replay.status_code == 202 and replay.get_json()["created"] is False
    with app.extensions["recital"].uow() as uow:  # the first is scored: room in the queue again
        uow.session.get(models.Attempt, uuid.UUID(first.get_json()["id"])).status = "done"
        uow.commit()
    third = upload()
    assert third.status_code == 202, third.get_json()  # the third counted
    over = upload()
    assert over.status_code == 429 and over.get_json()["error"]["code"] == "rate_limited"


def test_a_learner_changing_their_password_is_no_longer_held_by_a_guessers_failures(
    tmp_path: Path, limits_redis: str
) -> None:
    pair = apps(tmp_path, limits_redis, rate_limit_sign_in_failures=f"{LIMIT} per hour")
    handle = new_handle("guessed")
    token = token_for(pair[0].extensions["recital"].settings, handle)
    guesses = [sign_in_from(pair, i, handle, f"guess {i}").status_code for i in range(LIMIT + 1)]
    assert guesses[-1] == 429
    change = {"current_password": PASSWORD, "new_password": "a brand new password"}
    assert (
        pair[0].test_client().post("/api/v1/auth/password", json=change, headers=bearer(token)).status_code
        == 200
    )
    assert sign_in_from(pair, 99, handle, "a brand new password").status_code == 200
