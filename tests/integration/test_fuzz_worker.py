"""Fuzzed recordings through a real worker (issue 19): ~100 mutated files that
pass the front door's sniffing are uploaded to Postgres, local storage and
Redis; a real Celery worker process takes each to ``done`` or ``failed`` with
a specific code (never the catch-all ``processing_error``), and the worker's
parent process lives on.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from shared.audio.sniff import SNIFF_BYTES, sniff_format
from shared.audio.types import AudioError
from shared.settings import Settings
from tests.integration.flow import create_piece, poll, upload
from tests.support.fuzz import make_mutants, make_seeds
from tests.support.stack import CeleryWorker
from web import create_app

pytestmark = pytest.mark.integration

UPLOADS = 100


def _sniffs(path: Path) -> bool:
    try:
        sniff_format(path.read_bytes()[:SNIFF_BYTES])
    except AudioError:
        return False
    return True


def test_fuzzed_uploads_end_done_or_failed_with_a_code(
    stack_settings: Settings, celery_worker: CeleryWorker, tmp_path: Path
) -> None:
    mutants = make_mutants(make_seeds(tmp_path), tmp_path, UPLOADS + 20, seed=23)
    files = [path for path, _ in mutants if _sniffs(path)][:UPLOADS]
    assert len(files) >= UPLOADS * 0.9
    client = create_app(stack_settings).test_client()
    piece_id = create_piece(client, "Psalm 23", "The Lord is my shepherd, I shall not want.")
    attempts = {path.name: upload(client, piece_id, path) for path in files}
    ends = {name: poll(client, attempt_id, timeout=240) for name, attempt_id in attempts.items()}
    outcomes = Counter(
        body["status"] if body["status"] == "done" else body["error"]["code"] for body in ends.values()
    )
    print(f"\nworker fuzz: {len(files)} uploads; outcomes {dict(outcomes)}")
    assert all(body["status"] in ("done", "failed") for body in ends.values())
    assert all(body["error"]["code"] and body["error"]["message"] for body in ends.values() if body["error"])
    assert outcomes["processing_error"] == 0, {n: b["error"] for n, b in ends.items() if b["error"]}
    assert celery_worker.process.poll() is None  # the worker's parent lived through it all
