"""The pages blueprint, what every page template is given, and how a page says "sign in"."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from shared.services.errors import ErrorKind, ServiceError
from shared.services.users import UserView
from web.errors import STATUS_BY_KIND
from web.identity import optional_user, session_csrf_token

pages = Blueprint("pages", __name__, template_folder="../templates")


@pages.context_processor
def _identity() -> dict[str, Any]:
    """The signed-in user and the session's CSRF token (forms and the meta tag for JS)."""
    try:
        return {"learner": optional_user(), "csrf_token": session_csrf_token()}
    except (ServiceError, RequestEntityTooLarge):  # the error page of a refused request (a bad
        return {"learner": None, "csrf_token": None}  # CSRF token; a form too large to read its token)


STALE_PAGE = (
    "This page was opened before you signed out or in again, in this tab or another. Reload it and try again."
)


# An old link, or one from before a deletion, in a learner's words (QA: "No piece with that id.").
GONE = {
    "piece_not_found": "This piece is not in your library: it may have been deleted, or its owner "
    "may have stopped sharing it.",
    "attempt_not_found": "This attempt is not one of yours: it may have been deleted.",
}


@pages.errorhandler(ServiceError)
def _service_error(exc: ServiceError) -> Response | tuple[str, int]:
    """A form posted after its session ended goes to sign in and back to the page it
    was on; one whose session changed since the page loaded says so in a learner's words."""
    if exc.kind is ErrorKind.UNAUTHENTICATED:
        location = url_for("pages.sign_in", next=_form_page())
        return Response(status=302, headers={"Location": location})
    status = STATUS_BY_KIND[exc.kind]
    message = STALE_PAGE if exc.code == "csrf_failed" else GONE.get(exc.code, exc.message)
    return render_template("error.html", status=status, message=message), status


def _form_page() -> str:
    """The path of the page a form was posted from (its Referer, on this site), else the library."""
    try:
        came_from = urlsplit(request.referrer or "")
    except ValueError:  # "http://[::1/x" does not parse (QA: a 500)
        return url_for("pages.library")
    if came_from.netloc == request.host and came_from.path:
        return safe_next(came_from.path + (f"?{came_from.query}" if came_from.query else ""))
    return url_for("pages.library")


class SignInFirst(Exception):
    """Raised by a page that needs a user; answered with a redirect to sign in and back."""


@pages.errorhandler(SignInFirst)
def _to_sign_in(_exc: SignInFirst) -> Response:
    # No body: the page asked for stays in the Location header only.
    location = url_for("pages.sign_in", next=request.full_path.rstrip("?"))
    return Response(status=302, headers={"Location": location})


def viewer() -> UserView:
    """The signed-in user, or a redirect to the sign-in page (pages never answer 401)."""
    user = optional_user()
    if user is None:
        raise SignInFirst()
    return user


def safe_next(target: str) -> str:
    r"""Only a path on this site: an open redirect would let a link send a learner anywhere.
    No whitespace or control character either: browsers drop tabs and newlines from a
    URL ("/\t/evil.example" goes to "//evil.example"), and a newline cannot be a header."""
    plain = all(c.isprintable() and not c.isspace() for c in target)
    if plain and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("pages.library")
