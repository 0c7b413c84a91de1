"""What submitting asks of the database, on the in-memory fakes and on Postgres:
the insert and its keys, idempotency keys, the queue cap's count, piece access."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace

import pytest
from sqlalchemy import event, text

from shared.container import Container
from shared.db.repositories.records import Conflict, KeyedAttempt, NewAttempt, PieceAccess
from shared.domain.clock import utcnow
from tests.support.worlds import World


def new_piece(world: World, owner: uuid.UUID, visibility: str = "private") -> uuid.UUID:
    with world.uow() as uow:
        piece = uow.pieces.add(owner, "t", "one two", visibility, utcnow())
        uow.commit()
        return piece.id


def new(learner: uuid.UUID, piece: uuid.UUID, key: str | None = None) -> NewAttempt:
    attempt_id = uuid.uuid4()
    return NewAttempt(attempt_id, learner, piece, f"attempts/{attempt_id}.wav", "a" * 64, 10, "wav", key)


def add(world: World, attempt: NewAttempt) -> None:
    with world.uow() as uow:
        uow.attempts.add(attempt)
        uow.commit()


def test_an_added_attempt_is_queued_and_found_by_its_key(world: World) -> None:
    learner = world.add_user()
    attempt = new(learner, new_piece(world, learner), "key-1")
    add(world, attempt)
    row = world.attempt(attempt.id)
    assert (row["status"], row["stage"], row["delivery_count"], row["size_bytes"]) == (
        "queued",
        "uploaded",
        0,
        10,
    )
    with world.uow() as uow:
        assert uow.attempts.keyed(learner, "key-1") == KeyedAttempt(attempt.id, attempt.piece_id, "a" * 64)
        assert uow.attempts.keyed(learner, "key-2") is None
        assert uow.attempts.keyed(world.add_user(), "key-1") is None  # keys are per learner


def test_a_reused_key_or_a_taken_id_conflicts(world: World) -> None:
    learner, other = world.add_user(), world.add_user()
    piece = new_piece(world, learner, "public")
    first = new(learner, piece, "k")
    add(world, first)
    add(world, new(other, piece, "k"))  # another learner's "k"
    add(world, new(learner, piece))  # no key: never collides
    add(world, new(learner, piece))
    for clash in (new(learner, piece, "k"), first):
        with world.uow() as uow, pytest.raises(Conflict):
            uow.attempts.add(clash)
    with world.uow() as uow:
        assert uow.attempts.count_open(learner, at_most=10) == 3


def test_only_a_piece_the_learner_may_recite_takes_an_attempt(world: World) -> None:
    owner, other = world.add_user(), world.add_user()
    private, public = new_piece(world, owner), new_piece(world, owner, "public")
    with world.uow() as uow:
        assert uow.attempts.add(new(owner, private)) and uow.attempts.add(new(other, public))
        for refused in (new(other, private), new(other, uuid.uuid4())):  # another's private piece, none
            assert not uow.attempts.add(refused)
            assert not uow.attempts.add(refused, max_open=10)
        uow.commit()
    with world.uow() as uow:
        assert (uow.attempts.count_on_piece(private), uow.attempts.count_on_piece(public)) == (1, 1)


def test_open_attempts_are_the_queued_and_processing_ones(world: World) -> None:
    learner = world.add_user()
    piece = new_piece(world, learner)
    attempts = [new(learner, piece) for _ in range(4)]
    for attempt in attempts:
        add(world, attempt)
    world.set(attempts[1].id, status="processing")
    world.set(attempts[2].id, status="done")
    world.set(attempts[3].id, status="failed")
    with world.uow() as uow:
        assert uow.attempts.count_open(learner, at_most=10) == 2
        assert uow.attempts.count_open(learner, at_most=1) == 1  # counting stops there
        assert uow.attempts.count_open(world.add_user(), at_most=10) == 0


def test_a_capped_add_inserts_only_while_the_learner_has_room(world: World) -> None:
    learner = world.add_user()
    piece = new_piece(world, learner, "public")
    first, second, third = (new(learner, piece) for _ in range(3))
    with world.uow() as uow:
        assert uow.attempts.add(first, max_open=2) and uow.attempts.add(second, max_open=2)
        assert not uow.attempts.add(third, max_open=2)  # two open: refused, nothing inserted
        uow.commit()
    assert world.attempt(first.id)["status"] == "queued" and world.attempt(first.id)["warnings"] == []
    world.set(first.id, status="done")  # one done: room again
    with world.uow() as uow:
        assert uow.attempts.add(third, max_open=2)
        assert uow.attempts.add(new(world.add_user(), piece), max_open=1)  # counts are per learner
        uow.commit()
        assert uow.attempts.count_open(learner, at_most=10) == 2
    row = world.attempt(third.id)
    found = (row["status"], row["stage"], row["delivery_count"], row["sha256"])
    assert found == ("queued", "uploaded", 0, "a" * 64)
    with world.uow() as uow, pytest.raises(Conflict):  # with room, the keys still hold
        uow.attempts.add(third, max_open=10)


def test_piece_access_is_owner_and_visibility(world: World) -> None:
    owner = world.add_user()
    private, public = new_piece(world, owner), new_piece(world, owner, "public")
    with world.uow() as uow:
        assert uow.pieces.access(private) == PieceAccess(owner, "private")
        assert uow.pieces.access(public) == PieceAccess(owner, "public")
        assert uow.pieces.access(uuid.uuid4()) is None


def test_counting_open_attempts_uses_the_partial_index_even_in_a_generic_plan(
    pg_container: Container,
) -> None:
    """psycopg prepares a statement after five runs; its generic plan can use
    ix_attempts_learner_open only if the count states the index's predicate in
    the same constants (bound status values would hide it)."""
    seen: list[str] = []
    engine = pg_container.engine
    listener = lambda conn, cursor, statement, *rest: seen.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with pg_container.uow() as uow:
            uow.attempts.count_open(uuid.uuid4(), at_most=10)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    names = iter(range(1, 10))
    prepared = re.sub(r"%\(\w+\)s", lambda _: f"${next(names)}", seen[-1])
    with pg_container.uow() as uow:
        run = uow.session.execute
        run(text(f"PREPARE open_count AS {prepared}"))
        run(text("SET LOCAL plan_cache_mode = force_generic_plan"))
        run(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(run(text(f"EXPLAIN EXECUTE open_count('{uuid.uuid4()}', 10)")).scalars())
        run(text("DEALLOCATE open_count"))
    assert "ix_attempts_learner_open" in plan, plan


def test_an_attempt_naming_a_text_version_is_added_only_while_the_text_is_at_it(world: World) -> None:
    learner = world.add_user()
    piece = new_piece(world, learner)
    with world.uow() as uow:
        assert uow.pieces.get(piece).text_version == 1  # type: ignore[union-attr]
        renamed = uow.pieces.change(piece, "a new title", "one two", "public")  # the same text
        changed = uow.pieces.change(piece, "a new title", "one two three", "public")
        uow.commit()
    assert (renamed.text_version, changed.text_version) == (1, 2)
    with world.uow() as uow:
        assert uow.attempts.add(replace(new(learner, piece), text_version=1)) is False
        assert uow.attempts.add(replace(new(learner, piece), text_version=2)) is True
        assert uow.attempts.add(new(learner, piece)) is True  # naming none: as before
        uow.commit()
    with world.uow() as uow:
        assert uow.attempts.count_on_piece(piece) == 2


def test_a_new_piece_reads_back_at_its_first_text_version(world: World) -> None:
    with world.uow() as uow:
        added = uow.pieces.add(world.add_user(), "t", "one", "private", utcnow())
        uow.commit()
    assert added.text_version == 1
