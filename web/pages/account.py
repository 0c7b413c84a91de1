"""Sign-up, sign-in and sign-out pages: forms over the same services and sessions as /api/v1/auth."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from urllib.parse import urlsplit

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from shared.db.uow import UnitOfWork
from shared.services import users
from shared.services.errors import ErrorKind, ServiceError
from web.auth import attach_session, end_browser_session
from web.deps import container
from web.errors import STATUS_BY_KIND
from web.identity import current_learner
from web.pages.blueprint import pages, safe_next

PageResponse = str | Response | tuple[str, int]
Check = Callable[[UnitOfWork, str, str], users.UserView]
CROSS_SITE = "This form was sent from another site. Open Recital's own page and sign in there."


@pages.get("/sign-in")
def sign_in() -> str:
    deleted = request.args.get("deleted") == "1"  # where deleting an account lands
    return render_template("sign_in.html", mode="sign-in", next=request.args.get("next", ""), deleted=deleted)


@pages.post("/sign-in")
def sign_in_submit() -> PageResponse:
    return _enter("sign-in", partial(users.authenticate, hold=True))


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
    response = redirect(safe_next(request.form.get("next", "")))
    try:
        _refuse_other_sites()
        with container().uow() as uow:  # one transaction: see users.authenticate's hold
            attach_session(response, check(uow, handle, password), uow)
    except ServiceError as exc:
        page = render_template(
            "sign_in.html", mode=mode, next=request.form.get("next", ""), error=exc.message, handle=handle
        )
        return page, STATUS_BY_KIND[exc.kind]
    return response


def _refuse_other_sites() -> None:
    """These two forms come before any session, so no CSRF token can guard them: a form
    on another site posting here would sign the visitor in as the other site's owner
    (login CSRF) and keep what they record. Browsers say where a post comes from
    (Sec-Fetch-Site, else Origin); clients that are not browsers send neither."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:  # sent over https and to localhost
        ours = site in ("same-origin", "none")  # "none": typed or bookmarked, not another page's
    else:  # plain http to another host, older browsers: Origin (our pages' referrer policy sends it)
        origin = request.headers.get("Origin")
        ours = origin is None or _same_host(origin)
    if not ours:
        raise ServiceError(ErrorKind.FORBIDDEN, "cross_site_form", CROSS_SITE)


def _same_host(origin: str) -> bool:
    """By host name alone: a proxy may forward Host without the port the browser used.
    An origin that does not parse ("http://[::1") is no origin of ours (QA: it was a 500)."""
    try:
        host = urlsplit(origin).hostname
        return host is not None and host == urlsplit(f"//{request.host}").hostname
    except ValueError:
        return False
