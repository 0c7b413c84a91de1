"""The owner's edit page for a piece: rename it, share or unshare it, correct its
text while nobody has recited it, or delete it with the owner's attempts on it.
Forms over the same services as ``PATCH`` and ``DELETE /api/v1/pieces/{id}``."""

from __future__ import annotations

import uuid

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from shared.services import erasure, pieces
from shared.services.errors import ServiceError
from shared.services.users import UserView
from web.deps import container
from web.errors import STATUS_BY_KIND
from web.identity import current_learner
from web.ids import parse_uuid
from web.pages.blueprint import pages, viewer
from web.pages.text import typed_text

PageResponse = str | Response | tuple[str, int]


@pages.get("/pieces/<piece_id>/edit")
def edit_piece(piece_id: str) -> str:
    return _form(viewer(), parse_uuid(piece_id, "piece"))


@pages.post("/pieces/<piece_id>/edit")
def save_piece(piece_id: str) -> PageResponse:
    owner, piece = current_learner(), parse_uuid(piece_id, "piece")  # a form post: checks CSRF
    form = request.form
    changes = {name: form.get(name) for name in ("title", "visibility")}  # absent: unchanged
    changes["text"] = typed_text(form.get("text"))
    try:
        with container().uow() as uow:
            pieces.change_piece(uow, owner, piece, **changes)
    except ServiceError as exc:
        return _form(owner, piece, error=exc.message, typed=form.to_dict()), STATUS_BY_KIND[exc.kind]
    return redirect(url_for("pages.practice", piece_id=piece, saved=1))  # the page says it was saved


@pages.post("/pieces/<piece_id>/delete")
def delete_piece(piece_id: str) -> PageResponse:
    owner, piece = current_learner(), parse_uuid(piece_id, "piece")
    deps = container()
    try:
        with deps.uow() as uow:
            erasure.delete_piece(uow, deps.storage, owner, piece)
    except ServiceError as exc:
        return _form(owner, piece, delete_error=exc.message), STATUS_BY_KIND[exc.kind]
    return redirect(url_for("pages.library", deleted=1))


def _form(owner: UserView, piece_id: uuid.UUID, typed: dict[str, str] | None = None, **messages: str) -> str:
    """The form with the piece as stored, or as the learner typed it when it was refused."""
    with container().uow() as uow:
        editable = pieces.editable_piece(uow, owner, piece_id)
    piece = editable.piece
    shown = {"title": piece.title, "text": piece.text, "visibility": piece.visibility} | (typed or {})
    return render_template("edit_piece.html", editable=editable, piece=piece, shown=shown, **messages)
