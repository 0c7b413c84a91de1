"""A learner's progress on a piece, on the real Postgres: each attempt's newest score
counts, so re-scoring changes the chart, the weakest sections and the schedule."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from shared.container import Container
from shared.db import models
from shared.db.repositories.port import UnitOfWorkPort
from shared.services import users
from shared.services.progress import chart_series, piece_progress
from tests.support.results import scored_result, store_score

TEXT = "The Lord is my shepherd; I shall not want. He maketh me to lie down in green pastures."
WHOLE = "The Lord is my shepherd I shall not want He maketh me to lie down in green pastures"
FIRST_ONLY = "The Lord is my shepherd I shall not want"


def user(uow, handle: str) -> users.UserView:  # type: ignore[no-untyped-def]
    return users.view(uow.session.query(models.User).filter_by(handle=handle).one())


def setup(pg: Container, handle: str) -> uuid.UUID:
    with pg.uow() as uow:
        piece = models.Piece(title="Psalm", text=TEXT)
        uow.session.add_all([models.User(handle=handle), piece])
        uow.commit()
        return piece.id


def attempt(
    pg: Container,
    handle: str,
    piece_id: uuid.UUID,
    spoken: str,
    days_ago: float,
    pauses: dict[int, float] | None = None,
) -> uuid.UUID:
    with pg.uow() as uow:
        learner = uow.session.query(models.User).filter_by(handle=handle).one()
        row = models.Attempt(
            learner_id=learner.id,
            piece_id=piece_id,
            status="done",
            storage_key="k",
            sha256="0" * 64,
            size_bytes=1,
            format="wav",
            created_at=datetime.now(UTC) - timedelta(days=days_ago),
        )
        uow.session.add(row)
        uow.session.flush()
        add_score(uow, row.id, spoken, "v1", pauses)
        uow.commit()
        return row.id


def add_score(
    uow: UnitOfWorkPort,
    attempt_id: uuid.UUID,
    spoken: str,
    version: str,
    pauses: dict[int, float] | None = None,
) -> None:
    store_score(uow, attempt_id, scored_result(TEXT, spoken, pauses), version)


def test_progress_orders_attempts_and_puts_the_lost_section_first(pg: Container) -> None:
    handle = f"p-{uuid.uuid4().hex[:8]}"
    piece_id = setup(pg, handle)
    attempt(pg, handle, piece_id, FIRST_ONLY, days_ago=2)
    attempt(pg, handle, piece_id, WHOLE, days_ago=1)
    with pg.uow() as uow:
        progress = piece_progress(uow, user(uow, handle), piece_id)
    assert [p.accuracy for p in progress.points] == [50.0, 100.0]
    assert chart_series(progress)["accuracy"] == [50.0, 100.0]
    assert [s.index for s in progress.weakest] == [1]
    assert progress.next_up[0].index == 1  # forgotten two days ago: due before the other


def test_a_word_that_needed_a_prompt_makes_its_section_weak_though_word_perfect(pg: Container) -> None:
    handle = f"p-{uuid.uuid4().hex[:8]}"
    piece_id = setup(pg, handle)
    attempt(pg, handle, piece_id, WHOLE, days_ago=2)
    with pg.uow() as uow:
        assert piece_progress(uow, user(uow, handle), piece_id).weakest == []
    attempt(pg, handle, piece_id, WHOLE, days_ago=1, pauses={9: 4.0})  # 4 s of silence before "He"
    with pg.uow() as uow:
        progress = piece_progress(uow, user(uow, handle), piece_id)
    assert [p.accuracy for p in progress.points] == [100.0, 100.0]
    [weak] = progress.weakest
    assert (weak.index, weak.mean_accuracy, weak.prompted, weak.pauses) == (1, 100.0, 1, 1)


def test_a_recording_of_another_text_is_charted_but_reviews_no_section(pg: Container) -> None:
    handle = f"p-{uuid.uuid4().hex[:8]}"
    piece_id = setup(pg, handle)
    attempt(pg, handle, piece_id, WHOLE, days_ago=3)
    attempt(pg, handle, piece_id, WHOLE, days_ago=1)
    with pg.uow() as uow:
        clean = piece_progress(uow, user(uow, handle), piece_id)
    mary = "Mary had a little lamb its fleece was white as snow and everywhere that Mary went"
    attempt(pg, handle, piece_id, mary, days_ago=1 - 1 / 1440)  # a minute later, the same sitting
    with pg.uow() as uow:
        progress = piece_progress(uow, user(uow, handle), piece_id)
    assert len(progress.points) == 3 and progress.points[-1].accuracy < 25
    assert progress.weakest == [] and progress.next_up == clean.next_up  # QA: both sections were due at once


def test_a_rescore_replaces_the_old_ratings(pg: Container) -> None:
    handle = f"p-{uuid.uuid4().hex[:8]}"
    piece_id = setup(pg, handle)
    attempt_id = attempt(pg, handle, piece_id, FIRST_ONLY, days_ago=3)
    with pg.uow() as uow:
        before = piece_progress(uow, user(uow, handle), piece_id)
        add_score(uow, attempt_id, WHOLE, "v2")  # a new scoring version heard it all
        uow.commit()
    with pg.uow() as uow:
        after = piece_progress(uow, user(uow, handle), piece_id)
    assert [p.accuracy for p in after.points] == [100.0]
    assert after.weakest == [] and before.weakest[0].index == 1
    assert after.next_up[0].due > before.next_up[0].due


def test_someone_else_sees_no_progress_of_yours(pg: Container) -> None:
    handle = f"p-{uuid.uuid4().hex[:8]}"
    piece_id = setup(pg, handle)
    attempt(pg, handle, piece_id, WHOLE, days_ago=1)
    with pg.uow() as uow:
        uow.session.add(models.User(handle=f"{handle}-other"))
        uow.commit()
        assert piece_progress(uow, user(uow, f"{handle}-other"), piece_id).points == []
