"""The account page (password, deletion) and deleting an attempt from its page, through
Flask's test client on the embedded database, as a person would use the forms."""

from __future__ import annotations

import re

from flask import Flask

from shared.services import users
from tests.support.auth import PASSWORD
from tests.support.pages import add_piece, csrf, done_attempt, signed_in, stored_attempt

NEW_PASSWORD = "a much longer new one"


def test_the_account_page_is_a_click_away_and_names_the_learner(app: Flask) -> None:
    client = signed_in(app, "ada")
    assert 'href="/account"' in client.get("/library").text
    page = client.get("/account").text
    assert (
        "<strong>ada</strong>" in page
        and 'name="current_password"' in page
        and 'id="delete_password"' in page
    )
    assert app.test_client().get("/account").headers["Location"].startswith("/sign-in?next=/account")


def test_the_account_page_makes_shows_once_and_revokes_api_tokens(app: Flask) -> None:
    client = signed_in(app, "ada")
    assert "You have no API tokens." in client.get("/account").text
    made = client.post("/account/tokens", data={"name": "my script", "csrf_token": csrf(client)})
    assert made.status_code == 201 and made.headers["Cache-Control"] == "no-store"
    [secret] = re.findall(r'id="new-token" class="secret" readonly value="(rct_[^"]+)"', made.text)
    api = app.test_client()
    assert api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    page = client.get("/account").text
    assert "my script" in page and secret not in page and "never used" not in page  # used just now
    blank = client.post("/account/tokens", data={"name": "  ", "csrf_token": csrf(client)})
    assert blank.status_code == 422 and 'role="alert"' in blank.text
    forged = client.post("/account/tokens", data={"name": "no csrf"})
    assert forged.status_code == 403
    [token_id] = re.findall(r'action="/account/tokens/([0-9a-f-]{36})/revoke"', page)
    other = signed_in(app, "bob")
    theirs = other.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf(other)})
    assert theirs.status_code == 404  # not bob's to revoke
    revoked = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf(client)})
    assert revoked.status_code == 302 and revoked.headers["Location"] == "/account?done=token"
    assert "stopped working at once" in client.get(revoked.headers["Location"]).text
    assert api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_a_password_change_keeps_this_session_and_ends_the_others(app: Flask) -> None:
    client, elsewhere = signed_in(app, "ada"), app.test_client()
    elsewhere.post("/sign-in", data={"handle": "ada", "password": PASSWORD})
    assert elsewhere.get("/library").status_code == 200
    fields = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    differ = client.post(
        "/account/password", data={**fields, "new_password_again": "typo", "csrf_token": csrf(client)}
    )
    assert differ.status_code == 422 and "The two new passwords differ." in differ.text
    wrong = {**fields, "current_password": "not the one", "new_password_again": NEW_PASSWORD}
    refused = client.post("/account/password", data={**wrong, "csrf_token": csrf(client)})
    assert refused.status_code == 422 and "The current password is wrong." in refused.text
    weak = {**fields, "new_password": "short", "new_password_again": "short", "csrf_token": csrf(client)}
    assert client.post("/account/password", data=weak).status_code == 422
    changed = client.post(
        "/account/password", data={**fields, "new_password_again": NEW_PASSWORD, "csrf_token": csrf(client)}
    )
    assert changed.status_code == 302 and changed.headers["Location"] == "/account?done=password"
    assert "Every other session and API token has ended." in client.get(changed.headers["Location"]).text
    assert elsewhere.get("/library").status_code == 302  # the other browser is signed out
    old = app.test_client().post("/sign-in", data={"handle": "ada", "password": PASSWORD})
    new = app.test_client().post("/sign-in", data={"handle": "ada", "password": NEW_PASSWORD})
    assert (old.status_code, new.status_code) == (401, 302)


def test_deleting_the_account_needs_the_password_and_removes_everything(app: Flask) -> None:
    client = signed_in(app, "ada")
    attempt_id = done_attempt(app, "ada", add_piece(client), "The Lord is my shepherd")
    wrong = client.post("/account/delete", data={"password": "not it at all", "csrf_token": csrf(client)})
    assert wrong.status_code == 422 and "The current password is wrong." in wrong.text
    assert client.get(f"/attempts/{attempt_id}").status_code == 200  # nothing was deleted
    gone = client.post("/account/delete", data={"password": PASSWORD, "csrf_token": csrf(client)})
    assert gone.status_code == 302 and gone.headers["Location"] == "/sign-in?deleted=1"
    assert "everything in it are deleted" in client.get(gone.headers["Location"]).text
    assert client.get("/library").status_code == 302
    assert app.test_client().post("/sign-in", data={"handle": "ada", "password": PASSWORD}).status_code == 401
    with app.extensions["recital"].uow() as uow:
        assert uow.attempts.get(attempt_id) is None


def test_the_last_admin_is_told_why_the_account_stays(app: Flask) -> None:
    with app.extensions["recital"].uow() as uow:
        users.sign_up(uow, "root", PASSWORD, "admin")
    client = app.test_client()
    client.post("/sign-in", data={"handle": "root", "password": PASSWORD})
    refused = client.post("/account/delete", data={"password": PASSWORD, "csrf_token": csrf(client)})
    assert refused.status_code == 409 and "only admin" in refused.text
    assert client.get("/account").status_code == 200


def test_an_attempt_is_deleted_from_its_page_by_its_owner_only(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    kept, failed = (
        done_attempt(app, "ada", piece_id, "The Lord"),
        stored_attempt(app, "ada", piece_id, status="failed"),
    )
    page = client.get(f"/attempts/{failed}").text
    assert f'action="/attempts/{failed}/delete"' in page  # a failed attempt can go too
    other = signed_in(app, "bob")
    assert other.post(f"/attempts/{failed}/delete", data={"csrf_token": csrf(other)}).status_code == 404
    assert client.post(f"/attempts/{failed}/delete", data={"csrf_token": "stale"}).status_code == 403
    assert client.get(f"/attempts/{failed}").status_code == 200  # still there
    deleted = client.post(f"/attempts/{failed}/delete", data={"csrf_token": csrf(client)})
    assert (
        deleted.status_code == 302 and deleted.headers["Location"] == f"/pieces/{piece_id}/history?deleted=1"
    )
    assert "its scores are deleted" in client.get(deleted.headers["Location"]).text
    assert client.get(f"/attempts/{failed}").status_code == 404
    assert client.get(f"/attempts/{kept}").status_code == 200


def test_a_failed_attempt_on_a_piece_made_private_since_is_still_its_learners(app: Flask) -> None:
    owner, learner = signed_in(app, "ada"), signed_in(app, "ben")
    piece_id = add_piece(owner, "Shared for a while", visibility="public")
    failed = stored_attempt(
        app, "ben", piece_id, status="failed", error_code="too_quiet", error_message="Too quiet."
    )
    fields = {"title": "Shared for a while", "visibility": "private", "csrf_token": csrf(owner)}
    assert (
        owner.post(f"/pieces/{piece_id}/edit", data=fields).status_code == 302
    )  # a failed attempt pins nothing
    page = learner.get(f"/attempts/{failed}")
    assert page.status_code == 200 and "stopped sharing this piece" in page.text and "Too quiet." in page.text
    assert "Shared for a while" not in page.text  # private now: not even its title
    gone = learner.post(f"/attempts/{failed}/delete", data={"csrf_token": csrf(learner)})
    assert gone.status_code == 302 and gone.headers["Location"] == "/library"
    assert learner.get(f"/attempts/{failed}").status_code == 404
