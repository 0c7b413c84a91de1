"""Pieces in memory, with the SQL adapter's visibility, search and order
(``tests/shared/db/test_repository_contract.py`` checks both)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared.db.repositories.port import PieceAccess, PieceRecord
from shared.domain.search_text import needles, searchable

if TYPE_CHECKING:
    from tests.support.fake_repositories import Tables

Row = dict[str, Any]


class FakePieces:
    def __init__(self, tables: Callable[[], Tables]) -> None:
        self._tables = tables

    def add(self, owner_id: uuid.UUID, title: str, text: str, visibility: str, now: datetime) -> PieceRecord:
        if "\x00" in title + text:
            raise ValueError("PostgreSQL text cannot hold NUL")  # as psycopg refuses it
        row = {"id": uuid.uuid4(), "owner_id": owner_id, "visibility": visibility, "title": title,
               "text": text, "created_at": now, "text_version": 1,
               "search_text": searchable(title, text)}  # fmt: skip
        self._tables().pieces[row["id"]] = row
        return _record(row)

    def get(self, piece_id: uuid.UUID) -> PieceRecord | None:
        row = self._tables().pieces.get(piece_id)
        return _record(row) if row else None

    def access(self, piece_id: uuid.UUID) -> PieceAccess | None:
        row = self._tables().pieces.get(piece_id)
        return PieceAccess(row["owner_id"], row["visibility"]) if row else None

    def visible(self, piece_id: uuid.UUID, viewer_id: uuid.UUID) -> PieceRecord | None:
        row = self._tables().pieces.get(piece_id)
        return _record(row) if row and _visible(row, viewer_id) else None

    def list_visible(
        self, viewer_id: uuid.UUID, limit: int, offset: int, search: str = ""
    ) -> tuple[list[PieceRecord], int]:
        forms = needles(search)  # as the SQL adapter: folded search in the folded column
        rows = [r for r in self._tables().pieces.values() if _visible(r, viewer_id)
                and (not forms or _found(r, forms, search))]  # fmt: skip
        rows.sort(key=lambda r: r["id"])  # stable sorts, last key first: own, then newest, then id
        rows.sort(key=lambda r: r["created_at"], reverse=True)
        rows.sort(key=lambda r: r["owner_id"] != viewer_id)
        return [_record(r) for r in rows[offset : offset + limit]], len(rows)

    def owned_by(self, owner_id: uuid.UUID) -> list[PieceRecord]:
        rows = sorted((r for r in self._tables().pieces.values() if r["owner_id"] == owner_id),
                      key=lambda r: (r["created_at"], r["id"]))  # fmt: skip
        return [_record(r) for r in rows]

    def release(self, owner_id: uuid.UUID, now: datetime) -> None:
        pieces, attempts = self._tables().pieces, self._tables().attempts.values()
        for piece_id, row in list(pieces.items()):
            if row["owner_id"] == owner_id and not any(a["piece_id"] == piece_id for a in attempts):
                del pieces[piece_id]
            elif row["owner_id"] == owner_id:
                row.update(owner_id=None, released_at=now)

    def lock_owned(self, owner_id: uuid.UUID) -> None:
        return None  # one thread: nothing to wait for

    def drop_released_unrecited(self) -> int:
        pieces, attempts = self._tables().pieces, self._tables().attempts.values()
        recited = {a["piece_id"] for a in attempts}
        doomed = [i for i, row in pieces.items() if row.get("released_at") and i not in recited]
        for piece_id in doomed:
            del pieces[piece_id]
        return len(doomed)

    def lock(self, piece_id: uuid.UUID) -> PieceRecord | None:
        return self.get(piece_id)  # one thread: nothing to wait for

    def change(self, piece_id: uuid.UUID, title: str, text: str, visibility: str) -> PieceRecord:
        if "\x00" in title + text:
            raise ValueError("PostgreSQL text cannot hold NUL")
        row = self._tables().pieces[piece_id]
        version = row["text_version"] + (text != row["text"])
        row.update(title=title, text=text, visibility=visibility, text_version=version,
                   search_text=searchable(title, text))  # fmt: skip
        return _record(row)

    def delete(self, piece_id: uuid.UUID) -> None:
        if any(a["piece_id"] == piece_id for a in self._tables().attempts.values()):
            raise ValueError("attempts still refer to the piece")  # the foreign key refuses it
        self._tables().pieces.pop(piece_id, None)


def _found(row: Row, forms: list[str], search: str) -> bool:
    """As the SQL adapter: a folded form in the folded column; a row without one (saved by
    code from before it) by the search as typed, any case (ILIKE folds as lower() does)."""
    if row["search_text"]:
        return any(form in row["search_text"] for form in forms)
    return any(search.lower() in row[k].lower() for k in ("title", "text"))


def _visible(row: Row, viewer_id: uuid.UUID) -> bool:
    return bool(row["owner_id"] == viewer_id or row["visibility"] == "public")


def _record(row: dict[str, Any]) -> PieceRecord:
    """A row as the port returns it: ``released_at`` and ``search_text`` are the repository's own."""
    return PieceRecord(**{k: v for k, v in row.items() if k not in ("released_at", "search_text")})
