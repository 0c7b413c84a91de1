"""Page routes: parse, call a service, render a template. No logic of their own."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from shared.services import pieces
from shared.services.errors import ErrorKind, ServiceError
from shared.services.progress import chart_series, piece_progress
from shared.services.results import result_page
from web import recording_links
from web.deps import container
from web.errors import STATUS_BY_KIND
from web.pages.text import marked_words, practice_words
from web.pages.viewer import LEARNER_COOKIE, signed_in

pages = Blueprint("pages", __name__, template_folder="../templates")

PageResponse = str | BaseResponse | tuple[str, int]


@pages.errorhandler(ServiceError)
def _service_error(exc: ServiceError) -> tuple[str, int]:
    status = STATUS_BY_KIND[exc.kind]
    return render_template("error.html", status=status, message=exc.message, learner=signed_in()), status


@pages.get("/")
def home() -> BaseResponse:
    return redirect(url_for("pages.library"))


@pages.get("/sign-in")
def sign_in() -> str:
    return render_template("sign_in.html", learner=None, next=request.args.get("next", ""))


@pages.post("/sign-in")
def sign_in_submit() -> PageResponse:
    handle = request.form.get("handle", "").strip()
    from shared.services.learners import HANDLE

    if not HANDLE.match(handle):
        error = "Use 1-120 letters, digits, '.', '_', '@' or '-'."
        return render_template("sign_in.html", learner=None, error=error, next=""), 422
    response = redirect(_safe_next(request.form.get("next", "")))
    response.set_cookie(LEARNER_COOKIE, handle, httponly=True, samesite="Lax")
    return response


@pages.get("/library")
def library() -> PageResponse:
    learner = signed_in()
    if learner is None:
        return _to_sign_in()
    query = request.args.get("q", "").strip()
    with container().uow() as uow:
        items, _ = pieces.list_pieces(uow, 100, 0)
    if query:
        items = [p for p in items if query.lower() in (p.title + " " + p.text).lower()]
    return render_template("library.html", learner=learner, pieces=items, query=query)


@pages.post("/library")
def create_piece() -> PageResponse:
    learner = signed_in()
    if learner is None:
        return _to_sign_in()
    title, text = request.form.get("title", ""), request.form.get("text", "")
    try:
        with container().uow() as uow:
            piece = pieces.create_piece(uow, title, text)
    except ServiceError as exc:
        with container().uow() as uow:
            items, _ = pieces.list_pieces(uow, 100, 0)
        context: dict[str, Any] = {"title": title, "text": text, "error": exc.message}
        return render_template("library.html", learner=learner, pieces=items, query="", **context), 422
    return redirect(url_for("pages.practice", piece_id=piece.id))


@pages.get("/pieces/<piece_id>/practice")
def practice(piece_id: str) -> PageResponse:
    learner = signed_in()
    if learner is None:
        return _to_sign_in()
    with container().uow() as uow:
        piece = pieces.get_piece(uow, _uuid(piece_id, "piece"))
    return render_template("practice.html", learner=learner, piece=piece, words=practice_words(piece.text))


@pages.get("/attempts/<attempt_id>")
def result(attempt_id: str) -> PageResponse:
    learner = signed_in()
    if learner is None:
        return _to_sign_in()
    with container().uow() as uow:
        page = result_page(uow, learner, _uuid(attempt_id, "attempt"))
    words = marked_words(page.attempt.get("result"))
    # The player gets a short-lived link, as the API would give (the ownership check is above).
    audio = url_for("playback.play", token=recording_links.sign(uuid.UUID(page.attempt["id"])))
    return render_template("result.html", learner=learner, page=page, words=words, audio=audio)


@pages.get("/pieces/<piece_id>/history")
def history(piece_id: str) -> PageResponse:
    learner = signed_in()
    if learner is None:
        return _to_sign_in()
    with container().uow() as uow:
        piece = pieces.get_piece(uow, _uuid(piece_id, "piece"))
        progress = piece_progress(uow, learner, piece.id)
    return render_template(
        "history.html", learner=learner, piece=piece, progress=progress, series=chart_series(progress)
    )


@pages.get("/sign-out")
def sign_out() -> BaseResponse:
    response = redirect(url_for("pages.sign_in"))
    response.delete_cookie(LEARNER_COOKIE)
    return response


def _to_sign_in() -> Response:
    return redirect(url_for("pages.sign_in", next=request.full_path.rstrip("?")))  # type: ignore[return-value]


def _safe_next(target: str) -> str:
    """Only a path on this site: an open redirect would let a link send a learner anywhere."""
    if target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("pages.library")


def _uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ServiceError(ErrorKind.NOT_FOUND, f"{what}_not_found", f"No {what} with that id.") from None
