"""/api/v1/auth: sign-up, sign-in, sign-out, the signed-in user, API tokens."""

from web.auth import account, export, tokens  # noqa: F401  (they register their routes, in this order)
from web.auth.account import user_json
from web.auth.blueprint import auth
from web.auth.cookies import attach_session, end_browser_session

__all__ = ["attach_session", "auth", "end_browser_session", "user_json"]
