"""Batch re-scoring's Postgres statements: inserts pipelined with the scoring, loads in binary."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from shared.container import Container
from shared.db.repositories.score_batches import CHUNK
from shared.domain.clock import utcnow
from shared.domain.result import ScoredAttempt, Scores
from tests.support.worlds import PostgresWorld


def result() -> ScoredAttempt:
    return ScoredAttempt(scores=Scores(90, 100, 80, 88, 120, 110), words=(), hesitations=(), sections=(),
                         transcript="", engine="offline", model="m", scoring_version="v1")  # fmt: skip


def test_each_chunk_is_sent_while_the_next_is_still_being_scored(
    pg_container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = PostgresWorld(pg_container)
    attempts = [world.add_attempt() for _ in range(2 * CHUNK + 3)]
    events: list[str] = []
    execute = psycopg.Cursor.execute

    def record(cursor: psycopg.Cursor[Any], query: Any, *args: Any, **kwargs: Any) -> Any:
        events.append("insert" if "INSERT INTO scores" in str(query) else "other")
        return execute(cursor, query, *args, **kwargs)

    def scored() -> Iterator[tuple[uuid.UUID, ScoredAttempt]]:
        for attempt_id in attempts:
            events.append("scored")
            yield attempt_id, result()

    monkeypatch.setattr(psycopg.Cursor, "execute", record)
    with world.uow() as uow:
        assert uow.results.add_scores(scored(), utcnow()) == set(attempts)
        uow.commit()
    inserts = [at for at, event in enumerate(events) if event == "insert"]
    # Three inserts, each sent right after its chunk, before the next attempt is scored.
    assert len(inserts) == 3
    assert [events[:at].count("scored") for at in inserts] == [CHUNK, 2 * CHUNK, 2 * CHUNK + 3]


def test_an_interrupted_batch_writes_nothing(pg_container: Container) -> None:
    world = PostgresWorld(pg_container)
    attempts = [world.add_attempt() for _ in range(CHUNK + 1)]

    def scored() -> Iterator[tuple[uuid.UUID, ScoredAttempt]]:
        yield from ((attempt_id, result()) for attempt_id in attempts[:CHUNK])  # the first chunk is sent
        raise TimeoutError("the task's soft time limit")

    with world.uow() as uow, pytest.raises(TimeoutError):
        uow.results.add_scores(scored(), utcnow())
    with world.uow() as uow:
        assert [uow.results.latest_score(a) for a in attempts] == [None] * len(attempts)
        assert uow.results.add_scores([(attempts[0], result())], utcnow()) == {attempts[0]}


def test_an_attempt_deleted_while_the_batch_writes_is_skipped_after_the_deletion_commits(
    pg_container: Container,
) -> None:
    world = PostgresWorld(pg_container)
    kept, gone = world.add_attempt(), world.add_attempt()
    added: list[set[uuid.UUID]] = []
    with world.uow() as deleting:
        deleting.attempts.delete([gone])  # holds the attempt's row lock until its commit

        def write() -> None:
            with world.uow() as uow:
                added.append(uow.results.add_scores([(gone, result()), (kept, result())], utcnow()))
                uow.commit()

        writer = threading.Thread(target=write)
        writer.start()
        writer.join(0.5)
        assert writer.is_alive()  # the insert waits for the deletion in flight
        deleting.commit()
    writer.join(10)
    assert added == [{kept}]  # without the lock's skip: a foreign-key error for the whole batch
    with world.uow() as uow:
        assert uow.results.latest_score(gone) is None and uow.results.latest_score(kept) is not None
