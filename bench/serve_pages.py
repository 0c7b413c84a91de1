"""``recital serve``'s pages while a recording is scored: the engine in a child process
(as serve runs it) against the engine in the server's own process (before).

The embedded server runs the pages and its Celery worker in one interpreter, and
PocketSphinx holds the GIL while it decodes. Each side is built here as
``cli.commands.serve`` builds it (migrated SQLite home, ``memory://`` broker, the
in-process worker, Werkzeug's threaded server) in a process of its own; it signs
up, adds a piece, warms the engine with a short recording, then uploads a
two-minute recitation, then polls the attempt and loads the library page every
0.2 s until it is done, timing each request. The sides alternate, so other load
on the machine falls on both.

``python -m bench serve_pages``; one side alone: ``python -m bench.serve_pages here``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from bench.load import multipart
from bench.speech import recitation
from bench.table import Figure

ROUNDS = 2
SECONDS = 120
PAGE_EVERY = 0.2
TARGET_MS = 250


def run() -> list[Figure]:
    slowest: dict[str, list[float]] = {"child": [], "here": []}
    typical: dict[str, list[float]] = {"child": [], "here": []}
    for _ in range(ROUNDS):
        for side in ("here", "child"):
            found = json.loads(subprocess.run([sys.executable, "-m", "bench.serve_pages", side],
                                              check=True, capture_output=True, text=True).stdout)  # fmt: skip
            slowest[side].append(found["slowest_ms"])
            typical[side].append(found["median_ms"])
    before = "engine in the server's process"
    return [
        Figure("recital serve: slowest page while 2 min is scored", "ms", slowest["child"], before,
               slowest["here"], f"≤ {TARGET_MS} ms", "× before", max(slowest["child"]) <= TARGET_MS),
        Figure("recital serve: median page while 2 min is scored", "ms", typical["child"], before,
               typical["here"], "", "× before"),
    ]  # fmt: skip


def measure(side: str) -> dict[str, float]:
    from werkzeug.serving import make_server

    from cli.embedded import in_process_worker
    from shared.db.migrate import upgrade
    from shared.queue import CeleryEnqueuer
    from shared.settings import Settings
    from web import create_app
    from workers.celery_app import container, create_celery

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = Settings(home=folder, environment="development", rate_limits_enabled=False)
        upgrade(settings)
        celery = create_celery(settings)
        app = create_app(settings, enqueue=CeleryEnqueuer(celery))
        container().offline_engine_in_child = side == "child"
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with in_process_worker(celery):
                return _pages_while_scored(f"http://127.0.0.1:{server.server_port}", folder)
        finally:
            server.shutdown()
            container().close_transcriber()


def _pages_while_scored(base: str, folder: Path) -> dict[str, float]:
    learner = _Learner(base)
    short, short_text = recitation(folder, 5, "short")
    learner.scored(learner.piece(short_text), short)  # the engine loaded and warm
    long, text = recitation(folder, SECONDS, "long")
    attempt = learner.upload(learner.piece(text), long)
    times: list[float] = []  # every request: the attempt's poll waits as the page does
    while True:
        started = time.perf_counter()
        status = learner.status(attempt)
        times.append(time.perf_counter() - started)
        if status in ("done", "failed"):
            break
        started = time.perf_counter()
        learner.call("GET", "/library")
        times.append(time.perf_counter() - started)
        time.sleep(PAGE_EVERY)
    return {
        "slowest_ms": 1000 * max(times),
        "median_ms": 1000 * statistics.median(times),
        "requests": len(times),
    }


class _Learner:
    """A signed-in browser session (cookie and CSRF token) on the JSON API."""

    def __init__(self, base: str) -> None:
        self.base, self.opener = (
            base,
            urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar())),
        )
        self.headers = {"Origin": base, "Sec-Fetch-Site": "same-origin"}
        account = {"handle": f"bench{uuid.uuid4().hex[:8]}", "password": "a long enough bench password"}
        self.headers["X-CSRF-Token"] = self.call("POST", "/api/v1/auth/sign-up", account)["csrf_token"]

    def call(self, method: str, path: str, body: Any = None, data: bytes | None = None,
             content_type: str = "application/json") -> Any:  # fmt: skip
        payload = json.dumps(body).encode() if body is not None else data
        headers = {**self.headers, **({"Content-Type": content_type} if payload is not None else {})}
        request = urllib.request.Request(self.base + path, payload, headers, method=method)
        with self.opener.open(request, timeout=300) as response:
            text = response.read()
        return json.loads(text) if response.headers.get_content_type() == "application/json" else None

    def piece(self, text: str) -> str:  # a text of its own: no transcript from the cache
        return str(
            self.call("POST", "/api/v1/pieces", {"title": "Bench", "text": f"{text} {uuid.uuid4().hex}"})[
                "id"
            ]
        )

    def upload(self, piece: str, path: Path) -> str:
        body, kind = multipart(path.read_bytes())
        return str(self.call("POST", f"/api/v1/pieces/{piece}/attempts", data=body, content_type=kind)["id"])

    def status(self, attempt: str) -> str:
        return str(self.call("GET", f"/api/v1/attempts/{attempt}")["status"])

    def scored(self, piece: str, path: Path) -> None:
        attempt = self.upload(piece, path)
        while self.status(attempt) not in ("done", "failed"):
            time.sleep(0.2)


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1])))
