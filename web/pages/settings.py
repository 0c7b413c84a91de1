"""The learner's own account page: change the password, delete the account (the
password again first, so an unattended session cannot); its tokens are
web/pages/tokens.py's.

Forms over the same services as ``POST /api/v1/auth/password`` and
``DELETE /api/v1/auth/me``; a form that is refused renders the page again
with the reason, in the status the API would give."""

from __future__ import annotations

from flask import redirect, request, url_for
from werkzeug.wrappers import Response

from shared.services import erasure, users
from shared.services.errors import ServiceError
from web import sign_in_failures
from web.auth import attach_session, end_browser_session
from web.deps import container
from web.errors import refusal_status
from web.identity import current_learner
from web.pages.blueprint import pages
from web.pages.tokens import account_page

PageResponse = str | Response | tuple[str, int]
DONE = {
    "password": "Your password is changed. Every other session and API token has ended.",
    "token": "The token is revoked: it stopped working at once.",
}


@pages.get("/account")
def account() -> str:
    return account_page(done=DONE.get(request.args.get("done", "")))


@pages.post("/account/password")
def change_password() -> PageResponse:
    user = current_learner()  # a form post: checks the session's CSRF token
    current, new = request.form.get("current_password", ""), request.form.get("new_password", "")
    if new != request.form.get("new_password_again", ""):
        return account_page(password_error="The two new passwords differ."), 422
    try:
        with container().uow() as uow:
            user = users.change_password(uow, user, current, new)
    except ServiceError as exc:
        return account_page(password_error=exc.message), refusal_status(exc)
    sign_in_failures.forget_after_change(container().settings, user.handle)
    response = redirect(url_for("pages.account", done="password"))
    attach_session(response, user)  # the change ended every session, this one too
    return response


@pages.post("/account/delete")
def delete_account() -> PageResponse:
    user = current_learner()
    deps = container()
    try:
        with deps.uow() as uow:
            users.confirm_password(uow, user, request.form.get("password", ""))
            erasure.delete_account(uow, deps.storage, user.id)
    except ServiceError as exc:  # a wrong password, or the last admin
        return account_page(delete_error=exc.message), refusal_status(exc)
    return end_browser_session(redirect(url_for("pages.sign_in", deleted=1)))
