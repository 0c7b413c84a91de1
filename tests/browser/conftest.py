"""Browser tests: Debian's headless Chromium driven by Playwright against the real
server (gunicorn), the real worker (Celery on Redis) and Postgres. Chromium's fake
microphone plays a synthesised recitation. Screenshots go to ``ARTEFACTS``."""

from __future__ import annotations

import os
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shared.settings import Settings
from tests.conftest import settings_env
from tests.support.recitations import synthesise
from tests.support.stack import ROOT, CeleryWorker, gunicorn_server, require

CHROMIUM = "/usr/bin/chromium"
ARTEFACTS = Path(os.environ.get("RECITAL_TEST_ARTEFACTS", ROOT / ".recital" / "artefacts")) / "browser"
PIECE = "The Lord is my shepherd; I shall not want. He maketh me to lie down in green pastures."
# The learner skips "I shall not want": the result must mark those words missed.
RECITED = "The Lord is my shepherd. He maketh me to lie down in green pastures."
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def recitation(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    path = synthesise(RECITED, tmp_path_factory.mktemp("mic") / "recited.wav")
    with wave.open(str(path)) as w:
        return path, w.getnframes() / w.getframerate()


@pytest.fixture(scope="session")
def server(
    stack_settings: Settings, celery_worker: CeleryWorker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    log = (tmp_path_factory.mktemp("web") / "gunicorn.log").open("wb")
    options = ["--workers", "2", "--threads", "4"]
    # Every gunicorn worker must verify the playback links any other one signed.
    env = {
        **settings_env(stack_settings),
        "RECITAL_SIGNING_KEY": "browser-tests-signing-key-" + "k" * 16,
        "RECITAL_ENVIRONMENT": "development",  # plain http on 127.0.0.1: no Secure cookie
    }
    with gunicorn_server("web.wsgi:app", options, env, log) as port:
        yield f"http://127.0.0.1:{port}"
    log.close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    require(os.path.exists(CHROMIUM), "chromium is not installed (make system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Any, recitation: tuple[Path, float]) -> Iterator[Any]:
    microphone = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={recitation[0]}%noloop",
        "--autoplay-policy=no-user-gesture-required",
    ]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS + microphone)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def artefacts() -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS
