"""Audio fixtures generated at test time with flite, sox and ffmpeg.

A missing Debian tool skips the test on a developer machine and fails it
under ``CI=true``, where the tools are part of the image.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SENTENCE = "The Lord is my shepherd; I shall not want. He maketh me to lie down in green pastures."


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (required under CI=true)")
        pytest.skip(message)
    return path


def run(*args: str) -> None:
    require_tool(args[0])
    subprocess.run(args, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About five seconds of a real-speaker flite voice, 16 kHz mono, with
    half a second of silence either side."""
    folder = tmp_path_factory.mktemp("speech")
    raw, out = folder / "raw.wav", folder / "speech.wav"
    run("flite", "-voice", "slt", "-t", SENTENCE, "-o", str(raw))
    run("sox", str(raw), str(out), "pad", "0.5", "0.5")
    return out
