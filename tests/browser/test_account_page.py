"""The account page in the browser (QA learner pass)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import DESKTOP
from tests.browser.learner import Learner
from tests.support.auth import new_handle

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


def test_reloading_the_page_showing_a_new_token_makes_no_second_one(browser: Any, server: str) -> None:
    """The page answering "Make a token" was the form's answer: each reload sent the form
    again and made another token of the same name."""
    learner = Learner(browser, server, DESKTOP)
    try:
        learner.sign_up(new_handle("tokens"))
        page = learner.page
        page.goto("/account")
        page.get_by_label("Name of a new token (what will use it)").fill("my script")
        page.get_by_role("button", name="Make a token").click()
        page.get_by_label("Token", exact=True).wait_for()
        assert page.url.endswith("/account")
        page.reload()
        assert page.locator(".tokens li").count() == 1
        assert page.get_by_label("Token", exact=True).count() == 0  # the secret is shown once
        assert not learner.errors
    finally:
        learner.close()
