"""The front door's reads, on the in-memory fakes and on Postgres: a learner's
own attempts, newest scores and coaching notes (the same tests on both)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from shared.domain.clock import utcnow
from shared.domain.result import ScoredAttempt, Scores
from tests.support.worlds import World


def scored(version: str, accuracy: float = 90) -> ScoredAttempt:
    return ScoredAttempt(scores=Scores(accuracy, 100, 80, 88, 120, 110), words=(), hesitations=(),
                         sections=(), transcript="", engine="offline", model="m",
                         scoring_version=version)  # fmt: skip


def add_score(
    world: World, attempt_id: uuid.UUID, version: str, accuracy: float = 90, seconds: int = 0
) -> None:
    with world.uow() as uow:
        uow.results.add_scores(
            [(attempt_id, scored(version, accuracy))], utcnow() + timedelta(seconds=seconds)
        )
        uow.commit()


def test_an_attempt_is_read_by_id_and_by_its_owner_only(world: World) -> None:
    attempt_id = world.add_attempt(warnings=["clipping"])
    learner = world.attempt(attempt_id)["learner_id"]
    with world.uow() as uow:
        record = uow.attempts.get(attempt_id)
        assert record is not None and uow.attempts.owned(attempt_id, learner) == record
        assert (record.learner_id, record.status, record.size_bytes, record.warnings) == (
            learner, "queued", 1, ["clipping"],
        )  # fmt: skip
        assert uow.attempts.owned(attempt_id, world.add_user()) is None
        assert uow.attempts.get(uuid.uuid4()) is None


def test_a_learners_attempts_list_newest_first_filtered_and_paged(world: World) -> None:
    learner, now = world.add_user(), utcnow()
    old, new, failed = (world.add_attempt(learner_id=learner, created_at=now - timedelta(minutes=m))
                        for m in (3, 1, 2))  # fmt: skip
    world.set(failed, status="failed")
    world.add_attempt()  # someone else's
    with world.uow() as uow:
        listed, total = uow.attempts.list_owned(learner, 10, 0)
        assert ([a.id for a in listed], total) == ([new, failed, old], 3)
        page, total = uow.attempts.list_owned(learner, 1, 1, ["queued"])
        assert ([a.id for a in page], total) == ([old], 2)
        either, total = uow.attempts.list_owned(learner, 10, 0, ["failed", "queued"])
        assert ([a.id for a in either], total) == ([new, failed, old], 3)


def test_a_learners_attempts_list_by_piece(world: World) -> None:
    first = world.add_attempt(status="failed")
    learner, piece = world.attempt(first)["learner_id"], world.attempt(first)["piece_id"]
    second = world.add_attempt(learner_id=learner, piece_id=piece, created_at=utcnow() + timedelta(seconds=1))
    elsewhere = world.add_attempt(learner_id=learner)
    world.add_attempt(piece_id=piece)  # another learner's, on the same piece
    with world.uow() as uow:
        on_piece, total = uow.attempts.list_owned(learner, 10, 0, (), piece)
        assert ([a.id for a in on_piece], total) == ([second, first], 2)
        failed, total = uow.attempts.list_owned(learner, 10, 0, ["failed"], piece)
        assert ([a.id for a in failed], total) == ([first], 1)
        assert uow.attempts.list_owned(learner, 10, 0, (), None)[1] == 3
        assert uow.attempts.list_owned(learner, 10, 0, (), world.attempt(elsewhere)["piece_id"])[1] == 1


def test_the_latest_score_is_the_newest_row(world: World) -> None:
    attempt_id = world.add_attempt()
    with world.uow() as uow:
        assert uow.results.latest_score(attempt_id) is None
    add_score(world, attempt_id, "v1", 50)
    add_score(world, attempt_id, "v2", 70, seconds=5)
    with world.uow() as uow:
        latest = uow.results.latest_score(attempt_id)
    assert latest is not None
    assert (latest.scoring_version, latest.accuracy, latest.result["scoring_version"]) == ("v2", 70, "v2")
    assert latest.attempt_created_at == world.attempt(attempt_id)["created_at"]
    with world.uow() as uow:
        stamps = uow.results.score_stamps(attempt_id)
    assert [(s.scoring_version, s.accuracy) for s in stamps] == [("v1", 50), ("v2", 70)]  # oldest first


def test_newest_scores_are_one_per_attempt_of_the_learner_on_the_piece(world: World) -> None:
    first = world.add_attempt(created_at=utcnow() - timedelta(minutes=5))
    learner, piece = world.attempt(first)["learner_id"], world.attempt(first)["piece_id"]
    second = world.add_attempt(learner_id=learner, piece_id=piece)
    unscored = world.add_attempt(learner_id=learner, piece_id=piece)
    other_piece = world.add_attempt(learner_id=learner)
    add_score(world, second, "v1", 60)
    add_score(world, first, "v1", 40)
    add_score(world, first, "v2", 45, seconds=5)
    add_score(world, other_piece, "v1", 99)
    with world.uow() as uow:
        newest = uow.results.newest_scores(learner, piece)
    assert [(s.attempt_id, s.scoring_version, s.accuracy) for s in newest] == [
        (first, "v2", 45),
        (second, "v1", 60),
    ]
    assert unscored not in {s.attempt_id for s in newest}


def test_a_coaching_note_is_stored_once_per_score_version(world: World) -> None:
    attempt_id = world.add_attempt()
    with world.uow() as uow:
        assert uow.results.coaching_note(attempt_id, "v1") is None
        uow.results.save_coaching_note(attempt_id, "v1", "rule", "first", "m", utcnow())
        uow.commit()
    with world.uow() as uow:  # a concurrent delivery's rewrite: the stored one stays
        uow.results.save_coaching_note(attempt_id, "v1", "rule", "second", "m", utcnow())
        uow.results.save_coaching_note(attempt_id, "v2", "rule", "newer", "m", utcnow())
        uow.commit()
    with world.uow() as uow:
        notes = [uow.results.coaching_note(attempt_id, v) for v in ("v1", "v2", "v3")]
    assert notes == ["first", "newer", None]
