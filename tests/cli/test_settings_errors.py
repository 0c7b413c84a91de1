"""Issue 19, probe 10: a settings error at start-up never prints a value.

A model-level check (time limits against the visibility timeout) used to echo
the raw settings, OpenAI key included; a bad number echoed what was typed.
Each case runs the real entry points in a subprocess and searches everything
they print for the secret.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.settings import Settings

SECRET = "sk-test-0123456789abcdefSECRET"
CASES = {
    "limits": {"RECITAL_TASK_HARD_TIME_LIMIT_SECONDS": "99999"},  # model validator
    "number": {"RECITAL_MAX_UPLOAD_BYTES": SECRET},  # the bad value is itself the secret
    "choice": {"RECITAL_TRANSCRIBER": "whisper-" + SECRET},
}


def env_with(tmp_path: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECITAL_")}
    env.update(RECITAL_HOME=str(tmp_path), RECITAL_OPENAI_API_KEY=SECRET, **extra)
    return env


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_cli_names_the_variable_and_hides_every_value(case: str, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "cli.main", "db", "upgrade"],
        env=env_with(tmp_path, CASES[case]),
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 2, output
    assert SECRET not in output and "SECRET" not in output
    assert "invalid settings" in output and "Traceback" not in output
    named = next(iter(CASES[case])) if case != "limits" else "visibility_timeout"
    assert named in output


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_web_entry_point_hides_every_value(case: str, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", "import web.wsgi"],
        env=env_with(tmp_path, CASES[case]),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0
    assert "ValidationError" in run.stderr and SECRET not in run.stderr + run.stdout


def test_secrets_are_secret_strings_in_the_object() -> None:
    settings = Settings(openai_api_key=SECRET, signing_key=SECRET, flower_basic_auth="ops:" + SECRET)
    assert SECRET not in repr(settings) and SECRET not in str(settings.model_dump())
    with pytest.raises(ValidationError) as caught:
        Settings(openai_api_key=SECRET, task_hard_time_limit_seconds=10**6)
    assert SECRET not in str(caught.value)
