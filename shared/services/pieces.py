"""Pieces: the texts learners memorise. Each has an owner and a visibility:
a private piece is seen by its owner alone (anyone else gets the 404 of an
unknown id), a public one by every signed-in user."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple

from shared.db.repositories.port import PieceRecord, UnitOfWorkPort
from shared.db.repositories.records import Conflict
from shared.domain.clock import utcnow
from shared.domain.text import has_words_to_recite, word_count
from shared.services.errors import ErrorKind, ServiceError, signed_out
from shared.services.stored_text import one_line, shows_something, storable
from shared.services.users import UserView

MAX_TEXT_CHARS = 200_000
MAX_TITLE_CHARS = 300
MAX_SEARCH_CHARS = 200
Visibility = Literal["private", "public"]
VISIBILITIES: tuple[Visibility, ...] = ("private", "public")
TEXT_FIXED = "This piece has been recited, and those scores were read against its text."
# While the only recordings are still queued or being scored, none has a score yet: the
# text is kept for them, and saying scores were read against it was untrue (QA).
TEXT_AWAITED = "A recording of this piece is not scored yet, and will be scored against its text."
OWN_ATTEMPTS = " Add the new text as a new piece, or delete your attempts on this one first."
NO_READABLE_WORDS = (
    "Recital scores recitations in English, and this text has no word in the Latin alphabet "
    "it can read: every recording of it would fail."
)
IN_USE = "Other learners are practising this piece, so it stays shared and in the library."


@dataclass(frozen=True)
class PieceView:
    id: uuid.UUID
    title: str
    text: str
    word_count: int
    created_at: datetime
    visibility: str
    owned: bool  # by the user who asked
    text_version: int = 1  # one more at each change of the text


def create_piece(
    uow: UnitOfWorkPort, owner: UserView, title: str, text: str, visibility: str = "private"
) -> PieceView:
    title, text, visibility = _checked(title, text, visibility)
    try:
        piece = uow.pieces.add(owner.id, title, text, visibility, utcnow())
    except Conflict:  # the account was deleted while this waited for it (erasure.delete_account)
        uow.rollback()
        raise signed_out() from None
    uow.commit()
    return _view(piece, owner)


def change_piece(
    uow: UnitOfWorkPort,
    owner: UserView,
    piece_id: uuid.UUID,
    title: str | None = None,
    text: str | None = None,
    visibility: str | None = None,
) -> PieceView:
    """The owner changes the title, the visibility, or the text while nobody has recited it yet
    (scores were read against the text; a changed text is a new piece)."""
    piece = owned_piece(uow, owner, piece_id)
    title, text, visibility = _checked(
        piece.title if title is None else title,
        piece.text if text is None else text,
        piece.visibility if visibility is None else visibility,
    )
    recited = _recited(uow, piece.id, owner.id)
    if text != piece.text and recited.fixed:
        why = TEXT_FIXED if recited.scored else TEXT_AWAITED
        message = why + (" Add the new text as a new piece." if recited.others else OWN_ATTEMPTS)
        raise ServiceError(ErrorKind.CONFLICT, "piece_has_attempts", message)
    if visibility == "private" and piece.visibility == "public" and recited.others:
        raise ServiceError(ErrorKind.CONFLICT, "piece_in_use", IN_USE)
    changed = uow.pieces.change(piece.id, title, text, visibility)
    uow.commit()
    return _view(changed, owner)


class Recitals(NamedTuple):
    """Who has recited a piece, as far as its text is concerned. A failed attempt does not
    count: nothing was scored against the text (QA: a stranger's one silent upload kept
    the owner from deleting or unsharing it)."""

    fixed: bool  # anyone: scored, or on the way to a score against this text
    others: bool  # anyone but the owner: so it stays shared, cannot be deleted, and its text stays
    scored: bool  # one of them has a score (else every one is still waiting)


@dataclass(frozen=True)
class EditablePiece:
    """What the owner's edit form shows: the piece, and what may no longer change."""

    piece: PieceView
    text_fixed: bool  # somebody has recited it (``Recitals``)
    recited_by_others: bool  # so it stays shared, cannot be deleted, and its text stays
    text_scored: bool  # the form says why the text is fixed: scores, or recordings waiting


