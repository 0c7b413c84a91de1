"""``recital flower``: Celery Flower that never serves a page without authentication.

Flower 2.2 checks basic auth only on handlers marked ``@authenticated``:
``/metrics``, ``/healthcheck``, ``/static`` and its 404 page answer anyone, and
a bare ``celery flower`` without ``--basic-auth`` serves the whole dashboard.
This command refuses to start without ``RECITAL_FLOWER_BASIC_AUTH``
("user:password", printable ASCII without commas: Flower splits it at
commas) and makes every handler check it before anything else.
It binds to 127.0.0.1 unless told otherwise, and keeps its task history in
``RECITAL_FLOWER_DB`` (default ``flower.db`` in ``RECITAL_HOME``), saved every
minute and on shutdown, so a restart does not forget what ran.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from shared.settings import Settings

# Flower saves its history on shutdown; a crash would lose everything since the
# start without a periodic save too.
SAVE_EVERY_MS = 60_000


def credentials(settings: Settings) -> str | None:
    """``user:password`` when both halves are set, else None."""
    secret = settings.flower_basic_auth.get_secret_value() if settings.flower_basic_auth else ""
    user, _, password = secret.partition(":")
    return secret if user and password else None


def flower_reads_as_given(secret: str) -> bool:
    """Whether Flower keeps the credentials as one login that can be checked.

    Its --basic-auth is a list option split on commas ("ops:pa,ss:word" would be
    two logins), and its check (hmac.compare_digest on str) raises on non-ASCII.
    Control characters cannot be typed into a browser's login prompt.
    """
    return all(" " <= ch <= "~" and ch != "," for ch in secret)


def require_auth_everywhere() -> None:
    """Every Flower handler, the static files and the 404 page included, checks the credentials first."""
    import tornado.web
    from flower import urls
    from flower.api import BaseApiHandler
    from flower.views import BaseHandler

    for cls in (BaseHandler, BaseApiHandler):
        cls.prepare = _checked(cls.prepare)

    class AuthenticatedStatic(tornado.web.StaticFileHandler):
        get_current_user = BaseHandler.get_current_user
        write_error = BaseHandler.write_error
        prepare = _checked(tornado.web.StaticFileHandler.prepare)

    urls.settings["static_handler_class"] = AuthenticatedStatic  # tornado's own /static/ route
    urls.handlers[:] = [
        (h[0], AuthenticatedStatic, *h[2:])
        if isinstance(h, tuple) and h[1] is tornado.web.StaticFileHandler
        else h
        for h in urls.handlers
    ]


def _checked(prepare: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def checked(self: Any) -> Any:
        # current_user runs Flower's basic-auth check, which raises 401 on bad credentials.
        if not self.current_user:
            raise _unauthorised()
        return prepare(self)

    return checked


def _unauthorised() -> Exception:
    import tornado.web

    return tornado.web.HTTPError(401)


def run_flower(args: argparse.Namespace, settings: Settings) -> int:
    secret = credentials(settings)
    if secret is None:
        print("recital flower needs RECITAL_FLOWER_BASIC_AUTH=user:password; not starting.", file=sys.stderr)
        return 2
    if not flower_reads_as_given(secret):
        print(
            "recital flower: RECITAL_FLOWER_BASIC_AUTH must be printable ASCII without commas "
            "(Flower splits it at commas); not starting.",
            file=sys.stderr,
        )
        return 2
    if settings.embedded_broker:
        print(
            "recital flower needs a real broker: set RECITAL_BROKER_URL (e.g. redis://...)", file=sys.stderr
        )
        return 2
    require_auth_everywhere()
    from workers.celery_app import create_celery

    app = create_celery(settings)
    # In-process, so the credentials never appear on a command line (ps, /proc).
    db = settings.resolved_flower_db
    db.parent.mkdir(parents=True, exist_ok=True)
    history = ["--persistent=True", f"--db={db}", f"--state_save_interval={SAVE_EVERY_MS}"]
    app.start(
        ["flower", f"--address={args.address}", f"--port={args.port}", f"--basic-auth={secret}", *history]
    )
    return 0
