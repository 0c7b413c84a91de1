"""Re-scoring done attempts with the current scoring code.

Everything scoring needs is stored: the transcript, the analysis (pauses and
duration) and the piece's text, so no audio is fetched and no engine runs.
Each attempt gets one more score row, at the current ``SCORING_VERSION``;
older rows stay for comparison, the attempt's status is never changed, and
the read path serves the newest row.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.db.repositories.port import UnitOfWorkPort
from shared.db.repositories.records import StoredAttempt
from shared.domain.clock import utcnow
from shared.domain.garbage import collector_paused
from shared.domain.result import ScoredAttempt
from shared.domain.scoring import SCORING_VERSION, ScoringOptions
from shared.domain.text import ReferenceText, parse_reference
from shared.domain.transcript import Transcript
from shared.pipeline import score
from shared.services.processing import PhaseTimer

log = logging.getLogger("recital.rescoring")
Interrupts = tuple[type[BaseException], ...]
# Waits while live attempts are being processed beside the run; the seconds waited.
GiveWay = Callable[[], float]
GIVE_WAY_EVERY = 20  # attempts scored between looks for live work (some 20 ms)


@dataclass
class RescoreReport:
    scored: int = 0
    # Already scored at this version, or no longer a done attempt with a transcript and analysis.
    skipped: int = 0
    failed: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def add(self, other: RescoreReport) -> None:
        """Totals over batches, timings included."""
        self.scored += other.scored
        self.skipped += other.skipped
        self.failed += other.failed
        for phase, seconds in other.timings.items():
            self.timings[phase] = self.timings.get(phase, 0.0) + seconds

    def summary(self) -> str:
        phases = " ".join(f"{k}={v:.3f}s" for k, v in self.timings.items())
        return f"scored={self.scored} skipped={self.skipped} failed={len(self.failed)} {phases}"


def pending_attempts(
    uow: UnitOfWorkPort, version: str, *, piece_id: uuid.UUID | None = None, limit: int | None = None
) -> list[uuid.UUID]:
    """Done attempts with a transcript and an analysis but no score at ``version``, oldest first."""
    return uow.attempts.pending_rescore(version, piece_id, limit)


def rescore_attempts(
    uow: UnitOfWorkPort,
    attempt_ids: Sequence[uuid.UUID],
    options: ScoringOptions,
    interrupts: Interrupts = (),
    before_commit: Callable[[RescoreReport], None] | None = None,
    give_way: GiveWay | None = None,
    run_id: uuid.UUID | None = None,
) -> RescoreReport:
    """Score these attempts at the current version; one commit for the batch.

    An attempt whose scoring raises is reported in ``failed`` and the others
    are still written. Inserting is idempotent, so a repeated batch (a
    redelivered task, two admins at once) adds nothing. ``interrupts`` (the
    task runner's soft time limit) are not an attempt's failure: they stop the
    batch, and nothing of it is written. ``before_commit`` sees the finished
    report inside the batch's transaction (a run counts the batch there).
    ``give_way`` is called every ``GIVE_WAY_EVERY`` attempts (shared/live_work.py).
    ``run_id``: the run the batch is of, marked on the rows for its report.
    """
    with collector_paused():  # a batch's results pile up: collections walked them again and again
        ids = list(dict.fromkeys(attempt_ids))
        return _rescore(uow, ids, options, interrupts, before_commit, give_way, run_id)


def _rescore(
    uow: UnitOfWorkPort,
    ids: list[uuid.UUID],
    options: ScoringOptions,
    interrupts: Interrupts,
    before_commit: Callable[[RescoreReport], None] | None,
    give_way: GiveWay | None,
    run_id: uuid.UUID | None,
) -> RescoreReport:
    report = RescoreReport()
    timed = PhaseTimer(report.timings).phase
    with timed("load"):
        stored = load_stored(uow, ids, report)
        texts = uow.attempts.piece_texts({item.piece_id for item in stored})
    report.timings["score"] = 0.0  # what _scored spends, inside the write
    if give_way is not None:
        report.timings["gave_way"] = 0.0  # and what it waits for live work
    scored = _scored(stored, texts, options, report, interrupts, give_way)
    with timed("write"):  # scoring runs inside: the repository stores the scores as they come
        report.scored = len(uow.results.add_scores(scored, utcnow(), run_id))
        report.skipped = len(ids) - report.scored - len(report.failed)
        if before_commit is not None:
            before_commit(report)
        uow.commit()
    report.timings["write"] -= report.timings["score"] + report.timings.get("gave_way", 0.0)
    return report


def load_stored(uow: UnitOfWorkPort, ids: list[uuid.UUID], report: RescoreReport) -> list[StoredAttempt]:
    """The batch's stored attempts (of ``ids``, those to score at this version). A stored
    document that does not parse (a row damaged by hand or by a bug) fails its own
    attempt in ``report``, not the batch: the batch is loaded again one attempt at a
    time, so a run still counts every attempt and a dry run reports the rest."""
    try:
        return uow.results.stored_for_rescoring(ids, SCORING_VERSION)
    except ValueError as exc:  # orjson's and json's decode errors are ValueErrors
        if len(ids) == 1:
            _record_failure(report, ids[0], exc)
            return []
    return [item for one in ids for item in load_stored(uow, [one], report)]


def _scored(
    stored: list[StoredAttempt],
    texts: dict[uuid.UUID, str],
    options: ScoringOptions,
    report: RescoreReport,
    interrupts: Interrupts,
    give_way: GiveWay | None,
) -> Iterator[tuple[uuid.UUID, ScoredAttempt]]:
    """Each attempt scored when asked for; the seconds spent go to the report's ``score`` phase."""
    parsed: dict[uuid.UUID, ReferenceText] = {}  # a piece is parsed once per batch
    for n, item in enumerate(stored):
        if give_way is not None and n % GIVE_WAY_EVERY == 0:
            report.timings["gave_way"] += give_way()
        started = time.perf_counter()
        try:
            if item.piece_id not in parsed:
                parsed[item.piece_id] = parse_reference(texts[item.piece_id])
            scored = score_stored(item.transcript, item.analysis, parsed[item.piece_id], options)
        except interrupts:
            raise
        except Exception as exc:  # one bad attempt must not stop the batch
            _record_failure(report, item.attempt_id, exc)
            continue
        finally:
            report.timings["score"] += time.perf_counter() - started
        yield item.attempt_id, scored


def score_stored(
    transcript: dict[str, Any],
    analysis_data: dict[str, Any],
    reference: ReferenceText,
    options: ScoringOptions,
) -> ScoredAttempt:
    """An attempt scored from its stored transcript and analysis rows."""
    from shared.audio.types import Analysis  # numpy: loaded only where scoring runs

    stored = Transcript.from_dict(transcript)
    return score(reference, stored, Analysis.from_dict(analysis_data), options)


def _record_failure(report: RescoreReport, attempt_id: uuid.UUID, exc: Exception) -> None:
    reason = f"{type(exc).__name__}: {exc}"
    report.failed.append((attempt_id, reason))
    if isinstance(exc, ValueError):  # input scoring refuses, e.g. a piece with no words
        log.warning("rescore attempt=%s failed: %s", attempt_id, reason)
    else:
        log.exception("rescore attempt=%s crashed", attempt_id)
