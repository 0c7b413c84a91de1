"""A learner's own data to take away: the account, their pieces, their API tokens'
names and every attempt with its result and coaching note (the right of access
and to portability, GDPR articles 15 and 20).

Read in parts, so that a learner with thousands of results never sits in one
process's memory: ``export_head`` once, then ``attempt_entries`` for each batch
of the ids it lists, each part in its own short transaction (a slow download
holds no connection). An attempt deleted between parts is left out; one
finished between them is exported as it is then.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from shared.db.repositories.port import AttemptRecord, UnitOfWorkPort
from shared.domain.clock import rfc3339, utcnow
from shared.services import attempts, credentials
from shared.services.users import UserView

FORMAT = "recital-export/1"
BATCH = 50  # attempts read per transaction: a few MB of results at most
EVERY_ROW = 2**31 - 1  # LIMIT for "all": one query, so no attempt slips between pages
RECORDINGS_APART = (
    "Recordings are not inside this file: each attempt's recording plays from "
    "GET /api/v1/attempts/{id}/recording while the attempt exists, and "
    "GET /api/v1/auth/me/export.zip holds them all beside this file."
)
RECORDINGS_BESIDE = (
    "Each attempt's recording is in recordings/, named by when it was made and the attempt's id."
)


@dataclass(frozen=True)
class RecordingFile:
    key: str  # in storage
    name: str  # in the archive
    size_bytes: int


@dataclass(frozen=True)
class ExportHead:
    """Everything but the attempts, and the attempts' ids and recordings, oldest first."""

    header: dict[str, Any]
    attempt_ids: list[uuid.UUID]
    recordings: list[RecordingFile]


def export_head(uow: UnitOfWorkPort, learner: UserView, with_recordings: bool = False) -> ExportHead:
    records, _ = uow.attempts.list_owned(learner.id, EVERY_ROW, 0)
    records.reverse()
    header = {
        "format": FORMAT,
        "exported_at": rfc3339(utcnow()),
        "account": _account(learner),
        "api_tokens": [_token(t) for t in credentials.list_tokens(uow, learner)],
        "pieces": _own_pieces(uow, learner),
        "recordings": RECORDINGS_BESIDE if with_recordings else RECORDINGS_APART,
    }
    return ExportHead(header, [a.id for a in records], [_recording_file(a) for a in records])


def attempt_entries(uow: UnitOfWorkPort, learner: UserView, ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    """Each attempt as polling it shows, with the title of the piece it recites while the
    learner may see it (their own, or public): another's piece made private since (a failed
    attempt does not keep it shared) gives none, as the result page shows none (QA)."""
    titles: dict[uuid.UUID, str | None] = {}
    entries = []
    for attempt_id in ids:
        attempt = uow.attempts.owned(attempt_id, learner.id)
        if attempt is None:  # deleted since the head was read
            continue
        if attempt.piece_id not in titles:
            piece = uow.pieces.visible(attempt.piece_id, learner.id)
            titles[attempt.piece_id] = piece.title if piece else None
        entries.append({**attempts.full_view(uow, attempt), "piece_title": titles[attempt.piece_id]})
    return entries


def batches(ids: Sequence[uuid.UUID], size: int | None = None) -> Iterator[Sequence[uuid.UUID]]:
    size = size or BATCH
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _recording_file(attempt: AttemptRecord) -> RecordingFile:
    extension = PurePosixPath(attempt.storage_key).suffix  # the stored file's, which playback serves
    name = f"recordings/{attempt.created_at:%Y-%m-%dT%H%M%S}_{attempt.id}{extension}"
    return RecordingFile(attempt.storage_key, name, attempt.size_bytes)


def _account(learner: UserView) -> dict[str, Any]:
    return {
        "id": str(learner.id),
        "handle": learner.handle,
        "role": learner.role,
        "created_at": rfc3339(learner.created_at),
    }


def _token(token: credentials.TokenView) -> dict[str, Any]:
    """Its name and dates: the secret was shown once and is kept only as a hash."""
    return {
        "name": token.name,
        "prefix": token.prefix,
        "created_at": rfc3339(token.created_at),
        "last_used_at": rfc3339(token.last_used_at),
    }


def _own_pieces(uow: UnitOfWorkPort, learner: UserView) -> list[dict[str, Any]]:
    return [
        {
            "id": str(p.id),
            "title": p.title,
            "text": p.text,
            "text_version": p.text_version,
            "visibility": p.visibility,
            "created_at": rfc3339(p.created_at),
        }
        for p in uow.pieces.owned_by(learner.id)
    ]
