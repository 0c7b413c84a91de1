"""Pieces: the texts learners memorise."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from shared.db import models
from shared.db.uow import UnitOfWork
from shared.services.errors import ErrorKind, ServiceError

MAX_TEXT_CHARS = 200_000


@dataclass(frozen=True)
class PieceView:
    id: uuid.UUID
    title: str
    text: str
    word_count: int
    created_at: datetime


def create_piece(uow: UnitOfWork, title: str, text: str) -> PieceView:
    title, text = _storable(title.strip(), "title"), _storable(text.strip(), "text")
    if not title:
        raise ServiceError(ErrorKind.UNPROCESSABLE, "title_required", "A piece needs a title.")
    if not any(ch.isalnum() for ch in text):
        raise ServiceError(ErrorKind.UNPROCESSABLE, "text_required", "A piece needs some words.")
    if len(text) > MAX_TEXT_CHARS:
        raise ServiceError(
            ErrorKind.UNPROCESSABLE,
            "text_too_long",
            f"Texts are limited to {MAX_TEXT_CHARS} characters.",
        )
    piece = models.Piece(title=title[:300], text=text)
    uow.session.add(piece)
    uow.commit()
    return _view(piece)


def _storable(value: str, field: str) -> str:
    """Text Postgres can hold: UTF-8 (no lone surrogates from JSON escapes) without NUL."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _bad_characters(field, "an unpaired surrogate (\\ud800-\\udfff)") from None
    if "\x00" in value:
        raise _bad_characters(field, "a NUL character")
    return value


def _bad_characters(field: str, what: str) -> ServiceError:
    return ServiceError(ErrorKind.UNPROCESSABLE, "invalid_characters", f"The {field} contains {what}.")


def get_piece(uow: UnitOfWork, piece_id: uuid.UUID) -> PieceView:
    piece = uow.session.get(models.Piece, piece_id)
    if piece is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "piece_not_found", "No piece with that id.")
    return _view(piece)


def list_pieces(uow: UnitOfWork, limit: int, offset: int) -> tuple[list[PieceView], int]:
    total = uow.session.scalar(select(func.count()).select_from(models.Piece)) or 0
    rows = uow.session.scalars(
        select(models.Piece).order_by(models.Piece.created_at, models.Piece.id).limit(limit).offset(offset)
    )
    return [_view(p) for p in rows], total


def _view(piece: models.Piece) -> PieceView:
    return PieceView(piece.id, piece.title, piece.text, len(piece.text.split()), piece.created_at)
