"""The repository contract, run on the in-memory fakes and on Postgres.

What the use cases rely on: conditional state changes (one worker claims),
leases, stages kept, the transcript cache keyed by recognition version, one
score row per version, and transactions that show nothing until committed.
A use case tested on the fakes (tests/shared/services/test_*_use_case.py)
therefore behaves the same on the database.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from shared.db.repositories.records import TranscriptKey
from shared.domain.clock import utcnow
from shared.domain.result import ScoredAttempt, Scores
from shared.domain.scoring import score_recitation
from shared.domain.transcript import SpokenWord, Transcript
from tests.support.worlds import World


def claim(world: World, attempt_id: uuid.UUID, worker: str, lease: float = 60) -> int | None:
    with world.uow() as uow:
        delivery = uow.attempts.claim(attempt_id, worker, lease, utcnow())
        uow.commit()
        return delivery


def result(version: str = "v1") -> ScoredAttempt:
    return ScoredAttempt(scores=Scores(90, 100, 80, 88, 120, 110), words=(), hesitations=(), sections=(),
                         transcript="", engine="offline", model="m", scoring_version=version)  # fmt: skip


def key(sha: str, version: str = "r1") -> TranscriptKey:
    return TranscriptKey(sha, "offline", "m", version, "")


def test_only_one_worker_claims_a_live_attempt(world: World) -> None:
    attempt_id = world.add_attempt()
    assert claim(world, attempt_id, "w1") == 1
    assert claim(world, attempt_id, "w2") is None
    row = world.attempt(attempt_id)
    assert (row["status"], row["delivery_count"], row["worker_id"]) == ("processing", 1, "w1")


def test_an_expired_lease_can_be_claimed_again(world: World) -> None:
    attempt_id = world.add_attempt()
    claim(world, attempt_id, "w1")
    world.set(attempt_id, lease_expires_at=utcnow() - timedelta(seconds=1))
    assert claim(world, attempt_id, "w2") == 2


def test_done_and_failed_attempts_are_never_claimed(world: World) -> None:
    done, failed = world.add_attempt(), world.add_attempt()
    for attempt_id in (done, failed):
        claim(world, attempt_id, "w1")
    with world.uow() as uow:
        uow.attempts.mark_done(done, utcnow())
        assert uow.attempts.fail(failed, "x", "y", utcnow())
        assert not uow.attempts.fail(done, "x", "y", utcnow())  # already ended: unchanged
        uow.commit()
    assert claim(world, done, "w2") is None and claim(world, failed, "w2") is None
    assert world.attempt(done)["status"] == "done"
    assert (world.attempt(failed)["status"], world.attempt(failed)["error_code"]) == ("failed", "x")


def test_a_renewal_never_steals_another_workers_claim(world: World) -> None:
    attempt_id = world.add_attempt()
    claim(world, attempt_id, "w1", lease=1)
    with world.uow() as uow:
        assert not uow.attempts.renew(attempt_id, "w2", 60, utcnow())
        assert uow.attempts.renew(attempt_id, "w1", 60, utcnow())
        expires = uow.attempts.lease_expiry(attempt_id)
        uow.commit()
    assert expires is not None and expires.tzinfo is not None
    assert timedelta(seconds=59) < expires - utcnow() <= timedelta(seconds=60)


def test_only_an_attempt_being_processed_has_a_lease(world: World) -> None:
    attempt_id = world.add_attempt()
    with world.uow() as uow:
        assert uow.attempts.lease_expiry(attempt_id) is None


def test_a_job_carries_the_piece_and_the_stages_kept_across_a_release(world: World) -> None:
    attempt_id = world.add_attempt("the lord is my shepherd")
    claim(world, attempt_id, "w1")
    with world.uow() as uow:
        uow.results.save_analysis(attempt_id, {"duration": 2.0})
        uow.attempts.record_analysis(attempt_id, 2.0, ["quiet"])
        transcript_id = uow.results.save_transcript(key(uuid.uuid4().hex), "lord", {"words": []}, utcnow())
        uow.attempts.link_transcript(attempt_id, transcript_id)
        uow.attempts.release(attempt_id, utcnow())
        uow.commit()
    row = world.attempt(attempt_id)
    assert (row["status"], row["stage"], row["warnings"], row["duration_seconds"]) == (
        "queued",
        "transcribed",
        ["quiet"],
        2.0,
    )
    with world.uow() as uow:
        job = uow.attempts.job(attempt_id)
        assert (job.reference_text, job.transcript_id, job.format) == (
            "the lord is my shepherd",
            transcript_id,
            "wav",
        )
        assert uow.results.analysis(attempt_id) == {"duration": 2.0}


def test_the_transcript_cache_misses_when_the_recognition_version_changes(world: World) -> None:
    sha = uuid.uuid4().hex
    with world.uow() as uow:
        first = uow.results.save_transcript(key(sha, "r1"), "a", {"words": [], "n": 1}, utcnow())
        again = uow.results.save_transcript(key(sha, "r1"), "b", {"words": [], "n": 2}, utcnow())
        uow.commit()
    assert again == first  # the stored row stays: a concurrent delivery's words win
    with world.uow() as uow:
        stored = uow.results.find_transcript(key(sha, "r1"))
        assert stored is not None and stored.id == first and stored.data["n"] == 1
        assert uow.results.find_transcript(key(sha, "r2")) is None
        assert uow.results.transcript(first) == stored


def test_a_duplicate_delivery_cannot_write_a_second_score(world: World) -> None:
    attempt_id = world.add_attempt()
    claim(world, attempt_id, "w1")
    for expected in ({attempt_id}, set()):
        with world.uow() as uow:
            assert uow.results.add_scores([(attempt_id, result("v1"))], utcnow()) == expected
            uow.commit()
    with world.uow() as uow:
        assert uow.results.add_scores([(attempt_id, result("v2"))], utcnow()) == {attempt_id}
        uow.commit()


def test_an_attempt_deleted_since_its_batch_loaded_it_gets_no_score_and_fails_nothing(world: World) -> None:
    kept, gone = world.add_attempt(), world.add_attempt()
    with world.uow() as uow:
        uow.attempts.delete([gone])  # its learner deleted it while a re-scoring batch scored it
        uow.commit()
    with world.uow() as uow:
        assert uow.results.add_scores([(gone, result("v1")), (kept, result("v1"))], utcnow()) == {kept}
        uow.commit()
    with world.uow() as uow:
        score = uow.results.latest_score(kept)
        assert score is not None and score.scoring_version == "v1"


def test_a_stored_result_reads_back_as_the_contract_dict(world: World) -> None:
    attempt_id = world.add_attempt()
    words = tuple(
        SpokenWord(w, k * 0.5, k * 0.5 + 0.4) for k, w in enumerate("the lord um is my sheep".split())
    )
    scored = score_recitation("The Lord is my shepherd.\n\nCafé — 1863.", Transcript.of(words, "e", "m"),
                              pauses=[(0.9, 2.1)], duration=4.0)  # fmt: skip
    with world.uow() as uow:
        assert uow.results.add_scores([(attempt_id, scored)], utcnow()) == {attempt_id}
        uow.commit()
    with world.uow() as uow:
        stored = uow.results.latest_score(attempt_id)
    assert stored is not None and json.loads(json.dumps(stored.result)) == json.loads(
        json.dumps(scored.to_dict())
    )
    assert (stored.accuracy, stored.overall, stored.wpm) == (
        scored.scores.accuracy,
        scored.scores.overall,
        scored.scores.wpm,
    )


def test_stuck_attempts_are_found_and_requeued_once(world: World) -> None:
    now = utcnow()
    old = world.add_attempt(queued_at=now - timedelta(hours=1))
    fresh = world.add_attempt()
    dead = world.add_attempt()
    claim(world, dead, "dead")
    world.set(dead, lease_expires_at=now - timedelta(seconds=1))
    with world.uow() as uow:
        found = dict(uow.attempts.stuck(now, now - timedelta(minutes=5), 500))
        assert old in found and dead in found and fresh not in found and found[dead] == 1
        uow.attempts.requeue([old, dead], now)
        uow.commit()
    assert world.attempt(dead)["status"] == "queued" and world.attempt(dead)["worker_id"] is None
    with world.uow() as uow:
        assert not {old, dead} & {i for i, _ in uow.attempts.stuck(now, now - timedelta(minutes=5), 500)}


def test_done_attempts_with_stored_results_are_pending_until_scored_at_the_version(world: World) -> None:
    text = f"piece {uuid.uuid4().hex}"
    attempt_id = world.add_attempt(text)
    other = world.add_attempt(text)  # no analysis: not re-scorable
    claim(world, attempt_id, "w1")
    with world.uow() as uow:
        uow.results.save_analysis(attempt_id, {"duration": 1.0})
        transcript_id = uow.results.save_transcript(key(uuid.uuid4().hex), "", {"words": []}, utcnow())
        uow.attempts.link_transcript(attempt_id, transcript_id)
        uow.attempts.mark_done(attempt_id, utcnow())
        uow.commit()
    with world.uow() as uow:
        piece_id = uow.results.stored_for_rescoring([attempt_id, other], "v9")[0].piece_id
        assert uow.attempts.pending_rescore("v9", piece_id) == [attempt_id]
        assert uow.attempts.piece_texts({piece_id}) == {piece_id: text}
        uow.results.add_scores([(attempt_id, result("v9"))], utcnow())
        uow.commit()
    with world.uow() as uow:
        assert uow.attempts.pending_rescore("v9", piece_id) == []
        assert uow.results.stored_for_rescoring([attempt_id], "v9") == []


def test_nothing_shows_until_committed_and_a_rollback_forgets(world: World) -> None:
    attempt_id = world.add_attempt()
    with world.uow() as uow:
        assert not uow.in_transaction()
        uow.attempts.claim(attempt_id, "w1", 60, utcnow())
        assert uow.in_transaction()
        with world.uow() as other:
            assert other.attempts.lease_expiry(attempt_id) is None  # not committed yet
        uow.rollback()
        assert not uow.in_transaction()
    assert world.attempt(attempt_id)["status"] == "queued"
    with world.uow() as uow:
        uow.attempts.claim(attempt_id, "w1", 60, utcnow())
    assert world.attempt(attempt_id)["status"] == "queued"  # leaving without a commit rolls back


def test_scores_given_lazily_are_all_written_once(world: World) -> None:
    attempts = [world.add_attempt() for _ in range(60)]  # more than one chunk of the Postgres path
    for expected in (set(attempts), set()):  # a repeated batch (a redelivered task) adds nothing
        with world.uow() as uow:
            lazily = ((attempt_id, result("v1")) for attempt_id in attempts)
            assert uow.results.add_scores(lazily, utcnow()) == expected
            uow.commit()
    with world.uow() as uow:
        assert all(uow.results.latest_score(a) is not None for a in attempts)
        assert uow.results.add_scores(iter(()), utcnow()) == set()


def test_a_worker_can_hold_an_attempt_only_until_it_is_deleted(world: World) -> None:
    attempt_id = world.add_attempt()
    claim(world, attempt_id, "w1")
    with world.uow() as uow:
        assert uow.attempts.hold(attempt_id)
        uow.rollback()
        uow.attempts.delete([attempt_id])
        uow.commit()
    with world.uow() as uow:
        assert not uow.attempts.hold(attempt_id)
