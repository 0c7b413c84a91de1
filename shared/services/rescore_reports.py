"""What a re-scoring changes: a dry run on a sample, or a finished run on all it scored.

A dry run samples the matching attempts (reservoir sampling over keyset
pages: seeded, so the same filter and seed give the same sample, and only
the sample is held in memory), scores each from its stored transcript and
analysis without writing, and compares with the attempt's newest stored
score. A run's report compares, page by page, each row the run wrote with
the attempt's newest older row.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from shared.db.repositories.runs_port import FINAL_STATES, Cursor, RunFilter, RunRecord, RunsUnitOfWork
from shared.domain.score_change import ScoreChange
from shared.domain.scoring import SCORING_VERSION, ScoringOptions
from shared.domain.text import ReferenceText, parse_reference
from shared.services.rescoring import RescoreReport, load_stored, score_stored

PAGE = 500
DEFAULT_SAMPLE = 500
DEFAULT_SEED = 21


@dataclass(frozen=True)
class DryRun:
    matching: int  # attempts the run would re-score
    sampled: int
    failed: list[tuple[uuid.UUID, str]]  # sampled attempts whose scoring raised
    report: dict[str, Any]


def dry_run(
    uow: RunsUnitOfWork, where: RunFilter, options: ScoringOptions, sample: int = DEFAULT_SAMPLE,
    seed: int = DEFAULT_SEED,
) -> DryRun:  # fmt: skip
    """Score a seeded sample of the attempts a run would re-score; nothing is written."""
    matching, chosen = _reservoir(_pending_ids(uow, where), sample, random.Random(seed))
    change, loading = ScoreChange(), RescoreReport()
    stored = load_stored(uow, chosen, loading)  # a damaged stored document fails its own attempt
    failed = loading.failed
    texts = uow.attempts.piece_texts({item.piece_id for item in stored})
    parsed: dict[uuid.UUID, ReferenceText] = {}
    for item in stored:
        old = uow.results.latest_score(item.attempt_id)
        try:
            reference = parsed.setdefault(item.piece_id, parse_reference(texts[item.piece_id]))
            new = score_stored(item.transcript, item.analysis, reference, options).to_dict()
        except Exception as exc:  # noqa: BLE001 - reported per attempt, as a run would
            failed.append((item.attempt_id, f"{type(exc).__name__}: {exc}"))
            continue
        if old is not None:
            change.add(str(item.attempt_id), old.result, new)
    uow.rollback()
    return DryRun(matching, len(chosen), failed, change.to_dict())


def run_report(uow: RunsUnitOfWork, run: RunRecord) -> dict[str, Any]:
    """The change over every attempt the run scored, from the old and new rows: the rows
    the run wrote (not a later or a concurrent run's). A stopped run's report is read
    once and kept (seconds for tens of thousands of attempts)."""
    stopped = run.state in FINAL_STATES
    kept = uow.runs.cached_report(run.id) if stopped else None
    if kept is not None:
        uow.rollback()
        return kept
    change, after = ScoreChange(), None
    while True:
        page, after = uow.runs.scored_page(run, after, PAGE)
        change.add_all((str(pair.attempt_id), pair.old, pair.new) for pair in page)
        if after is None:
            break
    report = change.to_dict()
    if stopped:
        uow.runs.cache_report(run, report)
        uow.commit()
    else:
        uow.rollback()
    return report


def _pending_ids(uow: RunsUnitOfWork, where: RunFilter) -> Iterator[uuid.UUID]:
    after: Cursor | None = None
    while page := uow.runs.pending_page(where, SCORING_VERSION, after, PAGE):
        yield from (attempt_id for _, attempt_id in page)
        after = page[-1]


def _reservoir(ids: Iterator[uuid.UUID], size: int, rng: random.Random) -> tuple[int, list[uuid.UUID]]:
    """How many ids there were, and ``size`` of them chosen uniformly (Algorithm R)."""
    chosen: list[uuid.UUID] = []
    seen = 0
    for seen, attempt_id in enumerate(ids, start=1):
        if len(chosen) < size:
            chosen.append(attempt_id)
        else:
            slot = rng.randrange(seen)
            if slot < size:
                chosen[slot] = attempt_id
    return seen, chosen
