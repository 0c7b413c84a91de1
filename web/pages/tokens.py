"""API tokens on the account page: list, make one (its secret shown once), revoke.

Forms over the same services as ``/api/v1/auth/tokens``. A new token's secret is
rendered into the page answering the form, never into a URL or a redirect, and
the page is ``no-store`` like every page (web/security_headers.py)."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from shared.services import credentials
from shared.services.errors import ServiceError
from web.deps import container
from web.errors import STATUS_BY_KIND
from web.identity import current_learner, signed_in_with
from web.ids import parse_uuid
from web.pages.blueprint import pages, viewer

PageResponse = str | Response | tuple[str, int]


def account_page(**context: Any) -> str:
    """The account page, with the learner's live tokens."""
    with container().uow() as uow:
        tokens = credentials.list_tokens(uow, viewer())
    return render_template("account.html", tokens=tokens, **context)


@pages.post("/account/tokens")
def create_token() -> PageResponse:
    user = current_learner()  # a form post: checks the session's CSRF token
    name = request.form.get("name", "")
    try:
        with container().uow() as uow:
            token, secret = credentials.create_token(uow, user, name, signed_in_with())
    except ServiceError as exc:  # a blank or overlong name, or too many tokens
        return account_page(token_error=exc.message, token_name=name), STATUS_BY_KIND[exc.kind]
    return account_page(new_token=secret, new_token_name=token.name), 201


@pages.post("/account/tokens/<token_id>/revoke")
def revoke_token(token_id: str) -> PageResponse:
    user = current_learner()
    try:
        with container().uow() as uow:
            credentials.revoke_token(uow, user, parse_uuid(token_id, "token"))
    except ServiceError as exc:  # already revoked (another tab), or not theirs
        return account_page(token_error=exc.message), STATUS_BY_KIND[exc.kind]
    return redirect(url_for("pages.account", done="token"))
