"""Real accounts for tests: sign up through the API, or make a user and token through the services.

Tests never send ``X-Learner-Id``: the API ignores it. A test client signed in
here carries its bearer token on every request.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import Any

from flask.testing import FlaskClient

from shared.container import Container
from shared.services import credentials, users
from shared.settings import Settings

PASSWORD = "correct horse battery staple"


def new_handle(stem: str = "learner") -> str:
    return f"{stem}-{uuid.uuid4().hex[:8]}"


def sign_up(client: FlaskClient, handle: str | None = None, password: str = PASSWORD) -> dict[str, Any]:
    """Sign up through the API; the client now holds the session cookie. The body
    (``user``, ``csrf_token``) is returned."""
    response = client.post(
        "/api/v1/auth/sign-up", json={"handle": handle or new_handle(), "password": password}
    )
    assert response.status_code == 201, response.get_json()
    return dict(response.get_json())


def issue_token(client: FlaskClient, csrf_token: str, name: str = "tests") -> str:
    """An API token made through the API with the client's cookie session."""
    response = client.post("/api/v1/auth/tokens", json={"name": name}, headers={"X-CSRF-Token": csrf_token})
    assert response.status_code == 201, response.get_json()
    return str(response.get_json()["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def as_learner(client: FlaskClient, handle: str | None = None) -> FlaskClient:
    """Sign up a new learner and make every later request of ``client`` carry its token
    (and no cookie). Returns the client."""
    signed_in = sign_up(client, handle)
    token = issue_token(client, signed_in["csrf_token"])
    client.delete_cookie("recital_session")
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def token_for(settings: Settings, handle: str | None = None, role: users.Role = "learner") -> str:
    """A user made through the services (for servers in other processes) and a token of theirs."""
    deps = Container(settings)
    try:
        with deps.uow() as uow:
            user = users.sign_up(uow, handle or new_handle(), PASSWORD, role)
        with deps.uow() as uow:
            return credentials.create_token(uow, user, "tests")[1]
    finally:
        deps.engine.dispose()


def http_json(method: str, url: str, body: Any = None, token: str | None = None) -> Any:
    """A JSON request to a real server; returns the decoded answer."""
    headers = {"Content-Type": "application/json", **(bearer(token) if token else {})}
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data, headers, method=method)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def http_sign_up_token(api_base: str, handle: str | None = None) -> str:
    """Sign up on a real server, then make an API token with the session cookie and
    its CSRF token, as a person would in a browser before scripting."""
    body = json.dumps({"handle": handle or new_handle(), "password": PASSWORD}).encode()
    request = urllib.request.Request(f"{api_base}/auth/sign-up", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        csrf = json.loads(response.read())["csrf_token"]
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
    headers = {"Content-Type": "application/json", "Cookie": cookie, "X-CSRF-Token": csrf}
    request = urllib.request.Request(
        f"{api_base}/auth/tokens", json.dumps({"name": "tests"}).encode(), headers
    )
    with urllib.request.urlopen(request) as response:
        return str(json.loads(response.read())["token"])


_TOKENS: dict[tuple[str, str], str] = {}


def bearer_for(settings: Settings, handle: str) -> dict[str, str]:
    """Bearer headers for the user with this handle in this database, made through the
    services on first use (no password) and kept for the rest of the session."""
    key = (settings.resolved_database_url, handle)
    if key not in _TOKENS:
        deps = Container(settings)
        try:
            with deps.uow() as uow:
                user = users.ensure_user(uow, handle)
            with deps.uow() as uow:
                _TOKENS[key] = credentials.create_token(uow, user, "tests")[1]
        finally:
            deps.engine.dispose()
    return bearer(_TOKENS[key])


def bearer_in(client: FlaskClient, handle: str) -> dict[str, str]:
    """``bearer_for`` the database of the app behind ``client``."""
    return bearer_for(client.application.extensions["recital"].settings, handle)
