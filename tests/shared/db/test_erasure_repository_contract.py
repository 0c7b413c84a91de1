"""Deleting attempts and releasing pieces, on the in-memory fake and on Postgres."""

from __future__ import annotations

import uuid

from shared.db.repositories.records import TranscriptKey
from shared.domain.clock import utcnow
from shared.domain.result import ScoredAttempt, Scores
from tests.support.worlds import World


def scored() -> ScoredAttempt:
    return ScoredAttempt(scores=Scores(90, 100, 80, 88, 120, 110), words=(), hesitations=(), sections=(),
                         transcript="", engine="offline", model="m", scoring_version="v1")  # fmt: skip


def with_results(world: World, attempt_id: uuid.UUID, transcript_id: uuid.UUID) -> None:
    with world.uow() as uow:
        uow.attempts.link_transcript(attempt_id, transcript_id)
        uow.results.save_analysis(attempt_id, {"duration": 1.0})
        uow.results.add_scores([(attempt_id, scored())], utcnow())
        uow.results.save_coaching_note(attempt_id, "v1", "rule", "note", "model", utcnow())
        uow.commit()


def test_deleting_attempts_deletes_their_results_and_unshared_transcripts(world: World) -> None:
    gone, sharer, alone = world.add_attempt(), world.add_attempt(), world.add_attempt()
    with world.uow() as uow:
        shared_id = uow.results.save_transcript(TranscriptKey(uuid.uuid4().hex, "offline", "m", "r", ""), "a",
                                                {"words": []}, utcnow())  # fmt: skip
        own_id = uow.results.save_transcript(TranscriptKey(uuid.uuid4().hex, "offline", "m", "r", ""), "b",
                                             {"words": []}, utcnow())  # fmt: skip
        uow.commit()
    with_results(world, gone, shared_id)
    with_results(world, sharer, shared_id)
    with_results(world, alone, own_id)
    with world.uow() as uow:
        uow.attempts.delete([gone, alone])
        uow.attempts.delete([])
        uow.commit()
    with world.uow() as uow:
        for attempt_id in (gone, alone):
            assert uow.attempts.get(attempt_id) is None
            assert uow.results.analysis(attempt_id) is None
            assert uow.results.latest_score(attempt_id) is None
            assert uow.results.coaching_note(attempt_id, "v1") is None
        assert uow.results.transcript(own_id) is None
        assert uow.results.transcript(shared_id) is not None  # the other attempt still uses it
        assert uow.results.latest_score(sharer) is not None and uow.results.analysis(sharer) is not None


def test_a_leaving_owners_pieces_go_unless_someone_else_recited_them(world: World) -> None:
    owner, other = world.add_user(), world.add_user()
    with world.uow() as uow:
        private = uow.pieces.add(owner, "mine", "a b", "private", utcnow())
        unrecited = uow.pieces.add(owner, "shared, unread", "c d", "public", utcnow())
        recited = uow.pieces.add(owner, "ours", "c d", "public", utcnow())
        unshared = uow.pieces.add(owner, "made private, recited before", "c d", "private", utcnow())
        theirs = uow.pieces.add(other, "theirs", "e f", "private", utcnow())
        uow.commit()
    kept_by = world.add_attempt(learner_id=other, piece_id=recited.id)
    world.add_attempt(learner_id=other, piece_id=unshared.id)  # the foreign key would refuse deleting it
    legacy = world.add_attempt(learner_id=other)  # on an ownerless piece from before accounts
    legacy_piece = world.attempt(legacy)["piece_id"]
    with world.uow() as uow:
        uow.pieces.release(owner, utcnow())
        uow.commit()
    with world.uow() as uow:
        assert uow.pieces.get(private.id) is None and uow.pieces.get(unrecited.id) is None
        kept = uow.pieces.get(recited.id)
        assert kept is not None and (kept.owner_id, kept.visibility, kept.title) == (None, "public", "ours")
        assert uow.pieces.get(theirs.id) == theirs
        left = uow.pieces.get(unshared.id)
        assert left is not None and left.owner_id is None
    with world.uow() as uow:
        assert uow.pieces.drop_released_unrecited() == 0  # both still recited
        uow.attempts.delete([kept_by, legacy])
        assert uow.pieces.drop_released_unrecited() == 1
        uow.commit()
    with world.uow() as uow:
        assert uow.pieces.get(recited.id) is None  # released, and its last attempt gone
        assert uow.pieces.get(unshared.id) is not None  # still recited
        assert uow.pieces.get(legacy_piece) is not None  # never released: stays


def test_others_failed_attempts_on_an_owners_pieces_are_found(world: World) -> None:
    owner, other = world.add_user(), world.add_user()
    with world.uow() as uow:
        piece = uow.pieces.add(owner, "mine", "a b", "public", utcnow())
        uow.commit()
    failed = world.add_attempt(learner_id=other, piece_id=piece.id, status="failed")
    world.add_attempt(learner_id=other, piece_id=piece.id)  # queued: not failed
    world.add_attempt(learner_id=owner, piece_id=piece.id, status="failed")  # the owner's own
    world.add_attempt(learner_id=other, status="failed")  # on another piece
    with world.uow() as uow:
        assert uow.attempts.failed_on_pieces_of(owner) == [(failed, world.attempt(failed)["storage_key"])]
