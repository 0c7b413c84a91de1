"""`recital sweep` as an operator runs it: with the broker down it says nothing was sent."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from shared.container import Container
from shared.db import models
from shared.db.migrate import upgrade
from shared.domain.clock import utcnow
from shared.settings import Settings
from tests.cli.test_commands import embedded_env, recital


def test_a_sweep_the_broker_refuses_exits_1_saying_how_many_were_not_sent(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    upgrade(settings)
    with Container(settings).uow() as uow:
        learner = models.User(handle="stuck")
        piece = models.Piece(title="Psalm", text="The Lord is my shepherd.", visibility="private")
        uow.session.add_all([learner, piece])
        uow.session.flush()
        piece.owner_id = learner.id
        uow.session.add(models.Attempt(
            learner_id=learner.id, piece_id=piece.id, storage_key="k", sha256="0" * 64, size_bytes=1,
            format="wav", queued_at=utcnow() - timedelta(hours=1),
        ))  # fmt: skip
        uow.commit()
    down = {**embedded_env(tmp_path), "RECITAL_BROKER_URL": "redis://127.0.0.1:1/0"}
    run = recital("sweep", env=down)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "resent 0, failed 0" in run.stdout and "did not take 1" in run.stderr
    assert "Traceback" not in run.stderr
