"""The statements every upload runs, prepared once (see ``attempts.SqlAttempts.add``).

An upload's row goes in with one ``INSERT … SELECT … WHERE``: only while the
learner has fewer than ``at_most`` open attempts, and only while they may
still recite the piece at the text version they name.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Integer, Table, bindparam, func, insert, or_, select

from shared.db import models

A = models.Attempt
# One prepared INSERT on the session's connection rather than the ORM's unit
# of work: it runs on every upload, nothing needs the object afterwards, and
# building a new statement per upload cost a tenth of the request's CPU.
# Every upload counts, on ix_attempts_learner_open, stopping after at_most rows.
_OPEN = select(A.id).where(A.learner_id == bindparam("learner_id"), models.OPEN_STATUS)
COUNT_OPEN = select(func.count()).select_from(_OPEN.limit(bindparam("at_most")).subquery())
# An upload's row in the same round trip as the queued-attempts cap's count: the
# row is inserted only while the learner has fewer than at_most open attempts.
_NEW_ROW = ("id", "learner_id", "piece_id", "storage_key", "sha256", "size_bytes", "format",
            "idempotency_key", "status", "stage", "delivery_count", "warnings", "created_at",
            "queued_at")  # fmt: skip
# And only while the learner may still recite the piece, read under a share lock:
# the owner making it private (or deleting it) holds the row, and once that commits
# Postgres re-reads the row, so an upload that began while the piece was public
# cannot slip an attempt into a piece that is now private. Likewise an upload that
# names the text version it was recited against finds the text still at it.
NO_CAP = 2**31 - 1
_PIECE = models.Piece
_TEXT_VERSION = bindparam("text_version", type_=Integer)
_MAY_RECITE = (
    select(_PIECE.id)
    .where(
        _PIECE.id == bindparam("piece_id"),
        or_(_PIECE.owner_id == bindparam("learner_id"), _PIECE.visibility == "public"),
        or_(_TEXT_VERSION.is_(None), _PIECE.text_version == _TEXT_VERSION),
    )
    .with_for_update(read=True)
)
INSERT_WITHIN_CAP = (
    insert(cast(Table, A.__table__))
    .from_select(
        _NEW_ROW,
        select(*(bindparam(name, type_=A.__table__.c[name].type) for name in _NEW_ROW)).where(
            COUNT_OPEN.scalar_subquery() < bindparam("at_most"), _MAY_RECITE.exists()
        ),
    )
    .returning(A.id)
)
