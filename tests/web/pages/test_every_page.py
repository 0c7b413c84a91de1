"""What holds on every learner page: never cached, no inline script or style (the CSP), the
site's own page for an unknown address, and a focus ring that stands out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from tests.support.pages import add_piece, done_attempt, signed_in


def test_a_learners_pages_are_never_cached_and_the_static_files_are(app: Flask) -> None:
    """Signed out on a shared computer, Back showed the last learner's result from the cache."""
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    attempt_id = done_attempt(app, "ada", piece_id, "The Lord is my shepherd")
    for path in ("/library", f"/attempts/{attempt_id}", f"/pieces/{piece_id}/history", "/api/v1/attempts"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", path
    assert "no-store" not in client.get("/static/js/forms.js").headers.get("Cache-Control", "")


def test_pages_carry_no_inline_script_or_style(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    attempt_id = done_attempt(app, "ada", piece_id, "The Lord is my shepherd")
    for path in (
        "/library",
        f"/pieces/{piece_id}/practice",
        f"/attempts/{attempt_id}",
        f"/pieces/{piece_id}/history",
        "/sign-in",
    ):
        page = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert " style=" not in page and "<style" not in page and " on" + "click=" not in page, path


FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CHROME = (  # a navigation's Accept, ending in a type werkzeug's ``best`` would rank first
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,"
    "*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)


@pytest.mark.parametrize("accept", [FIREFOX, CHROME])
def test_a_browser_opening_an_unknown_page_gets_the_site_page_and_an_api_client_json(
    app: Flask, accept: str
) -> None:
    browser = {"Accept": accept}
    client = app.test_client()
    lost = client.get("/nonexistent", headers=browser)
    assert lost.status_code == 404 and lost.mimetype == "text/html" and "does not exist" in lost.text
    wrong_way = client.get("/sign-out", headers=browser)
    assert wrong_way.status_code == 405 and wrong_way.mimetype == "text/html" and wrong_way.headers["Allow"]
    assert client.get("/nonexistent").get_json()["error"]["code"] == "not_found"  # no Accept: JSON
    api = client.get("/api/v1/nothing-here", headers=browser)
    assert api.status_code == 404 and api.get_json()["error"]["code"] == "not_found"


def contrast(one: str, other: str) -> float:
    """WCAG 2's contrast ratio of two #rrggbb (or #rgb) colours."""

    def luminance(colour: str) -> float:
        if len(colour) == 4:
            colour = "#" + "".join(c * 2 for c in colour[1:])
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_keyboard_focus_ring_stands_out_from_the_page() -> None:
    """WCAG 1.4.11: 3:1 against what it sits on, the page's background (axe-core does not check it)."""
    css = (Path(__file__).parents[3] / "web" / "static" / "css" / "app.css").read_text()
    ring = re.search(r":focus-visible \{ outline: \d+px solid (#[0-9a-f]{6})", css)
    background = re.search(r"--bg: (#[0-9a-f]{6}|#[0-9a-f]{3})\b", css)
    assert ring and background and contrast(ring.group(1), background.group(1)) >= 3.0
