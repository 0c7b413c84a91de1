"""The result page of a 1,000-word piece: server time (target ≤ 200 ms) and time to
interactive in headless Chromium (target ≤ 1 s), on Postgres behind gunicorn.

Server time is the app handling the request (Flask's test client, same Postgres);
time to interactive is from navigation start to the result script having wired
every word (the ``recital-interactive`` mark), with the recording loading after.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import soundfile as sf

from bench.services import database, gunicorn
from bench.table import Figure
from shared.db import models
from shared.db.migrate import upgrade
from shared.services import users
from shared.settings import Settings
from tests.conftest import settings_env
from tests.support.auth import PASSWORD
from tests.support.recitations import PSALM_23
from tests.support.results import scored_result, store_score
from web import create_app

RUNS = 20
BROWSER_RUNS = 7
WORDS = 1000
LEARNER = "bench-reader"


def piece_text() -> str:
    words = PSALM_23.split()
    return " ".join(words[i % len(words)] for i in range(WORDS))


def spoken_text(text: str) -> str:
    """A realistic reading: every 40th word skipped, every 57th swapped."""
    out = []
    for i, word in enumerate(text.split()):
        if i % 40 == 39:
            continue
        out.append("something" if i % 57 == 56 else word.strip(".,;:"))
    return " ".join(out)


def seed(settings: Settings, folder: Path) -> uuid.UUID:
    text = piece_text()
    result = scored_result(text, spoken_text(text), {i: 1.5 for i in range(25, WORDS, 90)})
    recording = folder / "r.wav"
    seconds = max(w.end or 0 for w in result.words) + 1
    t = np.arange(int(seconds * 8000)) / 8000
    sf.write(recording, (0.2 * np.sin(2 * np.pi * 180 * t)).astype(np.float32), 8000, subtype="PCM_16")
    app = create_app(settings, enqueue=lambda _id: None)
    container = app.extensions["recital"]
    with container.uow() as uow, recording.open("rb") as audio:
        learner = users.sign_up(uow, LEARNER, PASSWORD)
        piece = models.Piece(title="Long psalm", text=text, owner_id=learner.id)
        uow.session.add(piece)
        uow.session.flush()
        key = f"attempts/{learner.id}/bench.wav"
        container.storage.put(key, audio, "audio/wav")
        attempt = models.Attempt(
            learner_id=learner.id,
            piece_id=piece.id,
            status="done",
            storage_key=key,
            sha256="0" * 64,
            size_bytes=recording.stat().st_size,
            format="wav",
        )
        uow.session.add(attempt)
        uow.session.flush()
        store_score(uow, attempt.id, result)
        uow.commit()
        return attempt.id


def server_times(settings: Settings, attempt_id: uuid.UUID) -> list[float]:
    client = create_app(settings, enqueue=lambda _id: None).test_client()
    client.post("/sign-in", data={"handle": LEARNER, "password": PASSWORD})
    client.get(f"/attempts/{attempt_id}")  # warm: templates compiled, pool connected
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(f"/attempts/{attempt_id}")
        runs.append(1000 * (time.perf_counter() - started))
        assert response.status_code == 200 and response.text.count('class="w ') >= WORDS * 0.9
    return runs


def browser_times(base: str, attempt_id: uuid.UUID) -> list[float]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, FLAGS

    runs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(base_url=base)
        page = context.new_page()
        page.goto("/sign-in")
        page.get_by_label("Your name on Recital").fill(LEARNER)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/library")
        page.goto(f"/attempts/{attempt_id}")  # warm the server and the static files
        for _ in range(BROWSER_RUNS):
            page.goto(f"/attempts/{attempt_id}")
            page.wait_for_selector("body[data-interactive]", state="attached")
            runs.append(page.evaluate("performance.getEntriesByName('recital-interactive')[0].startTime"))
        browser.close()
    return runs


def run() -> list[Figure]:
    with database("recital_bench_pages") as url, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(home=Path(tmp), database_url=url, environment="development")
        upgrade(settings)
        attempt_id = seed(settings, Path(tmp))
        server = server_times(settings, attempt_id)
        env = {
            **settings_env(settings),
            "RECITAL_SIGNING_KEY": "bench-signing-key-" + "k" * 16,  # shared by the gunicorn workers
            "RECITAL_ENVIRONMENT": "development",  # plain http: no Secure cookie
            "RECITAL_RATE_LIMITS_ENABLED": "false",
        }
        with gunicorn("web.wsgi:app", env) as port:
            browser = browser_times(f"http://127.0.0.1:{port}", attempt_id)
    return [
        Figure(
            "result page, 1,000 words: server time",
            "ms",
            server,
            target="≤ 200",
            met=sorted(server)[len(server) // 2] <= 200,
        ),
        Figure(
            "result page, 1,000 words: time to interactive",
            "ms",
            browser,
            target="≤ 1000",
            met=sorted(browser)[len(browser) // 2] <= 1000,
        ),
    ]


if __name__ == "__main__":
    for figure in run():
        runs = [round(r) for r in figure.runs]
        print(f"{figure.name}: median {figure.median:.1f} {figure.unit} (runs {runs})")
