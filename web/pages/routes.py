"""Page routes: parse, call a service, render a template. No logic of their own."""

from __future__ import annotations

import uuid
from typing import NamedTuple

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from shared.services import attempts, erasure, pieces
from shared.services.errors import ServiceError
from shared.services.progress import chart_series, piece_progress
from shared.services.results import result_page
from web import recording_links
from web.deps import container
from web.identity import current_learner
from web.ids import parse_uuid
from web.pages.blueprint import pages, viewer
from web.pages.text import marked_lines, marked_words, practice_words, section_span, shown_mode, typed_text

PageResponse = str | Response | tuple[str, int]
LIBRARY_SIZE = 100  # pieces a page: the learner's own first, then shared ones, newest first
UNSCORED_SHOWN = 20  # on the progress page, newest first; more are counted


class Shown(NamedTuple):
    """Which pieces of how many a library page shows (1-based, inclusive)."""

    page: int
    total: int
    first: int
    last: int

    @classmethod
    def of(cls, page: int, total: int, listed: int) -> Shown:
        """Page ``page`` of ``total`` pieces, which listed ``listed`` of them."""
        first = (page - 1) * LIBRARY_SIZE + 1
        return cls(page, total, first, first + listed - 1)

    @property
    def more(self) -> bool:
        return self.last < self.total


@pages.get("/")
def home() -> Response:
    return redirect(url_for("pages.library"))


@pages.get("/library")
def library() -> str:
    user = viewer()
    query = request.args.get("q", "").strip()
    page = request.args.get("page", 1, type=int) or 1
    page = max(1, min(page, 10**6))  # an offset the database can take
    with container().uow() as uow:
        items, total = pieces.list_pieces(uow, user, LIBRARY_SIZE, (page - 1) * LIBRARY_SIZE, search=query)
    shown = Shown.of(page, total, len(items))
    deleted = request.args.get("deleted") == "1"  # where deleting a piece lands
    return render_template("library.html", pieces=items, query=query, shown=shown, deleted=deleted)


@pages.post("/library")
def create_piece() -> PageResponse:
    user = current_learner()  # a form post: checks the session's CSRF token
    title, text = request.form.get("title", ""), typed_text(request.form.get("text", "")) or ""
    visibility = request.form.get("visibility", "private")
    try:
        with container().uow() as uow:
            piece = pieces.create_piece(uow, user, title, text, visibility)
    except ServiceError as exc:
        with container().uow() as uow:
            items, total = pieces.list_pieces(uow, user, LIBRARY_SIZE, 0)
        form = {"title": title, "text": text, "visibility": visibility, "error": exc.message}
        shown = Shown.of(1, total, len(items))
        return render_template("library.html", pieces=items, query="", shown=shown, **form), 422
    return redirect(url_for("pages.practice", piece_id=piece.id))


@pages.get("/pieces/<piece_id>/practice")
def practice(piece_id: str) -> str:
    user = viewer()
    with container().uow() as uow:
        piece = pieces.get_piece(uow, user, parse_uuid(piece_id, "piece"))
    # A section to practise (the progress page links each): marked, and scrolled to (#section).
    section = request.args.get("section", type=int)
    span = None if section is None else section_span(piece.text, section)
    words = practice_words(piece.text, span)
    saved = request.args.get("saved") == "1"  # where saving the edit page lands
    return render_template(
        "practice.html", piece=piece, words=words, mode=shown_mode(), saved=saved, section=span is not None
    )


@pages.get("/attempts/<attempt_id>")
def result(attempt_id: str) -> str:
    user = viewer()
    with container().uow() as uow:
        page = result_page(uow, user, parse_uuid(attempt_id, "attempt"))
    lines = marked_lines(marked_words(page.attempt.get("result")), page.piece.text if page.piece else None)
    # The player gets a short-lived link, as the API would give (the ownership check is above).
    audio = url_for("playback.play", token=recording_links.sign(uuid.UUID(page.attempt["id"])))
    return render_template("result.html", page=page, lines=lines, audio=audio, mode=shown_mode())


@pages.post("/attempts/<attempt_id>/delete")
def delete_attempt(attempt_id: str) -> Response:
    user = current_learner()  # a form post: checks the session's CSRF token
    deps = container()
    with deps.uow() as uow:
        deleted = erasure.delete_attempt(uow, deps.storage, user, parse_uuid(attempt_id, "attempt"))
        still_shared = pieces.visible_piece(uow, user, deleted.piece_id) is not None
    if not still_shared:  # its owner stopped sharing it, or it went with this last attempt
        return redirect(url_for("pages.library"))
    return redirect(url_for("pages.history", piece_id=deleted.piece_id, deleted=1))


@pages.get("/pieces/<piece_id>/history")
def history(piece_id: str) -> str:
    user = viewer()
    with container().uow() as uow:
        piece = pieces.get_piece(uow, user, parse_uuid(piece_id, "piece"))
        progress = piece_progress(uow, user, piece.id)
        unscored, unscored_total = attempts.unscored_attempts(uow, user, piece.id, UNSCORED_SHOWN)
    return render_template(
        "history.html",
        piece=piece,
        progress=progress,
        series=chart_series(progress),
        unscored=unscored,
        unscored_total=unscored_total,
        deleted=request.args.get("deleted") == "1",
    )
