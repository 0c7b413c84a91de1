"""Pieces: the texts learners memorise. Each has an owner and a visibility:
a private piece is seen by its owner alone (anyone else gets the 404 of an
unknown id), a public one by every signed-in user."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from shared.db.repositories.port import PieceRecord, UnitOfWorkPort
from shared.domain.clock import utcnow
from shared.services.errors import ErrorKind, ServiceError
from shared.services.stored_text import storable
from shared.services.users import UserView

MAX_TEXT_CHARS = 200_000
MAX_TITLE_CHARS = 300
MAX_SEARCH_CHARS = 200
Visibility = Literal["private", "public"]
VISIBILITIES: tuple[Visibility, ...] = ("private", "public")


@dataclass(frozen=True)
class PieceView:
    id: uuid.UUID
    title: str
    text: str
    word_count: int
    created_at: datetime
    visibility: str
    owned: bool  # by the user who asked


def create_piece(
    uow: UnitOfWorkPort, owner: UserView, title: str, text: str, visibility: str = "private"
) -> PieceView:
    # Lengths as sent, before trimming, as the OpenAPI document says.
    if len(title) > MAX_TITLE_CHARS:  # it was cut short silently before (found by schemathesis)
        raise ServiceError(
            ErrorKind.UNPROCESSABLE, "title_too_long", f"Titles are limited to {MAX_TITLE_CHARS} characters."
        )
    if len(text) > MAX_TEXT_CHARS:
        raise ServiceError(
            ErrorKind.UNPROCESSABLE, "text_too_long", f"Texts are limited to {MAX_TEXT_CHARS} characters."
        )
    title, text = storable(title.strip(), "title"), storable(text.strip(), "text")
    if not title:
        raise ServiceError(ErrorKind.UNPROCESSABLE, "title_required", "A piece needs a title.")
    if not any(ch.isalnum() for ch in text):
        raise ServiceError(ErrorKind.UNPROCESSABLE, "text_required", "A piece needs some words.")
    if visibility not in VISIBILITIES:
        raise ServiceError(ErrorKind.UNPROCESSABLE, "invalid_visibility", "visibility is private or public.")
    piece = uow.pieces.add(owner.id, title, text, visibility, utcnow())
    uow.commit()
    return _view(piece, owner)


def _searchable(search: str) -> str:
    """A query string is the caller's request, not stored text: its faults are 400s."""
    if len(search) > MAX_SEARCH_CHARS:
        message = f"Search for at most {MAX_SEARCH_CHARS} characters."
        raise ServiceError(ErrorKind.INVALID, "search_too_long", message)
    try:
        return storable(search, "search")
    except ServiceError as exc:
        raise ServiceError(ErrorKind.INVALID, "invalid_search", exc.message) from None


def get_piece(uow: UnitOfWorkPort, viewer: UserView, piece_id: uuid.UUID) -> PieceView:
    piece = uow.pieces.visible(piece_id, viewer.id)
    if piece is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "piece_not_found", "No piece with that id.")
    return _view(piece, viewer)


def require_piece(uow: UnitOfWorkPort, piece_id: uuid.UUID) -> uuid.UUID:
    """For operators (``recital rescore --piece``): any piece, whoever owns it."""
    if uow.pieces.get(piece_id) is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "piece_not_found", "No piece with that id.")
    return piece_id


def list_pieces(
    uow: UnitOfWorkPort, viewer: UserView, limit: int, offset: int, search: str = ""
) -> tuple[list[PieceView], int]:
    """The viewer's own pieces and every public one; with ``search``, only those
    whose title or text contains it (any case), counted and paged in the database."""
    records, total = uow.pieces.list_visible(viewer.id, limit, offset, _searchable(search.strip()))
    return [_view(p, viewer) for p in records], total


def word_count(text: str) -> int:
    """Words to recite: a dash or a lone comma is not one (as the scorer reads the text)."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def _view(piece: PieceRecord, viewer: UserView) -> PieceView:
    return PieceView(
        piece.id,
        piece.title,
        piece.text,
        word_count(piece.text),
        piece.created_at,
        piece.visibility,
        piece.owner_id == viewer.id,
    )
