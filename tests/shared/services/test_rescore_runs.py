"""Re-scoring runs as records on real Postgres: counted once, cancelled, filtered, reported."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import text

from shared.container import Container
from shared.db.repositories.runs_port import BatchCount, RunFilter, RunRecord
from shared.domain.clock import utcnow
from shared.domain.scoring import SCORING_VERSION
from shared.domain.text import parse_reference
from shared.services.errors import ServiceError
from shared.services.rescore_reports import dry_run, run_report
from shared.services.rescore_runs import (
    cancel_run,
    count_stopped_batch,
    failures,
    find_learner,
    plan_run,
    require_run,
    resume_run,
    run_batch,
    start_run,
)
from shared.services.rescoring import rescore_attempts, score_stored
from tests.support.attempts import OLD_VERSION, TEXT, learner, new_piece, scored_long_ago
from tests.support.recitations import synthesise
from tests.support.runs import Copies, copy_attempts, score_rows

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
Batches = list[tuple[int, list[uuid.UUID]]]


@pytest.fixture(scope="module")
def source(pg: Container, tmp_path_factory: pytest.TempPathFactory) -> uuid.UUID:
    reading = synthesise(TEXT, tmp_path_factory.mktemp("runs") / "reading.wav")
    return scored_long_ago(pg, new_piece(pg), reading)


def start(pg: Container, where: RunFilter) -> RunRecord:
    with pg.uow() as uow:
        return start_run(uow, where, "tests")


def plan(pg: Container, run: RunRecord, batch_size: int) -> Batches:
    batches: Batches = []
    plan_run(pg.uow, run.id, batch_size, lambda _run, no, ids: batches.append((no, ids)))
    return batches


def score(pg: Container, run: RunRecord, batch_no: int, ids: list[uuid.UUID]) -> Any:
    with pg.uow() as uow:
        return run_batch(uow, run.id, batch_no, ids, pg.settings.scoring_options())


def finished_run(pg: Container, source: uuid.UUID) -> tuple[Copies, RunRecord]:
    """Four copies with an older score, re-scored by a run in one batch."""
    made = copy_attempts(pg, source, 4, START, old_result=older_version_said)
    run = start(pg, RunFilter(learner_id=made.learner_id))
    for batch in plan(pg, run, 5):
        score(pg, run, *batch)
    return made, run


def load(pg: Container, run: RunRecord) -> RunRecord:
    with pg.uow() as uow:
        return require_run(uow, run.id)


def test_a_run_counts_each_batch_once_and_finishes(pg: Container, source: uuid.UUID) -> None:
    made = copy_attempts(pg, source, 12, START, broken=2)
    run = start(pg, RunFilter(learner_id=made.learner_id))
    batches = plan(pg, run, 5)
    assert [(no, len(ids)) for no, ids in batches] == [(0, 5), (1, 5), (2, 2)]
    assert [i for _, ids in batches for i in ids] == made.ids  # oldest first, by keyset pages
    assert load(pg, run).total == 12 and load(pg, run).state == "running"
    score(pg, run, *batches[0])
    score(pg, run, *batches[1])
    again = score(pg, run, *batches[0])  # a redelivered batch: scores nothing, counts nothing
    assert (again.scored, again.skipped) == (0, 5)
    assert (load(pg, run).done, load(pg, run).skipped) == (10, 0)
    score(pg, run, *batches[2])
    assert score(pg, run, *batches[2]) is None  # the run is finished: nothing more runs
    finished = load(pg, run)
    assert (finished.done, finished.failed, finished.skipped) == (10, 2, 0)
    assert finished.state == "finished" and finished.finished_at is not None
    assert score_rows(pg, made.ids) == {OLD_VERSION: 12, SCORING_VERSION: 10}

    second = start(pg, RunFilter(learner_id=made.learner_id))
    assert [(no, len(ids)) for no, ids in plan(pg, second, 5)] == [(0, 2)]  # only the two that failed
    assert score_rows(pg, made.ids) == {OLD_VERSION: 12, SCORING_VERSION: 10}


def test_an_empty_run_finishes_when_planned(pg: Container) -> None:
    run = start(pg, RunFilter(since=START + timedelta(days=9000)))
    assert plan(pg, run, 5) == []
    assert (load(pg, run).state, load(pg, run).total) == ("finished", 0)


def test_a_cancelled_run_stops_its_remaining_batches(pg: Container, source: uuid.UUID) -> None:
    made = copy_attempts(pg, source, 9, START)
    run = start(pg, RunFilter(learner_id=made.learner_id))
    batches = plan(pg, run, 3)
    score(pg, run, *batches[0])
    with pg.uow() as uow:
        assert cancel_run(uow, run.id).state == "cancelled"
    assert score(pg, run, *batches[1]) is None
    cancelled = load(pg, run)
    assert (cancelled.done, cancelled.state) == (3, "cancelled") and cancelled.finished_at is not None
    assert score_rows(pg, made.ids) == {OLD_VERSION: 9, SCORING_VERSION: 3}
    with pg.uow() as uow, pytest.raises(ServiceError) as refused:
        cancel_run(uow, run.id)
    assert refused.value.code == "rescore_not_running"


def test_a_batch_that_raised_counts_as_failed_so_its_run_still_finishes(
    pg: Container, source: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    from celery.exceptions import SoftTimeLimitExceeded

    import workers.tasks

    made = copy_attempts(pg, source, 6, START)
    run = start(pg, RunFilter(learner_id=made.learner_id))
    batches = plan(pg, run, 3)
    monkeypatch.setattr(workers.tasks, "container", lambda: pg)
    failed_before = REGISTRY.get_sample_value("recital_rescore_attempts_total", {"outcome": "failed"}) or 0
    with monkeypatch.context() as stopped:  # cut short in psycopg's pipeline, whose unwinding raises too
        stopped.setattr(
            workers.tasks, "_rescore_batch", _raise_while_unwinding(SoftTimeLimitExceeded("limit"))
        )
        with pytest.raises(RuntimeError, match="cannot exit pipeline mode"):
            workers.tasks.rescore_batch([str(i) for i in batches[0][1]], str(run.id), batches[0][0])
    failed_after = REGISTRY.get_sample_value("recital_rescore_attempts_total", {"outcome": "failed"})
    assert failed_after == failed_before + 3  # the worker's metrics count them as the run does
    with pg.uow() as uow:  # a redelivery of the batch that raised counts nothing more
        assert not count_stopped_batch(uow, run.id, batches[0][0], batches[0][1], RuntimeError("again"))
    workers.tasks.rescore_batch([str(i) for i in batches[1][1]], str(run.id), batches[1][0])
    finished = load(pg, run)
    assert (finished.state, finished.done, finished.failed, finished.skipped) == ("finished", 3, 3, 0)
    with pg.uow() as uow:
        listed = failures(uow, run.id)
    assert [attempt for attempt, _ in listed] == batches[0][1]
    assert all(reason.startswith("SoftTimeLimitExceeded: the batch stopped") for _, reason in listed)
    assert score_rows(pg, made.ids) == {OLD_VERSION: 6, SCORING_VERSION: 3}  # the rest stay pending
    second = start(pg, RunFilter(learner_id=made.learner_id))
    assert [ids for _, ids in plan(pg, second, 5)] == [batches[0][1]]


def test_an_attempt_deleted_during_its_batch_is_skipped_and_the_rest_scored(
    pg: Container, source: uuid.UUID
) -> None:
    made = copy_attempts(pg, source, 4, START)
    run = start(pg, RunFilter(learner_id=made.learner_id))
    [(batch_no, ids)] = plan(pg, run, 5)

    def learner_deletes_one() -> float:  # called once the batch is loaded, before its scores are written
        with pg.uow() as deleting:
            deleting.attempts.delete([ids[1]])
            deleting.commit()
        return 0.0

    with pg.uow() as uow:
        options = pg.settings.scoring_options()
        report = run_batch(uow, run.id, batch_no, ids, options, give_way=learner_deletes_one)
    assert report is not None and (report.scored, report.skipped, report.failed) == (3, 1, [])
    assert (load(pg, run).state, load(pg, run).done, load(pg, run).skipped) == ("finished", 3, 1)


def _raise_while_unwinding(interrupt: BaseException) -> Any:
    def raising(*_args: Any) -> None:
        try:
            raise interrupt
        finally:
            raise RuntimeError("sending query failed: cannot exit pipeline mode while busy")

    return raising


def test_the_filter_narrows_by_learner_and_time(pg: Container, source: uuid.UUID) -> None:
    made = copy_attempts(pg, source, 6, START)  # 09:00 … 09:05
    where = RunFilter(learner_id=made.learner_id, since=START + timedelta(minutes=2),
                      until=START + timedelta(minutes=5))  # fmt: skip
    batches = plan(pg, start(pg, where), 10)
    assert batches == [(0, made.ids[2:5])]


def test_bad_filters_are_refused(pg: Container) -> None:
    cases = {
        "piece_not_found": RunFilter(piece_id=uuid.uuid4()),
        "invalid_status": RunFilter(status="failed"),
        "invalid_range": RunFilter(since=START, until=START),
    }
    for code, where in cases.items():
        with pg.uow() as uow, pytest.raises(ServiceError) as refused:
            start_run(uow, where, "tests")
        assert refused.value.code == code


def test_a_learner_is_found_by_id_or_by_handle_in_any_case(pg: Container) -> None:
    handle = f"Bob-{uuid.uuid4().hex[:8]}"  # handles are one name whatever the case (migration 0012)
    bob = learner(pg, handle)
    for given in (handle, handle.lower(), handle.upper(), f" {handle.lower()} ", str(bob.id)):
        with pg.uow() as uow:
            assert find_learner(uow, given) == bob.id, given
    with pg.uow() as uow, pytest.raises(ServiceError) as missing:
        find_learner(uow, f"nobody-{uuid.uuid4().hex[:8]}")
    assert missing.value.code == "learner_not_found"


def older_version_said(result: dict[str, Any]) -> dict[str, Any]:
    """What an older scoring said of the same reading: word 1 substituted and an
    extra word after it (a slip this version folds away), 10 points less accuracy."""
    words = result["words"]
    words[1] = {**words[1], "status": "substituted", "spoken": "restored"}
    words.insert(2, {"expected": None, "spoken": "uh", "status": "inserted", "index": None,
                     "start": None, "end": None, "prompted": False})  # fmt: skip
    result["scores"] = {**result["scores"], "accuracy": result["scores"]["accuracy"] - 10}
    return result


def test_a_dry_run_reports_exactly_what_changes_and_writes_nothing(pg: Container, source: uuid.UUID) -> None:
    made = copy_attempts(pg, source, 8, START, old_result=older_version_said)
    where = RunFilter(learner_id=made.learner_id)
    with pg.uow() as uow:
        found = dry_run(uow, where, pg.settings.scoring_options(), sample=5, seed=7)
    assert (found.matching, found.sampled, found.failed) == (8, 5, [])
    report = found.report
    assert report["attempts"] == 5 and report["mean_accuracy_change"] == 10
    assert {b["bucket"]: b["count"] for b in report["histogram"]}["5 to 10"] == 0
    assert {b["bucket"]: b["count"] for b in report["histogram"]}[">= 10"] == 5
    assert report["word_transitions"] == [
        {"from": "inserted", "to": "absent", "count": 5},
        {"from": "substituted", "to": "correct", "count": 5},
    ]
    assert {c["attempt_id"] for c in report["largest_changes"]} <= {str(i) for i in made.ids}
    assert score_rows(pg, made.ids) == {OLD_VERSION: 8}
    with pg.uow() as uow:  # the same seed, the same sample
        again = dry_run(uow, where, pg.settings.scoring_options(), sample=5, seed=7)
    assert again.report == report

    run = start(pg, where)
    for batch in plan(pg, run, 3):
        score(pg, run, *batch)
    with pg.uow() as uow:
        full = run_report(uow, load(pg, run))
    assert full["attempts"] == 8 and full["mean_accuracy_change"] == 10
    assert [t["count"] for t in full["word_transitions"]] == [8, 8]


def test_a_runs_report_holds_what_it_scored_not_what_a_later_run_did(
    pg: Container, source: uuid.UUID
) -> None:
    made = copy_attempts(pg, source, 8, START, old_result=older_version_said)
    where = RunFilter(learner_id=made.learner_id)
    first, batches = start(pg, where), []
    plan_run(pg.uow, first.id, 3, lambda _run, no, ids: batches.append((no, ids)), limit=4)
    for batch in batches:
        score(pg, first, *batch)
    assert (load(pg, first).state, load(pg, first).done) == ("finished", 4)
    second = start(pg, where)  # the rest, at the same version, after the first has finished
    for batch in plan(pg, second, 3):
        score(pg, second, *batch)
    with pg.uow() as uow:
        assert run_report(uow, load(pg, first))["attempts"] == 4
        assert run_report(uow, load(pg, second))["attempts"] == 4


def test_a_resumed_run_sends_new_numbers_and_the_batches_queued_before_stop_unscored(
    pg: Container, source: uuid.UUID
) -> None:
    made = copy_attempts(pg, source, 8, START, old_result=older_version_said)
    run = start(pg, RunFilter(learner_id=made.learner_id))
    queued = plan(pg, run, 3)  # batches 0, 1 and 2; a worker takes only the first
    score(pg, run, *queued[0])
    with pg.uow() as uow:  # paused (a re-transcription run at its cap) with 1 and 2 still queued
        assert uow.runs.change_state(run.id, "paused", ("running",), utcnow())
        uow.commit()
    with pg.uow() as uow:
        resume_run(uow, run.id, None)
    resent = plan(pg, run, 3)
    assert [no for no, _ in resent] == [3, 4]  # never a number still queued
    assert [score(pg, run, *batch) for batch in queued[1:]] == [None, None]  # sent before the resume
    for batch in resent:
        score(pg, run, *batch)
    finished = load(pg, run)
    assert (finished.state, finished.done, finished.skipped, finished.total) == ("finished", 8, 0, 8)
    with pg.uow() as uow:  # nor is one of them, raising late, counted as failed
        assert not count_stopped_batch(uow, run.id, 1, queued[1][1], RuntimeError("late"))


def test_a_resume_tries_a_failure_again_counts_it_once_and_cannot_finish_on_the_old_total(
    pg: Container, source: uuid.UUID
) -> None:
    """QA: a failed attempt stays pending, so the resumed plan sent it again and it was
    counted failed twice; and batches counted while the resumed plan was still sending
    reached the total kept from before the pause, finishing the run with attempts unsent."""
    made = copy_attempts(pg, source, 8, START, broken=1, old_result=older_version_said)
    run = start(pg, RunFilter(learner_id=made.learner_id))
    first, queued, last = plan(pg, run, 3)  # the newest attempt's analysis is damaged
    score(pg, run, *first)
    score(pg, run, *last)  # one done, one failed
    with pg.uow() as uow:
        assert uow.runs.change_state(run.id, "paused", ("running",), utcnow())
        uow.commit()
    with pg.uow() as uow:
        resumed = resume_run(uow, run.id, None)
    assert (resumed.done, resumed.failed, resumed.total) == (4, 0, None)
    plan_run(pg.uow, run.id, 2, lambda _run, no, ids: score(pg, run, no, ids))  # each scored as sent
    finished = load(pg, run)
    assert (finished.state, finished.done, finished.failed, finished.total) == ("finished", 7, 1, 8)
    with pg.uow() as uow:
        assert [attempt for attempt, _ in failures(uow, run.id)] == [made.ids[-1]]
    assert score_rows(pg, made.ids) == {OLD_VERSION: 8, SCORING_VERSION: 7}


def test_a_batch_in_flight_across_a_resume_is_not_counted_so_the_run_finishes_with_every_attempt(
    pg: Container, source: uuid.UUID
) -> None:
    """QA: a batch scoring while the run was paused and resumed counted its attempts; the
    resumed plan had sent them again, so the run finished early with others unscored."""
    made = copy_attempts(pg, source, 8, START, old_result=older_version_said)
    run = start(pg, RunFilter(learner_id=made.learner_id))
    in_flight, *_ = plan(pg, run, 3)  # batch 0 passed its state check and is scoring
    with pg.uow() as uow:
        assert uow.runs.change_state(run.id, "paused", ("running",), utcnow())
        uow.commit()
    with pg.uow() as uow:
        resume_run(uow, run.id, None)
    resent = plan(pg, run, 3)  # batch 0's attempts are not committed yet: sent again
    assert sum(len(ids) for _, ids in resent) == 8

    def count(report: Any) -> None:  # as run_batch counts it, at its commit
        done = BatchCount(run.id, 0, report.scored, len(report.failed), report.skipped, report.failed)
        assert not uow.runs.count_batch(done, utcnow())

    with pg.uow() as uow:
        rescore_attempts(uow, in_flight[1], pg.settings.scoring_options(), before_commit=count, run_id=run.id)
    for batch in resent:
        score(pg, run, *batch)
    finished = load(pg, run)
    assert (finished.state, finished.done, finished.skipped, finished.total) == ("finished", 5, 3, 8)
    assert score_rows(pg, made.ids) == {OLD_VERSION: 8, SCORING_VERSION: 8}


def test_two_runs_at_once_over_overlapping_filters_each_report_only_the_rows_they_wrote(
    pg: Container, source: uuid.UUID
) -> None:
    made = copy_attempts(pg, source, 8, START, old_result=older_version_said)
    by_learner, since_start = (
        RunFilter(learner_id=made.learner_id),
        RunFilter(learner_id=made.learner_id, since=START),
    )
    first, second = start(pg, by_learner), start(pg, since_start)  # both running at once
    first_batches, second_batches = plan(pg, first, 3), plan(pg, second, 3)
    score(pg, first, *first_batches[0])  # three attempts by the first run
    for batch in second_batches:  # the other five by the second; the first's three skipped
        score(pg, second, *batch)
    for batch in first_batches[1:]:  # the first's later batches find them scored
        score(pg, first, *batch)
    assert (load(pg, first).done, load(pg, second).done) == (3, 5)
    with pg.uow() as uow:
        reports = run_report(uow, load(pg, first)), run_report(uow, load(pg, second))
    assert [report["attempts"] for report in reports] == [3, 5]
    first_ids = {str(i) for i in first_batches[0][1]}
    assert {c["attempt_id"] for c in reports[0]["largest_changes"]} == first_ids
    assert not first_ids & {c["attempt_id"] for c in reports[1]["largest_changes"]}


def test_a_run_from_before_runs_marked_their_rows_is_reported_by_when_it_ran(
    pg: Container, source: uuid.UUID
) -> None:
    made, run = finished_run(pg, source)
    with pg.uow() as uow:  # as migration 0016 leaves a run that wrote no run ids
        uow.session.execute(
            text("UPDATE rescore_runs SET marks_scores = false WHERE id = :id"), {"id": run.id}
        )
        uow.session.execute(text("UPDATE scores SET rescore_run_id = NULL WHERE rescore_run_id = :id"),
                            {"id": run.id})  # fmt: skip
        uow.commit()
    with pg.uow() as uow:
        assert run_report(uow, load(pg, run))["attempts"] == 4


def test_a_dry_run_lists_a_damaged_stored_document_and_reports_the_rest(
    pg: Container, source: uuid.UUID
) -> None:
    made = copy_attempts(pg, source, 4, START, old_result=older_version_said)
    with pg.uow() as uow:
        damage = text("UPDATE analyses SET data = :data WHERE attempt_id = :id")
        uow.session.execute(damage, {"data": b"\xff not even utf-8", "id": made.ids[2]})
        uow.commit()
    with pg.uow() as uow:
        found = dry_run(uow, RunFilter(learner_id=made.learner_id), pg.settings.scoring_options(), sample=10)
    assert (found.matching, found.sampled, found.report["attempts"]) == (4, 4, 3)
    assert [attempt for attempt, _ in found.failed] == [made.ids[2]]
    assert "JSONDecodeError" in found.failed[0][1]


def test_a_stopped_runs_report_is_read_once_and_kept_until_a_batch_is_counted(
    pg: Container, source: uuid.UUID
) -> None:
    made, run = finished_run(pg, source)
    with pg.uow() as uow:
        assert run_report(uow, load(pg, run))["attempts"] == 4
    with pg.uow() as uow:  # the rows it was read from change: the kept report is served
        uow.session.execute(text("DELETE FROM scores WHERE scoring_version = :v AND attempt_id = ANY(:ids)"),
                            {"v": SCORING_VERSION, "ids": made.ids})  # fmt: skip
        uow.commit()
    with pg.uow() as uow:
        assert run_report(uow, load(pg, run))["attempts"] == 4
    with pg.uow() as uow:  # a batch counted late (after a cancel) clears it
        uow.runs.count_batch(BatchCount(run.id, 99, done=0, failed=0, skipped=1, failures=[]), utcnow())
        uow.commit()
    with pg.uow() as uow:
        assert run_report(uow, load(pg, run))["attempts"] == 0


def test_the_new_score_is_what_scoring_the_stored_data_gives(pg: Container, source: uuid.UUID) -> None:
    """The premise of the exact counts above: the copies score as the source would."""
    with pg.uow() as uow:
        stored = uow.results.stored_for_rescoring([source], SCORING_VERSION)
        text = uow.attempts.piece_texts({stored[0].piece_id})[stored[0].piece_id]
    options = pg.settings.scoring_options()
    new = score_stored(stored[0].transcript, stored[0].analysis, parse_reference(text), options)
    assert new.words[1].status == "correct" and new.words[2].index == 2  # no extra word after word 1
