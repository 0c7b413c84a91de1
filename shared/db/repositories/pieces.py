"""Pieces on SQLAlchemy: visibility and the library search as SQL, paged in the database."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import models
from shared.db.repositories.port import PieceAccess, PieceRecord
from shared.db.repositories.records import Conflict
from shared.domain.search_text import needles, searchable

P = models.Piece
_LIKE_SPECIALS = re.compile(r"[\\%_]")  # LIKE wildcards and its escape, searched for as themselves


class SqlPieces:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, owner_id: uuid.UUID, title: str, text: str, visibility: str, now: datetime) -> PieceRecord:
        piece = P(id=uuid.uuid4(), owner_id=owner_id, title=title, text=text, visibility=visibility,
                  created_at=now, text_version=1, search_text=searchable(title, text))  # fmt: skip
        self._session.add(piece)
        try:  # now, so an owner deleted meanwhile is known here rather than at commit
            self._session.flush()
        except IntegrityError as exc:
            raise Conflict(str(exc.orig)) from exc
        return _record(piece)

    def get(self, piece_id: uuid.UUID) -> PieceRecord | None:
        piece = self._session.get(P, piece_id)
        return _record(piece) if piece else None

    def access(self, piece_id: uuid.UUID) -> PieceAccess | None:
        row = self._session.execute(select(P.owner_id, P.visibility).where(P.id == piece_id)).tuples()
        found = row.one_or_none()
        return PieceAccess(*found) if found else None

    def visible(self, piece_id: uuid.UUID, viewer_id: uuid.UUID) -> PieceRecord | None:
        piece = self._session.scalar(select(P).where(P.id == piece_id, _visible_to(viewer_id)))
        return _record(piece) if piece else None

    def list_visible(
        self, viewer_id: uuid.UUID, limit: int, offset: int, search: str = ""
    ) -> tuple[list[PieceRecord], int]:
        where = _visible_to(viewer_id)
        forms = needles(search)
        if forms:  # both sides folded in Python (search_text.py): a plain LIKE, alike everywhere
            folded = (P.search_text.like(_containing(form), escape="\\") for form in forms)
            # A piece saved by a web process still running the code from before 0019 (it
            # serves while the migration runs) has no folded form: searched as it was.
            raw = (column.ilike(_containing(search), escape="\\") for column in (P.title, P.text))
            where = and_(where, or_(*folded, and_(P.search_text == "", or_(*raw))))
        total = self._session.scalar(select(func.count()).select_from(P).where(where)) or 0
        rows = self._session.scalars(
            select(P)
            .where(where)
            .order_by(case((P.owner_id == viewer_id, 0), else_=1), P.created_at.desc(), P.id)
            .limit(limit)
            .offset(offset)
        )
        return [_record(p) for p in rows], total

    def owned_by(self, owner_id: uuid.UUID) -> list[PieceRecord]:
        rows = self._session.scalars(select(P).where(P.owner_id == owner_id).order_by(P.created_at, P.id))
        return [_record(p) for p in rows]

    def release(self, owner_id: uuid.UUID, now: datetime) -> None:
        self._session.execute(delete(P).where(P.owner_id == owner_id, ~_recited()))
        self._session.execute(update(P).where(P.owner_id == owner_id).values(owner_id=None, released_at=now))

    def lock_owned(self, owner_id: uuid.UUID) -> None:
        # In one order, so two deletions of one account at once take turns rather than deadlock.
        self._session.execute(
            select(P.id).where(P.owner_id == owner_id).order_by(P.id).with_for_update()
        ).all()

    def drop_released_unrecited(self) -> int:
        statement = delete(P).where(P.released_at.is_not(None), ~_recited())
        result: Any = self._session.execute(statement)  # a CursorResult: it has a rowcount
        return int(result.rowcount or 0)

    def lock(self, piece_id: uuid.UUID) -> PieceRecord | None:
        piece = self._session.scalar(select(P).where(P.id == piece_id).with_for_update())
        return _record(piece) if piece else None

    def change(self, piece_id: uuid.UUID, title: str, text: str, visibility: str) -> PieceRecord:
        new_version = case((P.text != text, P.text_version + 1), else_=P.text_version)
        values = {"title": title, "text": text, "visibility": visibility, "text_version": new_version,
                  "search_text": searchable(title, text)}  # fmt: skip
        self._session.execute(update(P).where(P.id == piece_id).values(**values))
        piece = self._session.get(P, piece_id, populate_existing=True)
        assert piece is not None  # locked by the caller
        return _record(piece)

    def delete(self, piece_id: uuid.UUID) -> None:
        self._session.execute(delete(P).where(P.id == piece_id))


def _recited() -> ColumnElement[bool]:
    return select(models.Attempt.id).where(models.Attempt.piece_id == P.id).exists()


def _containing(text: str) -> str:
    """A LIKE pattern for ``text`` anywhere, its wildcards taken literally."""
    return "%" + _LIKE_SPECIALS.sub(r"\\\g<0>", text) + "%"


def _visible_to(user_id: uuid.UUID) -> ColumnElement[bool]:
    return or_(P.owner_id == user_id, P.visibility == "public")


def _record(piece: models.Piece) -> PieceRecord:
    return PieceRecord(
        piece.id,
        piece.owner_id,
        piece.visibility,
        piece.title,
        piece.text,
        piece.created_at,
        piece.text_version,
    )
