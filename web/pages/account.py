"""Sign-up, sign-in and sign-out pages: forms over the same services and sessions as /api/v1/auth."""

from __future__ import annotations

from collections.abc import Callable

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from shared.db.uow import UnitOfWork
from shared.services import users
from shared.services.errors import ServiceError
from web.auth import attach_session, end_browser_session
from web.deps import container
from web.errors import STATUS_BY_KIND
from web.identity import current_learner
from web.pages.blueprint import pages, safe_next

PageResponse = str | Response | tuple[str, int]
Check = Callable[[UnitOfWork, str, str], users.UserView]


@pages.get("/sign-in")
def sign_in() -> str:
    deleted = request.args.get("deleted") == "1"  # where deleting an account lands
    return render_template("sign_in.html", mode="sign-in", next=request.args.get("next", ""), deleted=deleted)


@pages.post("/sign-in")
def sign_in_submit() -> PageResponse:
    return _enter("sign-in", users.authenticate)


@pages.get("/sign-up")
def sign_up() -> str:
    return render_template("sign_in.html", mode="sign-up", next=request.args.get("next", ""))


@pages.post("/sign-up")
def sign_up_submit() -> PageResponse:
    return _enter("sign-up", users.sign_up)


@pages.post("/sign-out")
def sign_out() -> Response:
    current_learner()  # checks the form's CSRF token against the session
    return end_browser_session(redirect(url_for("pages.sign_in")))


def _enter(mode: str, check: Check) -> PageResponse:
    handle, password = request.form.get("handle", "").strip(), request.form.get("password", "")
    try:
        with container().uow() as uow:
            user = check(uow, handle, password)
    except ServiceError as exc:
        page = render_template(
            "sign_in.html", mode=mode, next=request.form.get("next", ""), error=exc.message, handle=handle
        )
        return page, STATUS_BY_KIND[exc.kind]
    response = redirect(safe_next(request.form.get("next", "")))
    attach_session(response, user)
    return response