def editable_piece(uow: UnitOfWorkPort, owner: UserView, piece_id: uuid.UUID) -> EditablePiece:
    piece = owned_piece(uow, owner, piece_id, lock=False)
    return EditablePiece(_view(piece, owner), *_recited(uow, piece.id, owner.id))


def _recited(uow: UnitOfWorkPort, piece_id: uuid.UUID, owner_id: uuid.UUID) -> Recitals:
    others = uow.attempts.count_on_piece(piece_id, except_learner=owner_id, except_failed=True) > 0
    fixed = others or uow.attempts.count_on_piece(piece_id, except_failed=True) > 0
    return Recitals(fixed, others, fixed and uow.attempts.count_on_piece(piece_id, only_done=True) > 0)


def owned_piece(uow: UnitOfWorkPort, owner: UserView, piece_id: uuid.UUID, lock: bool = True) -> PieceRecord:
    """The owner's piece, locked for a change unless ``lock`` is False. Another's private
    piece is an unknown id; a public one they may read but not change."""
    piece = uow.pieces.lock(piece_id) if lock else uow.pieces.get(piece_id)
    if piece is None or (piece.owner_id != owner.id and piece.visibility != "public"):
        raise ServiceError(ErrorKind.NOT_FOUND, "piece_not_found", "No piece with that id.")
    if piece.owner_id != owner.id:
        message = "Only the learner who added a piece may change it."
        raise ServiceError(ErrorKind.FORBIDDEN, "not_owner", message)
    return piece


def _checked(title: str, text: str, visibility: str) -> tuple[str, str, str]:
    # Lengths as sent, before trimming, as the OpenAPI document says.
    if len(title) > MAX_TITLE_CHARS:  # it was cut short silently before (found by schemathesis)
        raise ServiceError(
            ErrorKind.UNPROCESSABLE, "title_too_long", f"Titles are limited to {MAX_TITLE_CHARS} characters."
        )
    if len(text) > MAX_TEXT_CHARS:
        raise ServiceError(
            ErrorKind.UNPROCESSABLE, "text_too_long", f"Texts are limited to {MAX_TEXT_CHARS} characters."
        )
    # Browsers send a textarea's line breaks as CRLF: one text whichever way it came.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title, text = one_line(title.strip(), "title"), storable(text.strip(), "text")
    if not shows_something(title):
        raise ServiceError(ErrorKind.UNPROCESSABLE, "title_required", "A piece needs a title.")
    if not any(ch.isalnum() for ch in text):
        raise ServiceError(ErrorKind.UNPROCESSABLE, "text_required", "A piece needs some words.")
    if not has_words_to_recite(text):  # as the scorer reads it: else every recording would fail
        raise ServiceError(ErrorKind.UNPROCESSABLE, "no_readable_words", NO_READABLE_WORDS)
    if visibility not in VISIBILITIES:
        raise ServiceError(ErrorKind.UNPROCESSABLE, "invalid_visibility", "visibility is private or public.")
    return title, text, visibility


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
    piece = visible_piece(uow, viewer, piece_id)
    if piece is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "piece_not_found", "No piece with that id.")
    return piece


def visible_piece(uow: UnitOfWorkPort, viewer: UserView, piece_id: uuid.UUID) -> PieceView | None:
    piece = uow.pieces.visible(piece_id, viewer.id)
    return None if piece is None else _view(piece, viewer)


def require_piece(uow: UnitOfWorkPort, piece_id: uuid.UUID) -> uuid.UUID:
    """For operators (``recital rescore --piece``): any piece, whoever owns it."""
    if uow.pieces.get(piece_id) is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "piece_not_found", "No piece with that id.")
    return piece_id


def list_pieces(
    uow: UnitOfWorkPort, viewer: UserView, limit: int, offset: int, search: str = ""
) -> tuple[list[PieceView], int]:
    """The viewer's own pieces and every public one; with ``search``, only those
    whose title or text contains it (case, accents, curly quotes and hyphens aside),
    counted and paged in the database."""
    records, total = uow.pieces.list_visible(viewer.id, limit, offset, _searchable(search.strip()))
    return [_view(p, viewer) for p in records], total


def _view(piece: PieceRecord, viewer: UserView) -> PieceView:
    return PieceView(
        piece.id,
        piece.title,
        piece.text,
        word_count(piece.text),
        piece.created_at,
        piece.visibility,
        piece.owner_id == viewer.id,
        piece.text_version,
    )
