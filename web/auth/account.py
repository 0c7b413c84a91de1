"""/api/v1/auth account routes: sign-up, sign-in, sign-out, the signed-in user,
its password and its deletion (the session cookie itself: ``web.auth.cookies``)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, make_response

from shared.db.repositories.port import UnitOfWorkPort
from shared.domain.clock import rfc3339
from shared.services import erasure, users
from web import sign_in_failures
from web.auth.blueprint import auth
from web.auth.cookies import attach_session, end_browser_session, without_cookie
from web.bodies import json_object
from web.deps import container
from web.identity import current_learner, optional_user, session_csrf_token
from web.params import string_field


@auth.post("/sign-up")
def sign_up() -> Response:
    """Create a learner account and sign in (sets the session cookie).
    ---
    summary: Create an account
    tags: [auth]
    security: []
    requestBody:
      required: true
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Credentials'}
    responses:
      201:
        description: Signed up and signed in; the session cookie is set.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/SignedIn'}
      400: {$ref: '#/components/responses/BadRequest'}
      409: {$ref: '#/components/responses/Conflict'}
      422: {$ref: '#/components/responses/Unprocessable'}
    """
    handle, password = _credentials()
    with container().uow() as uow:
        user = users.sign_up(uow, handle, password)
    return _signed_in(user, 201)


@auth.post("/sign-in")
def sign_in() -> Response:
    """Check a handle and password and start a browser session.
    ---
    summary: Sign in
    tags: [auth]
    security: []
    requestBody:
      required: true
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Credentials'}
    responses:
      200:
        description: Signed in; the session cookie is set.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/SignedIn'}
      400: {$ref: '#/components/responses/BadRequest'}
      401: {$ref: '#/components/responses/Unauthorized'}
      422: {$ref: '#/components/responses/Unprocessable'}
    """
    handle, password = _credentials()
    with container().uow() as uow:  # one transaction: see users.authenticate's hold
        return _signed_in(users.authenticate(uow, handle, password, hold=True), 200, uow)


@auth.post("/sign-out")
def sign_out() -> Response:
    """End this browser session (a no-op without one).

    Sign-out ends the session a cookie names. A bearer token is no session: its
    request gets 204 and the token still works; revoke a token with ``DELETE
    /api/v1/auth/tokens/{id}``. A cookie whose session has ended already (expired,
    or signed out in another tab) is cleared with a 204 too: the browser is signed
    out, as asked (QA: it was a 401 that left the dead cookie in place).
    ---
    summary: Sign out
    description: >-
      Ends the browser session the `recital_session` cookie names and clears the
      cookie. A live session needs its CSRF token. A cookie whose session has already
      ended, or no cookie at all, is a 204 that only clears the cookie. A request with
      a bearer token changes nothing (204): revoke the token with
      `DELETE /api/v1/auth/tokens/{id}` instead.
    tags: [auth]
    security: [{}, {session: []}, {token: []}]
    responses:
      204: {description: "Signed out (the cookie cleared); with a bearer token only, nothing changed."}
      401: {$ref: '#/components/responses/Unauthorized'}
      403: {$ref: '#/components/responses/Forbidden'}
    """
    optional_user()  # a live cookie session's CSRF token is checked; a bad bearer token is 401
    return end_browser_session(make_response("", 204))


@auth.get("/me")
def me() -> Response:
    """The signed-in user (and, for a cookie session, its CSRF token).
    ---
    summary: Who am I
    tags: [auth]
    responses:
      200:
        description: The user.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/SignedIn'}
      401: {$ref: '#/components/responses/Unauthorized'}
    """
    return jsonify({"user": user_json(current_learner()), "csrf_token": session_csrf_token()})


@auth.post("/password")
def change_password() -> Response:
    """Change the password (the current one first). Every session ends and every API token
    is revoked; the caller gets a new session.
    ---
    summary: Change my password
    tags: [auth]
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [current_password, new_password]
            properties:
              current_password: {type: string}
              new_password: {type: string, minLength: 8, maxLength: 256}
    responses:
      200:
        description: Changed; a new session cookie is set.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/SignedIn'}
      400: {$ref: '#/components/responses/BadRequest'}
      401: {$ref: '#/components/responses/Unauthorized'}
      403: {$ref: '#/components/responses/Forbidden'}
      422: {$ref: '#/components/responses/Unprocessable'}
    """
    user = current_learner()
    body = json_object("Send a JSON object with current_password and new_password.")
    current = string_field(body, "current_password", "wrong_password")
    new = string_field(body, "new_password", "weak_password")
    with container().uow() as uow:
        user = users.change_password(uow, user, current, new)
    sign_in_failures.forget_after_change(container().settings, user.handle)
    return _signed_in(user, 200)


@auth.delete("/me")
def delete_me() -> Response:
    """Delete the account: every attempt, recording, transcript and score, every token
    and session, and the user's pieces (those another learner has recited stay, without an owner).
    ---
    summary: Delete my account
    tags: [auth]
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [password]
            properties:
              password: {type: string, description: "The account's password, asked again."}
    responses:
      204: {description: Deleted.}
      400: {$ref: '#/components/responses/BadRequest'}
      401: {$ref: '#/components/responses/Unauthorized'}
      403: {$ref: '#/components/responses/Forbidden'}
      409: {$ref: '#/components/responses/Conflict'}
      422: {$ref: '#/components/responses/Unprocessable'}
      503: {$ref: '#/components/responses/Unavailable'}
    """
    user = current_learner()
    # The password again, as the account page asks: a session left open, or a page
    # script with the CSRF token from the <meta> tag, must not erase everything.
    password = string_field(
        json_object('Send {"password": "…"} to delete the account.'), "password", "wrong_password"
    )
    deps = container()
    with deps.uow() as uow:
        users.confirm_password(uow, user, password)
        erasure.delete_account(uow, deps.storage, user.id)
    return without_cookie(make_response("", 204))


def user_json(user: users.UserView) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "handle": user.handle,
        "role": user.role,
        "created_at": rfc3339(user.created_at),
    }


def _credentials() -> tuple[str, str]:
    body = json_object("Send a JSON object with handle and password.")
    return string_field(body, "handle", "invalid_handle"), string_field(body, "password", "weak_password")


def _signed_in(user: users.UserView, status: int, uow: UnitOfWorkPort | None = None) -> Response:
    response = make_response("", status)
    csrf_token = attach_session(response, user, uow)
    response.set_data(jsonify({"user": user_json(user), "csrf_token": csrf_token}).get_data())
    response.mimetype = "application/json"
    return response
