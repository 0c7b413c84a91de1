"""Signing in, up and out on the pages, and forms sent from another site or from a
session that has ended, through Flask's test client on the embedded database."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.support.auth import PASSWORD
from tests.support.pages import csrf, signed_in


def test_pages_send_a_visitor_to_sign_in_and_back(app: Flask) -> None:
    client = app.test_client()
    response = client.get("/library")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in?next=/library")
    signed_in(app, "ada").post("/sign-out", data={"csrf_token": "x"})  # a wrong token signs no one out
    back = client.post("/sign-in", data={"handle": "ada", "password": PASSWORD, "next": "/library?q=x"})
    assert back.status_code == 302 and back.headers["Location"] == "/library?q=x"
    assert client.get("/library").status_code == 200
    assert client.post("/sign-out", data={"csrf_token": csrf(client)}).headers["Location"] == "/sign-in"
    assert client.get("/library").status_code == 302


def test_a_wrong_password_is_refused_on_the_page(app: Flask) -> None:
    signed_in(app, "ada")
    response = app.test_client().post("/sign-in", data={"handle": "ada", "password": "not it at all"})
    assert response.status_code == 401 and 'role="alert"' in response.text
    assert 'value="ada"' in response.text  # the handle stays typed in


def test_a_handle_typed_with_spaces_around_it_signs_in(app: Flask) -> None:
    signed_in(app, "ada")
    response = app.test_client().post("/sign-in", data={"handle": " ada ", "password": PASSWORD})
    assert response.status_code == 302


def test_sign_in_never_redirects_off_site(app: Flask) -> None:
    signed_in(app, "ada")
    off_site = ("//evil.example/", "https://evil.example/", "/\\evil.example")
    browsers_drop_tabs_and_newlines = ("/\t/evil.example", "/\n/evil.example", "/\n", "/\r\nSet-Cookie: x=1")
    for target in (*off_site, *browsers_drop_tabs_and_newlines):
        form = {"handle": "ada", "password": PASSWORD, "next": target}
        assert app.test_client().post("/sign-in", data=form).headers["Location"] == "/library"


@pytest.mark.parametrize("path", ["/sign-in", "/sign-up"])
def test_sign_in_and_up_posted_from_another_site_are_refused(app: Flask, path: str) -> None:
    signed_in(app, "ada")
    form = {"handle": "ada" if path == "/sign-in" else "mallory", "password": PASSWORD}
    other_sites = ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                   {"Origin": "http://evil.example"}, {"Origin": "null"},
                   {"Origin": "http://localhost.evil.example"},  # QA: the last two were a 500
                   {"Origin": "http://[::1"}, {"Origin": "http://[localhost]"})  # fmt: skip
    for headers in other_sites:
        client = app.test_client()
        response = client.post(path, data=form, headers=headers)
        assert response.status_code == 403 and "sent from another site" in response.text, headers
        assert client.get_cookie("recital_session") is None and client.get("/library").status_code == 302


@pytest.mark.parametrize("path", ["/sign-in", "/sign-up"])
def test_sign_in_and_up_from_this_site_or_no_browser_pass(app: Flask, path: str) -> None:
    signed_in(app, "ada")
    form = {"handle": "ada", "password": PASSWORD}
    ours = (
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
        {"Sec-Fetch-Site": "none"},
        {"Origin": "http://localhost"},
        {"Origin": "http://localhost:8000"},  # a proxy forwarded Host without the port
        {},
    )  # the last: a client that is not a browser
    page = app.test_client().get("/sign-in")  # so a browser's own post carries a real Origin
    assert page.headers["Referrer-Policy"] == "same-origin"
    for n, headers in enumerate(ours):
        if path == "/sign-up":
            form["handle"] = f"mallory{n}"
        response = app.test_client().post(path, data=form, headers=headers)
        assert response.status_code == 302, headers


def test_a_form_without_the_csrf_token_is_refused(app: Flask) -> None:
    client = signed_in(app, "ada")
    response = client.post("/library", data={"title": "T", "text": "Some words"})
    assert response.status_code == 403 and "Reload it and try again" in response.text


def test_a_form_posted_after_signing_out_elsewhere_goes_to_sign_in_and_back(app: Flask) -> None:
    client = signed_in(app, "ada")
    old_token = csrf(client)
    assert client.post("/sign-out", data={"csrf_token": old_token}).status_code == 302  # "another tab"
    form = {"title": "T", "text": "Some words", "csrf_token": old_token}
    posted = client.post("/library", data=form, headers={"Referer": "http://localhost/library?q=psalm"})
    assert posted.status_code == 302 and posted.headers["Location"] == "/sign-in?next=/library?q%3Dpsalm"
    off_site = client.post("/library", data=form, headers={"Referer": "https://evil.example/x"})
    assert off_site.headers["Location"] == "/sign-in?next=/library"
    malformed = client.post("/library", data=form, headers={"Referer": "http://[::1/library"})  # QA: a 500
    assert malformed.status_code == 302 and malformed.headers["Location"] == "/sign-in?next=/library"


def test_a_form_from_an_earlier_session_says_so_in_plain_words(app: Flask) -> None:
    client = signed_in(app, "ada")
    old_token = csrf(client)
    client.post("/sign-out", data={"csrf_token": old_token})
    client.post("/sign-in", data={"handle": "ada", "password": PASSWORD})  # a new session, a new token
    refused = client.post("/library", data={"title": "T", "text": "Some words", "csrf_token": old_token})
    assert refused.status_code == 403 and "Reload it and try again" in refused.text
    assert "X-CSRF-Token" not in refused.text
