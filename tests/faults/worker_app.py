"""The production Celery app (``workers.celery_app:app``) with test-only knobs.

``celery -A tests.faults.worker_app:app worker …`` runs exactly the production
tasks and configuration, plus:

- ``FAULTS_REJECT_ON_WORKER_LOST=false`` turns off ``task_reject_on_worker_lost``
  for the negative control that proves the tests detect a lost task;
- ``FAULTS_TIME_LIMIT=<seconds>`` raises the task time limits past the
  visibility timeout (which settings refuse), to force a duplicate delivery;
- ``FAULTS_RESCORE_PAUSE=<seconds>`` sleeps after each ``rescore_batch`` has
  committed and before it is acknowledged, so a kill there leaves a counted
  batch to be delivered again;
- Redis's unacked-message restore is checked every second instead of
  kombu's default (about every 100 s), so a message whose visibility timeout
  expired comes back within a short test;
- the audio and engine modules are imported in the main process before the
  pool forks, so a child started after a ``kill -9`` does not pay librosa's
  ~3 s of imports again (the tests kill children many times on 2 cores).
"""

from __future__ import annotations

import os
import time
from typing import Any

from celery.signals import task_postrun

from shared.queue import RESCORE_BATCH
from workers.celery_app import app

if os.environ.get("FAULTS_REJECT_ON_WORKER_LOST", "true").lower() == "false":
    app.conf.task_reject_on_worker_lost = False

# Force the misconfiguration settings refuse (a time limit past the visibility
# timeout), so a test can make Redis deliver a still-running task twice.
if os.environ.get("FAULTS_TIME_LIMIT"):
    app.conf.task_time_limit = float(os.environ["FAULTS_TIME_LIMIT"])
    app.conf.task_soft_time_limit = float(os.environ["FAULTS_TIME_LIMIT"]) - 1

if os.environ.get("FAULTS_RESCORE_PAUSE"):
    _PAUSE = float(os.environ["FAULTS_RESCORE_PAUSE"])

    @task_postrun.connect
    def _pause_after_rescore(sender: Any = None, **_: Any) -> None:
        if sender is not None and sender.name == RESCORE_BATCH:
            time.sleep(_PAUSE)


app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}


def _preload() -> None:
    import librosa.core.audio  # noqa: F401 - lazily loaded by librosa otherwise
    import librosa.core.pitch  # noqa: F401
    import librosa.core.spectrum  # noqa: F401

    import shared.audio.analysis  # noqa: F401
    import shared.audio.decode  # noqa: F401
    import shared.audio.quality  # noqa: F401
    import shared.transcription.factory  # noqa: F401
    import shared.transcription.openai.engine  # noqa: F401
    import workers.tasks  # noqa: F401


_preload()
