"""A learner in the browser: their own context (cookies), console errors kept, axe-core at hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.auth import PASSWORD

AXE = "/static/vendor/axe-core/axe.min.js"
BLOCKING = ("serious", "critical")


class Learner:
    def __init__(self, browser: Any, base: str, viewport: dict[str, int], **options: Any) -> None:
        self.base = base
        self.context = browser.new_context(viewport=viewport, base_url=base, **options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))

    def sign_up(self, handle: str) -> None:
        """Sign up as a person would: a page needing an account sends them to sign in, and on."""
        self.page.goto("/library")
        self.page.get_by_role("link", name="Create an account").click()
        self._enter(handle, "Sign up")

    def sign_in(self, handle: str) -> None:
        self.page.goto("/library")
        self._enter(handle, "Sign in")

    def _enter(self, handle: str, button: str) -> None:
        self.page.get_by_label("Your name on Recital").fill(handle)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name=button).click()
        self.page.wait_for_url("**/library")

    def add_piece(self, title: str, text: str) -> str:
        self.page.goto("/library")
        self.page.get_by_label("Title").fill(title)
        self.page.get_by_label("Text to memorise").fill(text)
        self.page.get_by_role("button", name="Add piece").click()
        self.page.wait_for_url("**/practice")
        return str(self.page.url.split("/pieces/")[1].split("/")[0])

    def axe(self, record: dict[str, Any], name: str) -> list[dict[str, Any]]:
        """Run axe-core in the page (loaded from our own origin, as a strict CSP allows);
        keep every violation's count in ``record``; return the serious and critical ones."""
        self.page.add_script_tag(url=AXE)
        found = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
        record[name] = {v["id"]: {"impact": v["impact"], "nodes": len(v["nodes"])} for v in found}
        return [v for v in found if v["impact"] in BLOCKING]

    def shot(self, folder: Path, name: str) -> None:
        self.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


def write_axe(folder: Path, record: dict[str, Any]) -> None:
    path = folder / "axe.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**old, **record}, indent=2, sort_keys=True))
