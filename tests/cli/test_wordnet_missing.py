"""Without WordNet, what scores refuses to start with one line saying how to install it
(QA: on a fresh machine each recitation with an extra word failed `processing_error`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.stack import ROOT

HIDDEN = (
    "import nltk; nltk.data.path[:] = [{folder!r}]; "
    "from cli.main import main; raise SystemExit(main({args!r}))"
)


def recital_without_wordnet(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The real entry point in a process whose nltk looks only in an empty folder."""
    code = HIDDEN.format(folder=str(tmp_path / "no-nltk-data"), args=args)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("RECITAL_")}
    environ.update(RECITAL_HOME=str(tmp_path / "home"), **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["demo"], {}),
        (["score", "x.wav", "--text-file", "t.txt"], {}),
        (["worker", "-Q", "recordings"], {"RECITAL_BROKER_URL": "redis://127.0.0.1:6379/15"}),
    ],
    ids=["demo", "score", "worker"],
)
def test_what_scores_refuses_to_start_in_one_line(
    args: list[str], env: dict[str, str], tmp_path: Path
) -> None:
    run = recital_without_wordnet(args, tmp_path, **env)
    assert run.returncode == 2, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert f"recital {args[0]}: WordNet 3.0" in run.stderr
    assert "install-system-deps.sh runtime" in run.stderr
