"""``recital demo``: the bundled sample through the real pipeline, embedded.

Same code paths as production: the submit service stores the recording and
commits the row, Celery (an in-process worker on the memory broker) runs
process_attempt, and the result is read back the way the API reads it.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from shared.container import Container
from shared.db.migrate import upgrade
from shared.queue import CeleryEnqueuer
from shared.services import attempts, pieces, users
from shared.services.submission import Submission, submit_attempt
from shared.settings import Settings

SAMPLES = Path(__file__).parent / "samples"
SAMPLE_AUDIO = SAMPLES / "gettysburg_recitation.flac"
SAMPLE_TEXT = SAMPLES / "gettysburg.txt"
LEARNER = "demo-learner"
TIMEOUT_SECONDS = 300


def run_demo(settings: Settings) -> int:
    from cli.embedded import in_process_worker
    from cli.render import print_attempt
    from workers.celery_app import create_celery

    upgrade(settings)
    celery = create_celery(settings)
    deps = Container(settings)
    with in_process_worker(celery):
        with deps.uow() as uow:  # the demo's learner has no password: nobody signs in as it
            learner = users.ensure_user(uow, LEARNER)
        attempt_id = _submit_sample(deps, CeleryEnqueuer(celery), learner)
        print(f"submitted attempt {attempt_id}; scoring…")
        view = _wait_for(deps, attempt_id, learner)
    print_attempt(view, SAMPLE_TEXT.read_text())
    return 0 if view["status"] == "done" else 1


def _submit_sample(deps: Container, enqueue: CeleryEnqueuer, learner: users.UserView) -> uuid.UUID:
    with deps.uow() as uow:
        piece = pieces.create_piece(uow, learner, "Gettysburg Address (opening)", SAMPLE_TEXT.read_text())
    with deps.uow() as uow, SAMPLE_AUDIO.open("rb") as recording:
        submission = Submission(learner=learner.id, piece_id=piece.id, recording=recording)
        submitted = submit_attempt(uow, deps.storage, enqueue, submission, deps.settings.max_upload_bytes)
    return submitted.attempt_id


def _wait_for(deps: Container, attempt_id: uuid.UUID, learner: users.UserView) -> dict[str, Any]:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while True:
        with deps.uow() as uow:
            view = attempts.get_attempt(uow, learner, attempt_id)
        if view["status"] in ("done", "failed") or time.monotonic() > deadline:
            return view
        time.sleep(0.25)
