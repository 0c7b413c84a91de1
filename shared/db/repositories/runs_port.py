"""Re-scoring runs: the port the run services use, and its plain records.

Kept beside, not inside, ``port.py``: the in-memory fakes of the other
repositories need not grow a runs repository, and run services take a
``RunsUnitOfWork`` (the unit of work plus ``runs``), which only the
SQLAlchemy unit of work provides.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from shared.db.repositories.port import UnitOfWorkPort

RUN_STATES = ("running", "cancelled", "finished", "paused")
FINAL_STATES = ("cancelled", "finished")  # a paused run may go on; these do not
RUN_MODES = ("rescore", "retranscribe")


@dataclass(frozen=True)
class RunFilter:
    """Which attempts a run covers: all of these that are given (``until`` is exclusive)."""

    piece_id: uuid.UUID | None = None
    learner_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None
    status: str = "done"


@dataclass(frozen=True)
class NewRun:
    scoring_version: str
    mode: str
    filter: RunFilter
    started_by: str
    started_at: datetime
    cap_audio_seconds: float | None = None  # re-transcription's budget
    batch_size: int | None = None  # None: the default
    limit: int | None = None  # at most this many attempts, oldest first


@dataclass(frozen=True)
class RunRecord:
    id: uuid.UUID
    scoring_version: str
    mode: str
    filter: RunFilter
    state: str
    total: int | None  # None until every batch has been sent
    done: int
    failed: int
    skipped: int
    started_by: str
    started_at: datetime
    finished_at: datetime | None
    spent_audio_seconds: float = 0.0
    cap_audio_seconds: float | None = None
    batch_size: int | None = None
    limit: int | None = None
    marks_scores: bool = True  # its score rows carry its id (runs from before 0016: False)
    first_live_batch: int = 0  # batches numbered below were sent before a resume: they stop

    def takes_batch(self, batch_no: int) -> bool:
        """Whether a batch of this run may score now: running, and not sent before a resume."""
        return self.state == "running" and batch_no >= self.first_live_batch

    @property
    def counted(self) -> int:
        return self.done + self.failed + self.skipped


@dataclass(frozen=True)
class BatchCount:
    """What one batch did, counted into its run once."""

    run_id: uuid.UUID
    batch_no: int
    done: int
    failed: int
    skipped: int
    failures: Sequence[tuple[uuid.UUID, str]]


Cursor = tuple[datetime, uuid.UUID]  # keyset position: (attempt created_at, attempt id)


@dataclass(frozen=True)
class ScorePair:
    """An attempt's score before and after a run (the ``result`` JSON of each row)."""

    attempt_id: uuid.UUID
    created_at: datetime
    old: dict[str, Any]
    new: dict[str, Any]


class RunRepository(Protocol):
    def add(self, run: NewRun) -> RunRecord: ...

    def get(self, run_id: uuid.UUID) -> RunRecord | None: ...

    def latest(self) -> RunRecord | None:
        """The most recently started run."""
        ...

    def newest(self, limit: int, offset: int) -> tuple[list[RunRecord], int]:
        """Newest first, and how many there are."""
        ...

    def cached_report(self, run_id: uuid.UUID) -> dict[str, Any] | None:
        """The report kept for a stopped run (None: not kept yet, or cleared by a batch since)."""
        ...

    def cache_report(self, run: RunRecord, report: dict[str, Any]) -> None:
        """Keep a stopped run's report, unless a batch has been counted since ``run`` was read."""
        ...

    def unfinished(self, limit: int) -> list[RunRecord]:
        """Runs still running or paused, newest first, at most ``limit``."""
        ...

    def change_state(self, run_id: uuid.UUID, to: str, from_states: Collection[str], now: datetime) -> bool:
        """``from_states`` → ``to`` (a final state sets ``finished_at``); False when not in one."""
        ...

    def set_total(self, run_id: uuid.UUID, total: int, now: datetime) -> None:
        """Every batch sent: the total, and finished now if all were counted already."""
        ...

    def count_batch(self, count: BatchCount, now: datetime) -> bool:
        """Add the batch's counts to its run once (False: counted before, or sent before
        the run was resumed), in the caller's transaction; the run is finished when its
        total is known and reached."""
        ...

    def failures(self, run_id: uuid.UUID, limit: int) -> list[tuple[uuid.UUID, str]]: ...

    def pending_page(self, where: RunFilter, version: str, after: Cursor | None, limit: int) -> list[Cursor]:
        """The next page of attempts to (re)score, oldest first: matching, with a
        transcript and an analysis, no score at ``version``."""
        ...

    def scored_page(
        self, run: RunRecord, after: Cursor | None, limit: int
    ) -> tuple[list[ScorePair], Cursor | None]:
        """The next page of the attempts ``run`` scored (the rows it marked; for a run
        that marks none, the matching attempts' rows at its version written while it
        ran), each with its newest older row (those with one), and where the next
        page starts (None: no more)."""
        ...

    def find_user(self, id_or_handle: str) -> uuid.UUID | None: ...

    def reserve_audio(self, run_id: uuid.UUID, seconds: float) -> bool:
        """Add to the run's spend if it is running and stays within its cap; False otherwise."""
        ...

    def resume(self, run_id: uuid.UUID, cap_audio_seconds: float | None) -> bool:
        """paused → running with this cap, retiring every batch sent so far (they stop
        unscored; the resumed plan sends their attempts again); its failures are
        forgotten, to be tried again, and its total is unknown until the resumed plan
        has sent all; False when not paused."""
        ...

    def take_batch_no(self, run_id: uuid.UUID) -> int:
        """The next batch's number, taken for good (two plans never share one)."""
        ...

    def relink_transcript(self, attempt_id: uuid.UUID, transcript_id: uuid.UUID) -> None:
        """Point a done attempt at a new transcript; its stage and the old row stay."""
        ...


class RunsUnitOfWork(UnitOfWorkPort, Protocol):
    runs: RunRepository
